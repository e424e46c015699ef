import type * as http from 'node:http';
import { HTTP_TOKEN, HttpResponseError, HttpResponseReader, type HttpResponse } from './http-response';
import { KeptAliveSockets } from './kept-alive-sockets';

export { KeptAliveSockets };

/** Where a POST goes: the URL split into its parts. */
export interface PostTarget {
  tls: boolean;
  host: string;
  port: number;
  /** Path and query string. */
  path: string;
}

export type PostResult =
  | { ok: true; statusCode: number; statusMessage: string; headers: http.IncomingHttpHeaders; body: Buffer }
  | {
      ok: false;
      error: NodeJS.ErrnoException;
      /** Failed before any answer, on a socket that carried a request before: the keep-alive race, safe to resend. */
      staleSocket: boolean;
    };

/** A request body: one buffer, or several sent one after the other (a report's header and its spans, not joined). */
export type PostBody = Buffer | readonly Buffer[];

/** Request headers: a name and a value (numbers written as decimal). */
export type PostHeaders = Readonly<Record<string, string | number>>;

/** The target's URL without its query string (which may carry a key): safe to print. */
export function postTargetUrl(target: PostTarget): string {
  return `${target.tls ? 'https' : 'http'}://${target.host}:${target.port}${target.path.split('?')[0]}`;
}

/** What a header value may not hold (as Node's http refuses it): controls other than tab, and anything past latin1. */
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/** What a request target may not hold unescaped. */
const INVALID_PATH_CHAR = /[^\x21-\x7e]/;

/**
 * One HTTP/1.1 POST of a ready body on one of `sockets` (kept alive), for the exporters'
 * transports: the request is written in one go (head and body), the response read by
 * HttpResponseReader. Node's http client spent more of a forwarder invocation on a report's
 * round trip (streams, ticks, an IncomingMessage) than this whole exchange takes; see
 * docs/forwarder.md. The timeout bounds the whole exchange (a server trickling its answer
 * never holds it longer) and is cleared when it settles. Never throws: every outcome reaches
 * `callback` once, and its errors never quote a header (they may hold secrets).
 */
export function postBody(
  target: PostTarget,
  sockets: KeptAliveSockets,
  headers: PostHeaders,
  body: PostBody,
  timeoutMs: number,
  callback: (result: PostResult) => void,
): void {
  const chunks: readonly Buffer[] = Buffer.isBuffer(body) ? [body] : body;
  let bodyBytes = 0;
  for (const chunk of chunks) bodyBytes += chunk.length;
  let head: Buffer;
  try {
    head = requestHead(target, headers, bodyBytes);
  } catch (error) {
    // Only the code goes on: a message could quote the header's value.
    const code = (error as NodeJS.ErrnoException).code ?? 'ERR_INVALID_REQUEST';
    return callback({ ok: false, error: Object.assign(new Error(`the request could not be built (${code})`), { code }), staleSocket: false });
  }

  let taken: ReturnType<KeptAliveSockets['take']>;
  try {
    taken = sockets.take();
  } catch (error) {
    // net.connect refuses some options at once (a port out of range): as an error like any other.
    return callback({ ok: false, error: error as NodeJS.ErrnoException, staleSocket: false });
  }
  const { socket, reused } = taken;
  const reader = new HttpResponseReader();
  let settled = false;
  // A socket goes back to the pool only once the whole request left it: a server that answers
  // before reading all of the body (a 413) leaves the connection in no state for another.
  let written = false;
  const settle = (result: PostResult, reusable: boolean): void => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.removeListener('close', onClose);
    socket.removeListener('error', onError);
    sockets.give(socket, reusable);
    callback(result);
  };
  const fail = (error: NodeJS.ErrnoException): void => {
    const stale = reused && !reader.received && isClosedSocket(error);
    // The other idle sockets most likely died with this one (the same freeze): the resend connects anew.
    if (stale && !settled) sockets.dropIdle();
    settle({ ok: false, error, staleSocket: stale }, false);
  };
  const answered = (response: HttpResponse): void =>
    settle({ ok: true, statusCode: response.statusCode, statusMessage: response.statusMessage, headers: response.headers, body: response.body }, response.keepAlive && written);
  const onData = (chunk: Buffer): void => {
    let response: HttpResponse | undefined;
    try {
      response = reader.push(chunk);
    } catch (error) {
      return fail(error as NodeJS.ErrnoException);
    }
    if (response !== undefined) answered(response);
  };
  // The peer's FIN: ends a body framed by the close, else the answer was cut short.
  const onEnd = (): void => {
    let response: HttpResponse;
    try {
      response = reader.end();
    } catch (error) {
      return fail(error as NodeJS.ErrnoException);
    }
    answered(response);
  };
  // Closed without the peer's FIN (destroyed, reset): never a complete answer.
  const onClose = (): void => fail(new HttpResponseError('socket hang up', 'ECONNRESET'));
  // Node's network errors name the address and the failed step, never a header.
  const onError = (error: NodeJS.ErrnoException): void => fail(error);
  // One deadline for the whole exchange, not an idle timeout: a server that trickles its answer
  // a byte at a time never leaves the socket idle, and would hold the report (and the
  // invocation waiting on it) for as long as it likes.
  const deadline = setTimeout(() => fail(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('close', onClose);
  socket.on('error', onError);
  // Head and body in one writev (a connecting socket queues them until it is connected).
  socket.cork();
  // The last write's callback: every byte before it has left too.
  const sent = (): void => {
    written = true;
  };
  const last = chunks.length - 1;
  socket.write(head, last < 0 ? sent : undefined);
  for (let i = 0; i <= last; i++) socket.write(chunks[i], i === last ? sent : undefined);
  socket.uncork();
}

/** The request line and headers, Host, Content-Length and Connection added; throws (with Node's codes) on a name or value that cannot go. */
function requestHead(target: PostTarget, headers: PostHeaders, bodyBytes: number): Buffer {
  if (INVALID_PATH_CHAR.test(target.path)) throw Object.assign(new Error('unescaped characters in the path'), { code: 'ERR_UNESCAPED_CHARACTERS' });
  const defaultPort = target.tls ? 443 : 80;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  let text = `POST ${target.path} HTTP/1.1\r\nHost: ${target.port === defaultPort ? host : `${host}:${target.port}`}\r\n`;
  // Names differing only in case are one header: the last value wins, in the first one's place (as setHeader).
  const lines = new Map<string, string>();
  for (const name in headers) {
    const value = String(headers[name]);
    if (!HTTP_TOKEN.test(name)) throw Object.assign(new Error('invalid header name'), { code: 'ERR_INVALID_HTTP_TOKEN' });
    if (INVALID_VALUE_CHAR.test(value)) throw Object.assign(new Error('invalid header value'), { code: 'ERR_INVALID_CHAR' });
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'host' || lower === 'connection' || lower === 'transfer-encoding') continue; // ours
    lines.set(lower, `${name}: ${value}\r\n`);
  }
  for (const line of lines.values()) text += line;
  text += `Content-Length: ${bodyBytes}\r\nConnection: keep-alive\r\n\r\n`;
  return Buffer.from(text, 'latin1');
}

/** How a write to a socket the server already closed fails (a hang-up is ECONNRESET). */
function isClosedSocket(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}
