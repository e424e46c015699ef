import * as http from 'node:http';
import * as https from 'node:https';

/** Where a POST goes: the URL split into what http.request needs. */
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
      /** Failed before any answer, on a socket the agent reused: the keep-alive race, safe to resend. */
      staleSocket: boolean;
    };

/** The target's URL without its query string (which may carry a key): safe to print. */
export function postTargetUrl(target: PostTarget): string {
  return `${target.tls ? 'https' : 'http'}://${target.host}:${target.port}${target.path.split('?')[0]}`;
}

/**
 * One POST of a ready body through a (kept-alive) agent, for the exporters' transports. The
 * timeout is a timer of the request's own that bounds the whole exchange and is cleared when it
 * settles; a `socket.on('timeout')` is never removed, and on a kept-alive socket that is one more
 * listener per request. Never throws: every outcome reaches `callback` once, and its errors never
 * quote a header (they may hold secrets).
 */
export function postBody(
  target: PostTarget,
  agent: http.Agent,
  headers: http.OutgoingHttpHeaders,
  body: Buffer,
  timeoutMs: number,
  callback: (result: PostResult) => void,
): void {
  let settled = false;
  let answered = false;
  let deadline: NodeJS.Timeout | undefined;
  const settle = (result: PostResult): void => {
    if (settled) return;
    settled = true;
    clearTimeout(deadline);
    callback(result);
  };
  const fail = (error: NodeJS.ErrnoException): void =>
    settle({ ok: false, error, staleSocket: !answered && request.reusedSocket && isClosedSocket(error) });

  let request: http.ClientRequest;
  try {
    request = (target.tls ? https : http).request(
      {
        hostname: target.host,
        port: target.port,
        path: target.path,
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Length': body.length },
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () =>
          settle({
            ok: true,
            statusCode: response.statusCode ?? 0,
            statusMessage: response.statusMessage ?? '',
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
  } catch (error) {
    // Thrown before sending: an option or header Node refuses (a value with a control character).
    // Only the code goes on: such messages may quote the header's value.
    const code = (error as NodeJS.ErrnoException).code ?? 'ERR_INVALID_REQUEST';
    return settle({ ok: false, error: Object.assign(new Error(`the request could not be built (${code})`), { code }), staleSocket: false });
  }
  // One deadline for the whole exchange, not an idle timeout (request.setTimeout): a server that
  // trickles its answer a byte at a time never leaves the socket idle, and would hold the report
  // (and the invocation waiting on it) for as long as it likes.
  deadline = setTimeout(() => {
    const error = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
    settle({ ok: false, error, staleSocket: false });
    request.destroy(error);
  }, timeoutMs);
  request.on('error', fail);
  request.end(body);
}

/** How a write to a socket the server already closed fails (Node's "socket hang up" is ECONNRESET). */
function isClosedSocket(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}
