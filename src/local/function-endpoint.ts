import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { listen } from '../common/listen';
import { fromProxyResult, gatewayError, toApiGatewayEvent, type HttpReply } from './apigw-event';
import type { InvokeOutcome } from './function-container';
import type { FunctionPool } from './function-pool';

/** API Gateway's payload limit for a request. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export interface RunningFunctionEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The function's local API-Gateway-style endpoint (LAMBDA_URL): every request, any path, becomes
 * a REST v1 proxy event for the pool; the proxy response becomes the HTTP reply.
 */
export async function startFunctionEndpoint(options: {
  host: string;
  port: number;
  pool: FunctionPool;
  logger: Logger;
}): Promise<RunningFunctionEndpoint> {
  const { pool, logger } = options;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = new Date();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        send(res, gatewayError(413, 'Request Entity Too Large'));
        return;
      }
      const requestId = randomUUID();
      const event = toApiGatewayEvent({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        requestId,
        receivedAt,
      });
      pool.invoke(event).then(
        (outcome) => send(res, toReply(outcome, requestId, logger)),
        (error: unknown) => {
          logger.warn({ err: error }, 'function invoke failed');
          send(res, gatewayError(503, 'Service Unavailable'));
        },
      );
    });
  };
  const server: Server = await listen(handle, options.host, options.port, 'FUNCTION_PORT');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function toReply(outcome: InvokeOutcome, requestId: string, logger: Logger): HttpReply {
  switch (outcome.kind) {
    case 'result':
      return withRequestId(fromProxyResult(outcome.result), requestId);
    case 'error':
      // An uncaught function error: API Gateway answers 502 and hides the message.
      logger.debug({ requestId, errorType: outcome.error.errorType }, 'function error');
      return withRequestId(gatewayError(502, 'Internal server error'), requestId);
    case 'timeout':
      return withRequestId(gatewayError(504, 'Endpoint request timed out'), requestId);
    case 'crash':
      logger.warn({ requestId, detail: outcome.detail }, 'function container failed');
      return withRequestId(gatewayError(502, 'Internal server error'), requestId);
  }
}

function withRequestId(reply: HttpReply, requestId: string): HttpReply {
  return { ...reply, headers: { ...reply.headers, 'x-amzn-RequestId': requestId } };
}

function send(res: ServerResponse, reply: HttpReply): void {
  res.writeHead(reply.statusCode, { ...reply.headers, 'content-length': reply.body.length });
  res.end(reply.body);
}
