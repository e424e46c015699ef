import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { EMPTY_REPORT_RESPONSE } from '../../src/lightstep/wire';

/** How a collector that accepts the connection takes its time to answer. */
export type SlowKind = 'silent' | 'headers-then-silence' | 'trickle';

export interface SlowCollector {
  port: number;
  /** Reports that reached it (the request was read). */
  requests: number;
  close(): Promise<void>;
}

/**
 * A collector on 127.0.0.1 that accepts every connection and answers a genuine 200 ReportResponse
 * only after `answerAfterMs` (30 s in the drill):
 * - silent: nothing at all until then;
 * - headers-then-silence: the status line and headers at once, the body then;
 * - trickle: the answer one byte at a time, spread over the whole wait (the socket is never idle).
 */
export async function startSlowCollector(kind: SlowKind, answerAfterMs: number): Promise<SlowCollector> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  const state = { requests: 0 };
  let server: net.Server;
  if (kind === 'trickle') {
    const head = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${EMPTY_REPORT_RESPONSE.length}\r\nX-Pad: `;
    // (the whole status line and headers, one byte per step: complete only at the end of the wait)
    server = net.createServer((socket) => {
      let started = false;
      socket.on('data', (chunk) => {
        if (started || !chunk.includes('\r\n\r\n')) return;
        started = true;
        state.requests++;
        const answer = Buffer.concat([Buffer.from(head + 'p'.repeat(100) + '\r\n\r\n'), EMPTY_REPORT_RESPONSE]);
        const step = Math.max(1, Math.floor(answerAfterMs / answer.length));
        let sent = 0;
        const tick = () => {
          if (socket.destroyed || sent >= answer.length) return;
          socket.write(answer.subarray(sent, ++sent));
          later(step, tick);
        };
        tick();
      });
    });
  } else {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        state.requests++;
        if (kind === 'headers-then-silence') {
          // Chunked: the answer is complete only with its last chunk (an empty ReportResponse is 0 bytes).
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
          res.flushHeaders();
        }
        later(answerAfterMs, () => {
          if (kind === 'silent') res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(EMPTY_REPORT_RESPONSE);
        });
      });
    });
  }
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
