import type { Tracer } from 'opentracing';
import type { DirectReportingConfig } from './config';
import { KeepAliveReportTransport, textWithoutToken } from '../lightstep-transport';

/** lightstep-tracer set up the way the article's function uses it, plus a promise-returning flush. */
export interface DirectReporting {
  tracer: Tracer;
  /**
   * Sends everything buffered; rejects with the transport error, the token taken out (also a
   * piece of it that a collector echoed across the transport's body excerpt cut). A collector
   * that never answers fails it after `reportTimeoutMillis`.
   */
  flush(): Promise<void>;
}

/**
 * Loads lightstep-tracer (≈6 MB, tens of ms to require) only here: log mode must never pay for it,
 * so nothing else in src/function imports it.
 */
export function createDirectReporting(config: DirectReportingConfig, componentName: string): DirectReporting {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lightstep: typeof import('lightstep-tracer') = require('lightstep-tracer');
  const tracer = new lightstep.Tracer({
    access_token: config.accessToken,
    component_name: componentName,
    collector_host: config.collectorHost,
    collector_port: config.collectorPort,
    collector_encryption: config.collectorEncryption,
    // The stock 30 s would outlast the function's Timeout when a collector accepts and never answers.
    report_timeout_millis: config.reportTimeoutMillis,
    // Report on our flush only: a frozen Lambda has no timers to run a reporting loop.
    delay_initial_report_millis: 0,
    disable_reporting_loop: true,
    // Errors reach the handler's telemetry-error hook through flush(); no console noise.
    verbosity: 0,
    // Keep-alive without the stock transport's listener leak, and a report written to a socket that
    // died while the container was frozen is sent again on a fresh one.
    override_transport: new KeepAliveReportTransport(),
  } as import('lightstep-tracer').TracerOptions);
  return {
    tracer,
    flush: () =>
      new Promise<void>((resolve, reject) => {
        tracer.flush((err) =>
          // The transport's errors are token-free by construction; this guards the tracer's own.
          err ? reject(new Error(`LightStep report failed: ${textWithoutToken(describe(err), config.accessToken) ?? 'error text not shown (the access token is too short to redact)'}`)) : resolve(),
        );
      }),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
