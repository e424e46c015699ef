import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { otlpType } from '../../../src/otlp/wire/schema';

/** What one scripted answer is: a status with headers and body, or "forward to the real collector". */
export type ScriptedAnswer =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  | 'forward'
  /** Accept the connection and hang it up without answering. */
  | 'hang-up';

export interface ReceivedRequest {
  at: number;
  headers: IncomingHttpHeaders;
  /** The body as sent (gzip still on when the client compressed it). */
  raw: Buffer;
  /** The body inflated. */
  body: Buffer;
}

export interface ScriptedOtlpServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback OTLP/HTTP endpoint that answers from a script, one answer per request (the last one
 * repeats), and forwards 'forward' requests unchanged to a real collector: the failures a real
 * backend gives (throttling, outages, refusals) in front of the embedded collector.
 */
export async function startScriptedOtlpServer(script: ScriptedAnswer[], forwardTo?: string): Promise<ScriptedOtlpServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      requests.push({ at: Date.now(), headers: req.headers, raw, body });
      const answer = script[Math.min(requests.length - 1, script.length - 1)];
      if (answer === 'hang-up') {
        req.socket.destroy();
        return;
      }
      if (answer === 'forward') {
        if (forwardTo === undefined) throw new Error('no collector to forward to');
        const headers: Record<string, string> = { 'content-type': String(req.headers['content-type']) };
        if (req.headers['content-encoding']) headers['content-encoding'] = String(req.headers['content-encoding']);
        fetch(`${forwardTo}/v1/traces`, { method: 'POST', headers, body: raw }).then(async (forwarded) => {
          res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(Buffer.from(await forwarded.arrayBuffer()));
        }, (error: Error) => res.writeHead(599).end(error.message));
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A real protobuf ExportTraceServiceResponse with a partial success. */
export function partialSuccessBody(rejectedSpans: number, errorMessage: string): Buffer {
  const type = otlpType('ExportTraceServiceResponse');
  return Buffer.from(type.encode(type.fromObject({ partialSuccess: { rejectedSpans, errorMessage } })).finish());
}
