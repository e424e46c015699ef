import { KeptAliveSockets, type PostBody } from '../common/http-post';
import type { ConnectionOptions, ReportAuth, ReportDone, ReportToSend, ReportTransport } from './contract';
import { postReport, targetUrl, type PostResult, type ReportTarget } from './post-report';
import { ReportError, TEXT_NOT_SHOWN, textWithoutToken } from './report-error';
import { checkReportResponse } from './wire/report-response';

const REPORTS_PATH = '/api/v2/reports';
/** lightstep-tracer's default report_timeout_millis, for options that lack one. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** How much of a refusing collector's body goes into the error. */
const BODY_EXCERPT_CHARS = 200;

/**
 * lightstep-tracer's protobuf-over-HTTP transport, redone; set as the tracer's `override_transport`
 * (the tracer still builds, serializes, buffers and re-buffers the reports), and behind
 * ReportClient for reports written without a tracer (`send`). Same wire format:
 * POST /api/v2/reports, protobuf ReportRequest, header LightStep-Access-Token, success only on
 * status 200 with a ReportResponse body (decoded for tracers, so clock-skew correction still gets its timing).
 *
 * Why: the stock transport (lib/imp/platform/node/transport_httpproto.js) adds a socket 'timeout'
 * listener on every report and never removes it. Node ≥ 19 keeps sockets alive, so a process that
 * flushes per request or per invocation piles listeners on one socket (MaxListenersExceededWarning
 * after ~10 flushes, and each report's closure leaked). It also logs the serialized report with
 * the token in it. Here:
 * - each transport owns its kept-alive sockets (no TLS handshake per flush; `close()` frees them);
 * - the timeout is per request, and cleared when the request ends (no listener stays on the socket);
 * - a report that fails on a reused socket before any answer is sent once more on a fresh one.
 *   A kept-alive socket can die while Lambda has the process frozen: the server's idle close is
 *   only seen after the thaw, when the next report is already written to it;
 * - errors name the collector URL, never the token.
 */
export class KeepAliveReportTransport implements ReportTransport {
  private target: ReportTarget | undefined;
  private timeoutMs = DEFAULT_TIMEOUT_MS;
  private sockets: KeptAliveSockets | undefined;
  /** Where `sockets` connect: a new target (or encryption) gets new ones. */
  private socketsKey = '';

  /**
   * @param readResponse what a 200's ReportResponse becomes for the caller: by default it is only
   * checked to be one (nothing decoded, google-protobuf never loaded: the forwarder's reports); the
   * tracers' transport decodes it (reporter.ts), as their clock-skew correction reads its timing.
   */
  constructor(private readonly readResponse: (body: Buffer) => unknown = checkOnly) {}

  /** Called by the tracer before every report with its current options. */
  ensureConnection(options: ConnectionOptions): void {
    this.target = {
      tls: options.collector_encryption !== 'none',
      host: options.collector_host,
      port: Number(options.collector_port),
      path: `${(options.collector_path ?? '').replace(/\/$/, '')}${REPORTS_PATH}`,
    };
    const timeoutMs = Number(options.report_timeout_millis);
    this.timeoutMs = timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MS;
  }

  report(_detached: boolean, auth: ReportAuth, report: ReportToSend, done: ReportDone): void {
    const token = auth.getAccessToken();
    if (this.target === undefined) return done(new ReportError('report sent before ensureConnection()'));
    let payload: Buffer;
    try {
      payload = Buffer.from(report.toProto(auth).serializeBinary());
    } catch (error) {
      // The serialized report holds the token: its error text is outside text.
      return done(new ReportError(`could not serialize the report${outsideText(messageOf(error), token, ': ')}`));
    }
    this.send(payload, token, done);
  }

  /**
   * POSTs a ReportRequest already serialized (the forwarder writes its reports' bytes itself;
   * chunks are sent one after the other), with the same resend and error rules as a tracer's
   * reports. `timeoutMs`: this report's deadline when shorter than the target's report timeout
   * (the invocation's).
   */
  send(payload: PostBody, token: string, done: ReportDone, timeoutMs = this.timeoutMs): void {
    const target = this.target;
    if (target === undefined) return done(new ReportError('report sent before ensureConnection()'));
    const send = (mayResend: boolean): void =>
      postReport(target, this.socketsFor(target), token, payload, timeoutMs, (result) => {
        if (!result.ok && result.staleSocket && mayResend) return send(false);
        done(...outcome(target, token, result, this.readResponse));
      });
    send(true);
  }

  /** Closes the kept-alive sockets (on shutdown; a later report opens new ones). */
  close(): void {
    this.sockets?.close();
    this.sockets = undefined;
  }

  private socketsFor(target: ReportTarget): KeptAliveSockets {
    const key = `${target.tls}:${target.host}:${target.port}`;
    if (this.sockets === undefined || this.socketsKey !== key) {
      this.sockets?.close();
      this.sockets = new KeptAliveSockets(target);
      this.socketsKey = key;
    }
    return this.sockets;
  }
}

function checkOnly(body: Buffer): undefined {
  checkReportResponse(body);
  return undefined;
}

/** What the callback gets for one POST: an error, or what `readResponse` made of the ReportResponse. */
function outcome(target: ReportTarget, token: string, result: PostResult, readResponse: (body: Buffer) => unknown): [Error | null, unknown?] {
  const where = `POST ${targetUrl(target)}`;
  // Node's network errors name the address and the failed step, never a header.
  if (!result.ok) return [new ReportError(`${where}: ${result.error.message}`, result.error.code)];
  if (result.statusCode !== 200) {
    const status = `${result.statusCode} ${result.statusMessage}`.trim();
    const body = result.body.toString('utf8');
    if (body.trim() === '') return [new ReportError(`${where} answered ${status}`)];
    // Redacted before it is cut, or a token straddling the cut would leave its first part behind.
    const safe = textWithoutToken(body, token);
    if (safe === undefined) return [new ReportError(`${where} answered ${status}${TEXT_LEFT_OUT}`)];
    return [new ReportError(`${where} answered ${status}: ${safe.replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT_CHARS)}`)];
  }
  try {
    return [null, readResponse(result.body)];
  } catch (error) {
    return [new ReportError(`${where} answered 200 with a body that is not a ReportResponse${outsideText(messageOf(error), token, ' (', ')')}`)];
  }
}

const TEXT_LEFT_OUT = ` (${TEXT_NOT_SHOWN})`;

/** Outside text for a message: prefixed, with the token redacted, or a note that it was left out. */
function outsideText(text: string, token: string, before: string, after = ''): string {
  const safe = textWithoutToken(text, token);
  return safe === undefined ? TEXT_LEFT_OUT : `${before}${safe}${after}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
