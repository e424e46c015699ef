import * as http from 'node:http';
import * as https from 'node:https';

/**
 * A replacement for lightstep-tracer's protobuf-over-HTTP transport (passed as the tracer's
 * `override_transport`).
 *
 * WHY: the stock transport (lib/imp/platform/node/transport_httpproto.js, 0.35.0) calls
 * `socket.on('timeout', …)` on every report. On Node 20 the global agent keeps sockets alive, so
 * a service that flushes once per request adds a listener per report to the same socket and
 * prints a MaxListenersExceededWarning after ten flushes. It also puts the serialized report —
 * access token included — into its warning payloads. This transport uses its own keep-alive
 * agent and `request.setTimeout`, whose listener Node removes when the request is done, and its
 * errors name the host, never the token.
 */

// The tracer hands the transport its report object and an auth object; these are the only
// members used (checked against lib/imp/report_imp.js and auth_imp.js, 0.35.0).
interface ReportRequestLike {
  toProto(auth: unknown): { serializeBinary(): Uint8Array };
}
interface AuthLike {
  getAccessToken(): string;
}
interface ConnectionOptions {
  collector_host: string;
  collector_port: number;
  collector_path?: string;
  collector_encryption: string;
  report_timeout_millis: number;
}
type ReportDone = (err: Error | null, response?: unknown) => void;

// lightstep-tracer's own generated protobuf module decodes the collector's ReportResponse, so
// the tracer still gets the timing it uses for clock-skew correction.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const collectorPb = require('lightstep-tracer/lib/imp/generated_proto/collector_pb.js') as {
  ReportResponse: { deserializeBinary(bytes: Uint8Array): { toObject(): unknown } };
};

export class KeepAliveReportTransport {
  private host = '';
  private port = 0;
  private path = '/api/v2/reports';
  private timeoutMs = 30_000;
  private encrypted = true;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  /** Called by the tracer before every report with its current options. */
  ensureConnection(opts: ConnectionOptions): void {
    this.host = opts.collector_host;
    this.port = opts.collector_port;
    this.path = `${(opts.collector_path ?? '').replace(/\/$/, '')}/api/v2/reports`;
    this.encrypted = opts.collector_encryption !== 'none';
    this.timeoutMs = opts.report_timeout_millis;
  }

  report(_detached: boolean, auth: AuthLike, reportRequest: ReportRequestLike, done: ReportDone): void {
    let payload: Buffer;
    try {
      payload = Buffer.from(reportRequest.toProto(auth).serializeBinary());
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const where = `${this.encrypted ? 'https' : 'http'}://${this.host}:${this.port}${this.path}`;
    let finished = false;
    const finish = (err: Error | null, response?: unknown): void => {
      if (finished) return;
      finished = true;
      done(err, response);
    };
    const request = (this.encrypted ? https : http).request(
      {
        hostname: this.host,
        port: this.port,
        path: this.path,
        method: 'POST',
        agent: this.encrypted ? this.httpsAgent : this.httpAgent,
        headers: {
          'User-Agent': 'LightStep-JavaScript-Node',
          'LightStep-Access-Token': auth.getAccessToken(),
          Accept: 'application/octet-stream',
          'Content-Type': 'application/octet-stream',
          'Content-Length': payload.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (err) => finish(new Error(`report to ${where} failed: ${err.message}`)));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          if (response.statusCode !== 200) {
            const text = body.toString('utf8').slice(0, 200).trim();
            finish(new Error(`report to ${where} failed: status ${response.statusCode}${text ? ` (${text})` : ''}`));
            return;
          }
          try {
            finish(null, collectorPb.ReportResponse.deserializeBinary(body).toObject());
          } catch {
            // A collector that accepted the report but answers oddly: the spans are delivered.
            finish(null, null);
          }
        });
      },
    );
    request.setTimeout(this.timeoutMs, () => {
      request.destroy(new Error(`report to ${where} timed out after ${this.timeoutMs} ms`));
    });
    request.on('error', (err) => finish(err.message.startsWith('report to') ? err : new Error(`report to ${where} failed: ${err.message}`)));
    request.end(payload);
  }

  /** Closes the kept-alive sockets (the service calls this on shutdown). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
