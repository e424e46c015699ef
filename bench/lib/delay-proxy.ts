/**
 * A TCP proxy on 127.0.0.1 that plays a network with a round-trip time: every chunk is held
 * for half the RTT in each direction, in order, and a new connection carries no data before
 * one RTT has passed (the TCP handshake: the client's first bytes leave after SYN / SYN-ACK).
 * TLS handshakes are not played: a kept-alive connection pays them once per container.
 *
 * Node timers fire on millisecond ticks, so each direction adds between RTT/2 and RTT/2 + ~1 ms;
 * the bench reports the latency it measured through the proxy, not the nominal RTT.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  port: number;
  /** The round trip to play from now on (ms); 0 forwards at once. */
  setRttMs(rttMs: number): void;
  rttMs(): number;
  close(): Promise<void>;
}

export async function startDelayProxy(targetPort: number, rttMs = 0): Promise<DelayProxy> {
  let rtt = rttMs;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const handshakeDone = performance.now() + rtt;
    relay(client, upstream, () => rtt / 2, handshakeDone);
    relay(upstream, client, () => rtt / 2, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    setRttMs(next) {
      rtt = next;
    },
    rttMs: () => rtt,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Forwards `from` → `to`, each chunk due `delay()` ms after it arrived (never before `notBefore`), in arrival order. */
function relay(from: Socket, to: Socket, delay: () => number, notBefore: number): void {
  const queue: Array<{ due: number; chunk: Buffer | null }> = [];
  let timer: NodeJS.Timeout | undefined;
  let lastDue = 0;
  const schedule = (chunk: Buffer | null) => {
    const due = Math.max(Math.max(performance.now(), notBefore) + delay(), lastDue);
    lastDue = due;
    if (queue.length === 0 && due <= performance.now()) {
      // Nothing held and no delay to play: forward at once (a timer would add a millisecond tick).
      if (chunk === null) to.end();
      else if (!to.destroyed) to.write(chunk);
      return;
    }
    queue.push({ due, chunk });
    if (timer === undefined) arm();
  };
  const arm = () => {
    if (queue.length === 0) return;
    timer = setTimeout(drain, Math.max(0, queue[0].due - performance.now()));
  };
  const drain = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0].due <= now + 0.05) {
      const { chunk } = queue.shift()!;
      if (chunk === null) to.end();
      else if (!to.destroyed) to.write(chunk);
    }
    arm();
  };
  from.on('data', (chunk: Buffer) => schedule(chunk));
  from.on('end', () => schedule(null));
}
