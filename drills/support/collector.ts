import path from 'node:path';
import { startCollector, type RunningCollector } from '../../src/collector/server';
import type { ReportInfo } from '../../src/collector/reports';
import type { TraceStore } from '../../src/collector/store';
import type { LightStepTarget } from '../../src/lightstep/target';
import type { OtlpTarget } from '../../src/otlp/target';

/**
 * The embedded collector as a drill needs it: a SQLite file (what it stored survives a restart,
 * and the secrets check reads the file), the run's token required, and a real stop: the listener
 * closes and every connection is dropped, then it starts again on the same port.
 */
export class RestartableCollector {
  /** Spans received in reports and how many of them were new, per component. */
  readonly received = new Map<string, { spans: number; inserted: number }>();
  private running: RunningCollector | undefined;
  private portNumber = 0;

  constructor(
    private readonly dir: string,
    private readonly token: string,
    private readonly name = 'collector',
    private readonly otlpHeader = '',
  ) {}

  get dbPath(): string {
    return path.join(this.dir, `${this.name}.sqlite`);
  }

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  get up(): boolean {
    return this.running !== undefined;
  }

  /** The store of the running collector (stopped: throws). */
  get store(): TraceStore {
    if (!this.running) throw new Error('the collector is down');
    return this.running.store;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = await startCollector({
      host: '127.0.0.1',
      port: this.portNumber,
      dbPath: this.dbPath,
      accessToken: this.token,
      onReport: (info: ReportInfo) => this.count(info),
    });
    this.portNumber = this.running.port;
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.close();
  }

  /** Where the forwarder, the service and the CLIs report: this collector, with the run's token. */
  target(reportTimeoutMillis = 5000): LightStepTarget {
    return { accessToken: this.token, collectorHost: '127.0.0.1', collectorPort: this.portNumber, collectorEncryption: 'none', reportTimeoutMillis };
  }

  /** The same collector's OTLP endpoint, with the token and the run's OTLP header value as headers. */
  otlpTarget(): OtlpTarget {
    return {
      url: `${this.url}/v1/traces`,
      headers: { 'lightstep-access-token': this.token, ...(this.otlpHeader ? { 'x-drill-header': this.otlpHeader } : {}) },
      protocol: 'http/protobuf',
      compression: 'gzip',
      timeoutMillis: 10_000,
    };
  }

  /** The LIGHTSTEP_* settings a CLI needs to report here. */
  env(): Record<string, string> {
    return {
      LIGHTSTEP_ACCESS_TOKEN: this.token,
      LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
      LIGHTSTEP_COLLECTOR_PORT: String(this.portNumber),
      LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    };
  }

  totalReceived(component?: string): { spans: number; inserted: number } {
    let spans = 0;
    let inserted = 0;
    for (const [name, counts] of this.received) {
      if (component !== undefined && name !== component) continue;
      spans += counts.spans;
      inserted += counts.inserted;
    }
    return { spans, inserted };
  }

  private count(info: ReportInfo): void {
    const counts = this.received.get(info.component) ?? { spans: 0, inserted: 0 };
    counts.spans += info.spans;
    counts.inserted += info.inserted;
    this.received.set(info.component, counts);
  }
}
