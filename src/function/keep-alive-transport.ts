import * as http from 'node:http';
import * as https from 'node:https';

/**
 * A replacement for lightstep-tracer 0.35.0's protobuf transport, handed to the tracer through its
 * `override_transport` option. Why: the stock transport (lib/imp/platform/node/transport_httpproto.js)
 * adds a 'timeout' listener to the socket on every request and never removes it; on Node ≥ 19 the
 * global agent keeps sockets alive, so a function that flushes once per invocation piles listeners
 * on one socket and prints MaxListenersExceededWarning after ~10 invocations (and leaks each
 * request's closure). This transport keeps the socket alive (a fresh TLS handshake per
 * invocation would distort the direct-mode baseline) on an agent of its own, and uses the
 * request-scoped timeout that Node detaches from the socket when the request ends.
 */

// The shapes lightstep-tracer hands a transport (src/imp/tracer_imp.js `_flushReport`).
interface TransportOptions {
  collector_host: string;
  collector_port: number;
  collector_encryption: string;
  report_timeout_millis: number;
}
interface Auth {
  getAccessToken(): string;
}
interface ReportRequest {
  toProto(auth: Auth): { serializeBinary(): Uint8Array };
}
interface ReportResponseClass {
  deserializeBinary(bytes: Uint8Array): { toObject(): unknown };
}

const REPORT_PATH = '/api/v2/reports';

export class KeepAliveProtoTransport {
  private options: TransportOptions | undefined;
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly reportResponse: ReportResponseClass) {}

  ensureConnection(options: TransportOptions): void {
    this.options = options;
  }

  report(_detached: boolean, auth: Auth, reportRequest: ReportRequest, done: (err: Error | null, res?: unknown) => void): void {
    const options = this.options;
    if (options === undefined) return done(new Error('transport used before ensureConnection'));
    let payload: Buffer;
    try {
      payload = Buffer.from(reportRequest.toProto(auth).serializeBinary());
    } catch (error) {
      return done(error instanceof Error ? error : new Error(String(error)));
    }
    this.send(options, auth.getAccessToken(), payload, true, done);
  }

  /**
   * One POST. A kept-alive socket can die while Lambda has the process frozen: the server's
   * idle close is only seen after the thaw, when the next report is already written to it. A
   * request that fails that way on a reused socket is sent once more on a fresh one (the
   * pattern Node's http docs give for keep-alive races).
   */
  private send(
    options: TransportOptions,
    token: string,
    payload: Buffer,
    mayRetry: boolean,
    done: (err: Error | null, res?: unknown) => void,
  ): void {
    const tls = options.collector_encryption !== 'none';
    let settled = false;
    const finish = (err: Error | null, res?: unknown): void => {
      if (settled) return;
      settled = true;
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (mayRetry && request.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) {
        this.send(options, token, payload, false, done);
        return;
      }
      done(err, res);
    };
    const request = (tls ? https : http).request(
      {
        hostname: options.collector_host,
        port: options.collector_port,
        method: 'POST',
        path: REPORT_PATH,
        agent: tls ? this.httpsAgent : this.httpAgent,
        headers: {
          'User-Agent': 'LightStep-JavaScript-Node',
          'LightStep-Access-Token': token,
          Accept: 'application/octet-stream',
          'Content-Type': 'application/octet-stream',
          'Content-Length': payload.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          if (response.statusCode !== 200) {
            const text = body.toString('utf8', 0, Math.min(body.length, 512)).trim();
            return finish(new Error(`status code=${response.statusCode}, message='${response.statusMessage}', body='${text}'`));
          }
          try {
            finish(null, this.reportResponse.deserializeBinary(body).toObject());
          } catch (error) {
            finish(error instanceof Error ? error : new Error(String(error)));
          }
        });
        response.on('error', (error) => finish(error));
      },
    );
    request.setTimeout(options.report_timeout_millis, () => {
      request.destroy(new Error(`report timed out after ${options.report_timeout_millis} ms`));
    });
    request.on('error', (error) => finish(error));
    request.end(payload);
  }
}
