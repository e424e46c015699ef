/**
 * A LightStep-protocol sink in its own process: accepts POST /api/v2/reports (what
 * lightstep-tracer's proto transport sends), answers at once with a valid empty ReportResponse
 * (src/lightstep/wire's, as the embedded collector answers), and only then decodes the report to count its spans, so the bench can
 * check that every span arrived without the sink's work sitting in the reporter's latency.
 * Started by the bench (lib/child.ts startService); answers `stats` and `reset` over IPC.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decodeReportRequest, EMPTY_REPORT_RESPONSE } from '../../src/lightstep/wire';
import { REPORTS_PATH } from '../../src/collector/reports';

export interface SinkStats {
  type: 'stats';
  reports: number;
  spans: number;
  /** Reports that did not decode as a ReportRequest. */
  badReports: number;
  /** Request body bytes, and bytes read off the sockets (headers included). */
  bodyBytes: number;
  wireBytes: number;
  connections: number;
}

let stats: SinkStats = fresh();
const sockets = new Set<Socket>();
let closedSocketBytes = 0;

function fresh(): SinkStats {
  return { type: 'stats', reports: 0, spans: 0, badReports: 0, bodyBytes: 0, wireBytes: 0, connections: 0 };
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.method !== 'POST' || req.url !== REPORTS_PATH) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(EMPTY_REPORT_RESPONSE);
    const body = Buffer.concat(chunks);
    stats.reports++;
    stats.bodyBytes += body.length;
    setImmediate(() => {
      try {
        stats.spans += decodeReportRequest(body).getSpansList().length;
      } catch {
        stats.badReports++;
      }
    });
  });
});
server.keepAliveTimeout = 60_000;
server.on('connection', (socket: Socket) => {
  stats.connections++;
  sockets.add(socket);
  socket.on('close', () => {
    closedSocketBytes += socket.bytesRead;
    sockets.delete(socket);
  });
});

process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') {
    // Decoding runs after answering: let the queued decodes finish before counting.
    setImmediate(() => {
      let open = 0;
      for (const socket of sockets) open += socket.bytesRead;
      process.send!({ ...stats, wireBytes: closedSocketBytes + open });
    });
  } else if (message.type === 'reset') {
    stats = fresh();
    closedSocketBytes = 0;
    for (const socket of sockets) closedSocketBytes -= socket.bytesRead;
    process.send!({ type: 'reset' });
  }
});

server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as AddressInfo).port }));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
