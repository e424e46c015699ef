import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  port: number;
  /** Requests whose body arrived in full. */
  requests: () => number;
  close(): Promise<void>;
}

/** A loopback HTTP server: `answer` runs once each request's body is in. close() drops every connection. */
async function startServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<RunningServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A collector that accepts the connection, reads the report, and never answers. */
export function startSilentCollector(): Promise<RunningServer> {
  return startServer(() => undefined);
}

/**
 * A collector that refuses every report with 403 and a body echoing the LightStep-Access-Token
 * header after `padding(n)` filler characters (n: 0-based request number), so a test can put the
 * token across a client's body-excerpt cut.
 */
export function startTokenEchoingCollector(padding: (requestNumber: number) => number): Promise<RunningServer> {
  let n = 0;
  return startServer((req, res) => {
    const token = String(req.headers['lightstep-access-token']);
    res.writeHead(403, { 'content-type': 'text/plain' }).end(`${'x'.repeat(padding(n++))}invalid access token ${token}`);
  });
}
