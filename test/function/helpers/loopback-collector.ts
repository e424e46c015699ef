import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const collectorPb = require('lightstep-tracer/lib/imp/generated_proto/collector_pb') as {
  ReportRequest: { deserializeBinary(bytes: Uint8Array): ReportRequestMessage };
  ReportResponse: new () => { serializeBinary(): Uint8Array };
};
interface SpanContextMessage {
  getTraceId(): string;
  getSpanId(): string;
}
interface ReportRequestMessage {
  getSpansList(): Array<{
    getOperationName(): string;
    getSpanContext(): SpanContextMessage | undefined;
    getReferencesList(): Array<{ getSpanContext(): SpanContextMessage | undefined }>;
  }>;
  getReporter(): { getTagsList(): Array<{ getKey(): string; getStringValue(): string }> } | undefined;
}

export interface ReceivedReport {
  token: string | undefined;
  operations: string[];
  component: string | undefined;
  /** Per span: trace id, span id and parent span ids, as the wire carries them (decimal uint64). */
  ids: Array<{ traceId: string; spanId: string; parentSpanIds: string[] }>;
  /** Distinct client sockets seen so far (keep-alive reuses one). */
  socketCount: number;
}

/**
 * A loopback stand-in for LightStep's collector: 200 with an empty ReportResponse, reports decoded.
 * Like LightStep, a report in which any span's trace, span or parent id is 0 ("no id") is refused
 * whole with a 400 (and not recorded in `reports`; counted in `refusedReports`).
 */
export async function startLoopbackCollector(
  options: {
    /** Play a kept-alive socket that died while the client was frozen: the first request that
     * arrives on an already-used socket gets the socket destroyed instead of an answer. */
    killOneReusedSocket?: boolean;
  } = {},
): Promise<{ port: number; reports: ReceivedReport[]; killedRequests: () => number; refusedReports: () => number; close(): Promise<void> }> {
  const reports: ReceivedReport[] = [];
  let refused = 0;
  const sockets = new Set<unknown>();
  let killed = 0;
  const emptyResponse = Buffer.from(new collectorPb.ReportResponse().serializeBinary());
  const server: Server = createServer((req, res) => {
    if (options.killOneReusedSocket && killed === 0 && sockets.has(req.socket)) {
      killed++;
      req.socket.destroy();
      return;
    }
    sockets.add(req.socket);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = collectorPb.ReportRequest.deserializeBinary(Buffer.concat(chunks));
      const componentTag = request.getReporter()?.getTagsList().find((tag) => tag.getKey() === 'lightstep.component_name');
      const ids = request.getSpansList().map((span) => ({
        traceId: span.getSpanContext()?.getTraceId() ?? '0',
        spanId: span.getSpanContext()?.getSpanId() ?? '0',
        parentSpanIds: span.getReferencesList().map((reference) => reference.getSpanContext()?.getSpanId() ?? '0'),
      }));
      if (ids.some((id) => id.traceId === '0' || id.spanId === '0' || id.parentSpanIds.includes('0'))) {
        refused++;
        res.writeHead(400, { 'content-type': 'text/plain' }).end('span id or trace id is 0');
        return;
      }
      reports.push({
        token: req.headers['lightstep-access-token'] as string | undefined,
        operations: request.getSpansList().map((span) => span.getOperationName()),
        component: componentTag?.getStringValue(),
        ids,
        socketCount: sockets.size,
      });
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(emptyResponse);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    reports,
    killedRequests: () => killed,
    refusedReports: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
