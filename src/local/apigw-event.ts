import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ReceivedRequest {
  method: string;
  /** Path and query string as received, e.g. `/invoke?x=1`. */
  url: string;
  /** Node's rawHeaders: names in the case the client sent them, alternating with values. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  requestId: string;
  receivedAt: Date;
}

export const LOCAL_STAGE = 'local';

/**
 * An HTTP request → an API Gateway REST API (v1) proxy-integration event, as API Gateway builds
 * it: header names keep the caller's case (REST APIs do not lowercase them), single-value
 * `headers` hold the last value, `multiValueHeaders` every value; absent maps are null.
 */
export function toApiGatewayEvent(request: ReceivedRequest): APIGatewayProxyEvent {
  const { pathname, searchParams } = new URL(request.url, 'http://local');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i];
    const value = request.rawHeaders[i + 1];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of searchParams) {
    query[key] = value;
    (multiQuery[key] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const text = request.body.length === 0 ? null : asText(request.body);
  const body = request.body.length === 0 ? null : (text ?? request.body.toString('base64'));
  const proxy = pathname.replace(/^\//, '');
  const epoch = request.receivedAt.getTime();
  const headerValue = (name: string) => findHeader(headers, name);

  return {
    resource: '/{proxy+}',
    path: pathname,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: proxy ? { proxy } : null,
    stageVariables: null,
    body,
    isBase64Encoded: body !== null && text === null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      domainName: headerValue('host') ?? 'localhost',
      domainPrefix: 'local',
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headerValue('user-agent') ?? null,
        userArn: null,
      },
      path: `/${LOCAL_STAGE}${pathname}`,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: formatRequestTime(request.receivedAt),
      requestTimeEpoch: epoch,
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      stage: LOCAL_STAGE,
    },
  };
}

/** A body that is valid UTF-8 is passed as text (API Gateway without binary media types). */
function asText(body: Buffer): string | null {
  const text = body.toString('utf8');
  return Buffer.byteLength(text, 'utf8') === body.length && !text.includes('\uFFFD') ? text : null;
}

function findHeader(headers: Record<string, string>, name: string): string | undefined {
  for (const key in headers) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestTime format: 09/Apr/2015:12:34:56 +0000. */
function formatRequestTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

export interface HttpReply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * The function's proxy response → the HTTP reply, as API Gateway maps it. A result that is not
 * a proxy response is API Gateway's 502 "Internal server error".
 */
export function fromProxyResult(result: unknown): HttpReply {
  if (result === null || typeof result !== 'object' || typeof (result as { statusCode?: unknown }).statusCode !== 'number') {
    return gatewayError(502, 'Internal server error');
  }
  const r = result as { statusCode: number; headers?: unknown; multiValueHeaders?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const headers: Record<string, string | string[]> = {};
  if (r.headers && typeof r.headers === 'object') {
    for (const [name, value] of Object.entries(r.headers)) if (value !== undefined && value !== null) headers[name] = String(value);
  }
  if (r.multiValueHeaders && typeof r.multiValueHeaders === 'object') {
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (Array.isArray(values)) headers[name] = values.map(String);
    }
  }
  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode: r.statusCode, headers, body };
}

/** API Gateway's own error replies (function error, timeout). */
export function gatewayError(statusCode: number, message: string): HttpReply {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ message })) };
}
