import * as http from 'node:http';
import * as https from 'node:https';

/** Where reports go: the collector URL split into what http.request needs. */
export interface ReportTarget {
  tls: boolean;
  host: string;
  port: number;
  path: string;
}

export type PostResult =
  | { ok: true; statusCode: number; statusMessage: string; body: Buffer }
  | {
      ok: false;
      error: NodeJS.ErrnoException;
      /** Failed before any answer, on a socket the agent reused: the keep-alive race, safe to resend. */
      staleSocket: boolean;
    };

export function targetUrl(target: ReportTarget): string {
  return `${target.tls ? 'https' : 'http'}://${target.host}:${target.port}${target.path}`;
}

/**
 * One POST of a serialized report, with the headers the stock transport sends. The timeout is
 * the request's own (`request.setTimeout`), whose socket listener Node removes when the request
 * ends; the stock transport's `socket.on('timeout')` is never removed, and on a kept-alive
 * socket that is one more listener per report.
 */
export function postReport(
  target: ReportTarget,
  agent: http.Agent,
  token: string,
  payload: Buffer,
  timeoutMs: number,
  callback: (result: PostResult) => void,
): void {
  let settled = false;
  let answered = false;
  const settle = (result: PostResult): void => {
    if (settled) return;
    settled = true;
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
        headers: {
          'User-Agent': 'LightStep-JavaScript-Node',
          'LightStep-Access-Token': token,
          Accept: 'application/octet-stream',
          'Content-Type': 'application/octet-stream',
          'Content-Length': payload.length,
        },
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () =>
          settle({ ok: true, statusCode: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', body: Buffer.concat(chunks) }),
        );
      },
    );
  } catch (error) {
    // Thrown before sending: an option or header Node refuses (a token with a control character).
    // Only the code goes on: such messages may quote the header's value.
    const code = (error as NodeJS.ErrnoException).code ?? 'ERR_INVALID_REQUEST';
    return settle({ ok: false, error: Object.assign(new Error(`the request could not be built (${code})`), { code }), staleSocket: false });
  }
  request.setTimeout(timeoutMs, () => {
    request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
  });
  request.on('error', fail);
  request.end(payload);
}

/** How a write to a socket the server already closed fails (Node's "socket hang up" is ECONNRESET). */
function isClosedSocket(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}
