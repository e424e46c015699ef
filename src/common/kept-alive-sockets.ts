/**
 * Kept-alive TCP (or TLS) connections to one host and port, for http-post.ts: what an
 * http.Agent with keepAlive does for it. A request takes the most recently used idle socket, or
 * a new one; gives it back when its response allowed another request. An idle socket that the
 * server closes (or that errs) is dropped at once, and idle sockets never hold the process open.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';

/** Where the connections go. */
export interface SocketTarget {
  tls: boolean;
  host: string;
  port: number;
}

/** A socket for one request; `reused`: it carried a request before (and may have died since unseen). */
export interface TakenSocket {
  socket: net.Socket;
  reused: boolean;
}

/** TCP keep-alive probes' initial delay on our sockets (http.Agent's keepAliveMsecs default). */
const TCP_KEEPALIVE_MS = 1000;

export class KeptAliveSockets {
  private readonly idle: net.Socket[] = [];
  private readonly busy = new Set<net.Socket>();
  /** The last TLS session the server gave: a new connection resumes it (one round trip less). */
  private tlsSession: Buffer | undefined;

  constructor(private readonly target: SocketTarget) {}

  take(): TakenSocket {
    let socket = this.idle.pop();
    // Destroyed but not yet closed ('close' comes a tick later): not one to write to.
    while (socket !== undefined && socket.destroyed) socket = this.idle.pop();
    if (socket !== undefined) {
      socket.removeListener('error', endIdleSocket);
      socket.removeListener('data', endIdleSocket);
      socket.ref();
      this.busy.add(socket);
      return { socket, reused: true };
    }
    const fresh = this.connect();
    this.busy.add(fresh);
    return { socket: fresh, reused: false };
  }

  /** Back to the pool after a complete response that allows another request; otherwise destroyed. */
  give(socket: net.Socket, reusable: boolean): void {
    this.busy.delete(socket);
    if (!reusable || socket.destroyed || !socket.writable || !socket.readable) {
      socket.destroy();
      return;
    }
    // While idle, an error (a reset) or stray bytes end the socket; the server's close takes it
    // out of the pool by itself (the 'close' listener of connect()).
    socket.on('error', endIdleSocket);
    socket.on('data', endIdleSocket);
    socket.unref();
    this.idle.push(socket);
  }

  /** Destroys the idle sockets (one turned out dead: the others most likely died with it). */
  dropIdle(): void {
    for (const socket of this.idle.splice(0)) socket.destroy();
  }

  /** Idle sockets now (tests: one kept-alive socket carries request after request). */
  idleSockets(): readonly net.Socket[] {
    return this.idle;
  }

  /** Destroys every socket, idle or in use (a request in flight fails); later requests connect anew. */
  close(): void {
    for (const socket of this.idle.splice(0)) socket.destroy();
    for (const socket of this.busy) socket.destroy();
    this.busy.clear();
  }

  private connect(): net.Socket {
    const socket = this.target.tls ? this.connectTls() : net.connect({ host: this.target.host, port: this.target.port, noDelay: true, keepAlive: true, keepAliveInitialDelay: TCP_KEEPALIVE_MS });
    // One listener for the socket's life (not one per request): a closed socket leaves the pool.
    socket.on('close', () => {
      this.busy.delete(socket);
      const at = this.idle.indexOf(socket);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return socket;
  }

  private connectTls(): tls.TLSSocket {
    const { host, port } = this.target;
    const socket = tls.connect({
      host,
      port,
      // SNI takes a name, not an address.
      servername: net.isIP(host) === 0 ? host : undefined,
      session: this.tlsSession,
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, TCP_KEEPALIVE_MS);
    socket.on('session', (session: Buffer) => {
      this.tlsSession = session;
    });
    // A connection that failed may have failed on the session: the next one starts afresh.
    socket.on('error', () => {
      this.tlsSession = undefined;
    });
    return socket;
  }
}

/** A listener on an idle socket: whatever it heard, the socket is done. */
function endIdleSocket(this: net.Socket): void {
  this.destroy();
}
