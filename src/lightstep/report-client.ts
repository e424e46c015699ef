import type { ConnectionOptions } from './contract';
import { KeepAliveReportTransport } from './keep-alive-transport';
import { toReportError } from './report-error';
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

  /** Resolves on a 200 with a ReportResponse; rejects with a ReportError otherwise. */
  post(report: Buffer): Promise<void> {
    const token = this.target.accessToken;
    return new Promise((resolve, reject) =>
      this.transport.send(report, token, (error) => (error ? reject(toReportError(error, token)) : resolve())),
    );
  }

  /** Frees the kept-alive sockets (a later report opens new ones). */
  close(): void {
    this.transport.close();
  }
}
