import type { ConnectionOptions } from './contract';
import type { PostBody } from '../common/http-post';
import { KeepAliveReportTransport } from './keep-alive-transport';
import { ReportError, toReportError } from './report-error';
import type { LightStepTarget } from './target';

/** The options a tracer made by createLightStepReporter hands its transport, for the same target. */
export function connectionOptionsFor(target: LightStepTarget): ConnectionOptions {
  return {
    collector_host: target.collectorHost,
    collector_port: target.collectorPort,
    collector_encryption: target.collectorEncryption,
    report_timeout_millis: target.reportTimeoutMillis,
  };
}

/**
 * Serialized ReportRequests to one LightStep target, without a tracer: the keep-alive transport
 * every tracer here uses (one agent, a report written to a socket that died while the container
 * was frozen sent once more), and its token-free ReportErrors.
 */
export class ReportClient {
  private readonly transport = new KeepAliveReportTransport();

  constructor(private readonly target: LightStepTarget) {
    this.transport.ensureConnection(connectionOptionsFor(target));
  }

  /**
   * Resolves on a 200 with a ReportResponse; rejects with a ReportError otherwise. `deadlineMs`
   * (epoch ms, the invocation's): the answer must come by then as well as within the report
   * timeout; a post with no time left is not sent.
   */
  post(report: PostBody, deadlineMs?: number): Promise<void> {
    const token = this.target.accessToken;
    const timeout = this.target.reportTimeoutMillis > 0 ? this.target.reportTimeoutMillis : Infinity;
    const left = deadlineMs === undefined ? Infinity : deadlineMs - Date.now();
    if (left <= 0) return Promise.reject(new ReportError("no time left before the invocation's deadline: the report was not sent", 'ETIMEDOUT'));
    const deadlineFirst = left < timeout;
    return new Promise((resolve, reject) =>
      this.transport.send(
        report,
        token,
        (error) => {
          if (!error) return resolve();
          const failure = toReportError(error, token);
          reject(deadlineFirst && failure.code === 'ETIMEDOUT' ? new ReportError(`${failure.message}, the invocation's deadline`, failure.code) : failure);
        },
        deadlineFirst ? Math.ceil(left) : undefined,
      ),
    );
  }

  /** Frees the kept-alive sockets (a later report opens new ones). */
  close(): void {
    this.transport.close();
  }
}
