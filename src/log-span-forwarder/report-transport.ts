import * as http from 'node:http';
import * as https from 'node:https';
import type { SpanRecord } from 'lightstep-tracer';
import { collectorPb } from './lightstep-proto';

// The transport contract lightstep-tracer 0.35.0's `_flushReport` uses (src/imp/tracer_imp.js,
// report_imp.js, auth_imp.js); `override_transport` replaces the built-in transport with it.
export interface ReportAuth {
  getAccessToken(): string;
}
export interface ReportToSend {
  toProto(auth: ReportAuth): { serializeBinary(): Uint8Array };
  getSpanRecords(): SpanRecord[];
}
export interface ReportTransport {
  ensureConnection(options: Record<string, unknown>): void;
  report(detached: boolean, auth: ReportAuth, report: ReportToSend, done: (err: Error | null, response?: unknown) => void): void;
}

/**
 * lightstep-tracer's report transport, redone for a long-lived forwarder (set as the tracer's
 * `override_transport`; the tracer still builds, serializes and buffers the reports).
 *
 * Why: the built-in transport adds a 'timeout' listener to the socket on every report and never
 * removes it. Node 20 keeps sockets alive, so a warm forwarder container leaks one listener (and
 * what it holds) per flush — measured: MaxListenersExceededWarning on the 11th flush. Here the
 * timeout goes through `req.setTimeout`, which Node removes when the socket returns to the pool,
 * and each transport owns its agent so `close()` can release its sockets.
 *
 * Same wire format as the built-in one: POST /api/v2/reports, protobuf ReportRequest, header
 * LightStep-Access-Token, success only on status 200 with a ReportResponse body.
 */
export class ForwarderReportTransport implements ReportTransport {
  private host = '';
  private port = 0;
  private encryption = 'tls';
  private timeoutMs = 5000;
  private agent: http.Agent | undefined;

  ensureConnection(options: Record<string, unknown>): void {
    this.host = String(options.collector_host);
    this.port = Number(options.collector_port);
    this.timeoutMs = Number(options.report_timeout_millis) || this.timeoutMs;
    const encryption = String(options.collector_encryption);
    if (this.agent === undefined || encryption !== this.encryption) {
      this.agent?.destroy();
      this.encryption = encryption;
      this.agent = encryption === 'none' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
    }
  }

  report(
    _detached: boolean,
    auth: ReportAuth,
    report: ReportToSend,
    done: (err: Error | null, response?: unknown) => void,
  ): void {
    let payload: Buffer;
    try {
      payload = Buffer.from(report.toProto(auth).serializeBinary());
    } catch (error) {
      return done(new Error(`could not serialize the report: ${(error as Error).message}`));
    }
    const send = this.encryption === 'none' ? http.request : https.request;
    let finished = false;
    const finish = (err: Error | null, response?: unknown): void => {
      if (finished) return;
      finished = true;
      done(err, response);
    };
    const req = send(
      {
        host: this.host,
        port: this.port,
        method: 'POST',
        path: '/api/v2/reports',
        agent: this.agent,
        headers: {
          'User-Agent': 'LightStep-JavaScript-Node',
          'LightStep-Access-Token': auth.getAccessToken(),
          Accept: 'application/octet-stream',
          'Content-Type': 'application/octet-stream',
          'Content-Length': payload.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish(error));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200) {
            const text = body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
            return finish(new Error(`collector answered ${res.statusCode} ${res.statusMessage ?? ''}${text ? `: ${text}` : ''}`));
          }
          try {
            finish(null, collectorPb.ReportResponse.deserializeBinary(body).toObject());
          } catch (error) {
            finish(new Error(`collector answered 200 with a body that is not a ReportResponse: ${(error as Error).message}`));
          }
        });
      },
    );
    req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
    req.on('error', (error) => finish(error));
    req.end(payload);
  }

  /** Releases kept-alive sockets (tests, and a container shutting down). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}
