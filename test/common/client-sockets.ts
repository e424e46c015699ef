import * as diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** The client sockets this process opens while recording (Node's 'net.client.socket' channel). */
export function recordClientSockets(): { sockets: Socket[]; listenerCounts(): string; stop(): void } {
  const sockets: Socket[] = [];
  const onSocket = (message: unknown): void => void sockets.push((message as { socket: Socket }).socket);
  diagnostics.subscribe('net.client.socket', onSocket);
  return {
    sockets,
    /** Every recorded socket's listeners per event, e.g. "close:2 data:0 …": the same after every request when none pile up. */
    listenerCounts: () =>
      sockets.map((socket) => ['close', 'data', 'end', 'error', 'timeout'].map((event) => `${event}:${socket.listenerCount(event)}`).join(' ')).join(' | '),
    stop: () => diagnostics.unsubscribe('net.client.socket', onSocket),
  };
}
