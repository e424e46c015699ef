import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** The parts of an HTTP-style Lambda event the tracing and the demo read, whatever its shape. */
export interface HttpRequest {
  method?: string;
  path?: string;
  /** First value of each query parameter. */
  query: Record<string, string>;
  /** Decoded body text (base64 bodies decoded), '' when absent. */
  body: string;
  /** Single-value headers, as delivered (REST APIs keep the caller's case). */
  headers: Record<string, unknown> | undefined;
  /** REST API v1 only: every value of each header. */
  multiValueHeaders: Record<string, unknown> | undefined;
}

/** REST API (payload 1.0), HTTP API (payload 2.0) and Function URL (payload 2.0) events. */
export type HttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;

/** Reads an API Gateway REST v1, HTTP API v2 or Function URL event. Never throws. */
export function readHttpEvent(event: unknown): HttpRequest {
  const e = (event !== null && typeof event === 'object' ? event : {}) as Record<string, unknown>;
  const http = objectAt(objectAt(e.requestContext)?.http);
  return {
    // v1 carries httpMethod/path at the top; v2 and Function URLs under requestContext.http.
    method: stringOrUndefined(e.httpMethod) ?? stringOrUndefined(http?.method),
    path: stringOrUndefined(e.path) ?? stringOrUndefined(e.rawPath) ?? stringOrUndefined(http?.path),
    query: readQuery(e),
    body: readBody(e.body, e.isBase64Encoded === true),
    headers: objectAt(e.headers),
    multiValueHeaders: objectAt(e.multiValueHeaders),
  };
}

function readQuery(e: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = {};
  const single = objectAt(e.queryStringParameters);
  if (single) for (const key in single) if (typeof single[key] === 'string') query[key] = single[key] as string;
  const multi = objectAt(e.multiValueQueryStringParameters);
  if (multi) {
    for (const key in multi) {
      const values = multi[key];
      if (!(key in query) && Array.isArray(values) && typeof values[0] === 'string') query[key] = values[0];
    }
  }
  return query;
}

function readBody(body: unknown, base64: boolean): string {
  if (typeof body !== 'string') return '';
  return base64 ? Buffer.from(body, 'base64').toString('utf8') : body;
}

function objectAt(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
