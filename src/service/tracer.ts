import * as lightstep from 'lightstep-tracer';
import { KeepAliveReportTransport } from '../lightstep-transport';
import type { TracerTarget } from './config';

export const SERVICE_COMPONENT_NAME = 'node-service';

/** How often spans left over by a failed flush are retried. */
const RETRY_FLUSH_INTERVAL_MS = 2500;

export interface ServiceTracer {
  tracer: lightstep.Tracer;
  /** Reports every finished span now; resolves false (never rejects) when the report failed. */
  flush(): Promise<boolean>;
  /** Final flush, then the transport's sockets are closed. */
  close(): Promise<void>;
}

/** The service reports directly with the real lightstep-tracer, as the article's service does. */
export function createServiceTracer(target: TracerTarget, options: { verbosity?: number } = {}): ServiceTracer {
  const transport = new KeepAliveReportTransport();
  const tracer = new lightstep.Tracer({
    access_token: target.accessToken,
    component_name: SERVICE_COMPONENT_NAME,
    collector_host: target.collectorHost,
    collector_port: target.collectorPort,
    collector_encryption: target.encryption,
    verbosity: options.verbosity ?? 1,
    report_timeout_millis: 5000,
    disable_meta_event_reporting: true,
    // The tracer's own loop and exit hook each add a process 'beforeExit' listener per tracer
    // (and never remove them); the service flushes explicitly instead: after every /ot-gen, on a
    // retry timer while spans are left over, and on shutdown.
    disable_reporting_loop: true,
    disable_report_on_exit: true,
    override_transport: transport,
  } as lightstep.TracerOptions & { override_transport: unknown });

  const flush = (): Promise<boolean> => new Promise((resolve) => tracer.flush((err) => resolve(!err)));
  // A failed report puts its spans back in the buffer; this picks them up later.
  const retryTimer = setInterval(() => {
    if (tracer._spanRecords.length > 0) void flush();
  }, RETRY_FLUSH_INTERVAL_MS);
  retryTimer.unref();

  return {
    tracer,
    flush,
    async close() {
      clearInterval(retryTimer);
      await flush();
      transport.close();
    },
  };
}
