import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  /** The operation, from X-Amz-Target (Logs_20140328.FilterLogEvents → FilterLogEvents). */
  operation: string;
  input: Record<string, unknown>;
}

export type FakeAnswer = { status: number; body: Record<string, unknown> };

export interface FakeCloudWatch {
  endpoint: string;
  calls: FakeCall[];
  close(): Promise<void>;
}

/**
 * CloudWatch Logs' JSON protocol (awsJson1_1) on 127.0.0.1, for what aws-sdk-client-mock cannot
 * show: the SDK's own middleware (retries, throttling) running against real HTTP answers.
 */
export async function startFakeCloudWatch(answer: (call: FakeCall, index: number) => FakeAnswer): Promise<FakeCloudWatch> {
  const calls: FakeCall[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const call = { operation: String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '', input: body ? JSON.parse(body) : {} };
      calls.push(call);
      const { status, body: out } = answer(call, calls.length - 1);
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${calls.length}` });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the SDK keeps its sockets alive
      }),
  };
}

export const THROTTLED: FakeAnswer = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
