/**
 * A LightStep-protocol sink in its own process: accepts POST /api/v2/reports (what
 * lightstep-tracer's proto transport sends), answers at once with a valid empty ReportResponse
 * (src/lightstep/wire's, as the embedded collector answers), and decodes the reports to count
 * their spans only when asked for its stats, so the bench can check that every span arrived
 * without the sink's work sitting in the reporter's latency. (Decoding each report right after
 * answering it kept the sink busy while the next report of the same flush, or the next
 * invocation's, waited for its answer: a reporter was timed with the sink's decoding in it.)
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
/** Bodies answered and not yet counted; decoded at `stats`, or once they hold this many bytes. */
let pending: Buffer[] = [];
let pendingBytes = 0;
const MAX_PENDING_BYTES = 256 * 1024 * 1024;
const sockets = new Set<Socket>();
let closedSocketBytes = 0;

function countPending(): void {
  for (const body of pending) {
    try {
      stats.spans += decodeReportRequest(body).getSpansList().length;
    } catch {
      stats.badReports++;
    }
  }
  pending = [];
  pendingBytes = 0;
}

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
    pending.push(body);
    pendingBytes += body.length;
    if (pendingBytes > MAX_PENDING_BYTES) countPending();
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
    // After the requests already read: their bodies are counted too.
    setImmediate(() => {
      countPending();
      let open = 0;
      for (const socket of sockets) open += socket.bytesRead;
      process.send!({ ...stats, wireBytes: closedSocketBytes + open });
    });
  } else if (message.type === 'reset') {
    stats = fresh();
    pending = [];
    pendingBytes = 0;
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
