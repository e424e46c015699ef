import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pino, { type Logger } from 'pino';
import { createServiceApp } from './app';
import type { LightStepTarget } from '../lightstep/target';
import type { OtlpTarget } from '../otlp/target';
import { DEFAULT_MAX_COUNT } from './config';
import { createServiceTracer } from './tracer';
import { listen, PortInUseError } from '../common/listen';

export { PortInUseError };

export interface StartServiceOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  lambdaUrl: string;
  tracer: LightStepTarget;
  /** Trace with the OpenTelemetry SDK (SERVICE_TRACER=otel), exporting OTLP here, instead of lightstep-tracer. */
  otel?: OtlpTarget;
  maxCount?: number;
  tracePageBaseUrl?: string;
  logger?: Logger;
  /** lightstep-tracer's console verbosity (0 silences it). */
  tracerVerbosity?: number;
  callTimeoutMs?: number;
}

export interface RunningService {
  url: string;
  port: number;
  /** Stops accepting, waits for requests in flight, flushes the tracer. */
  close(): Promise<void>;
}

export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino();
  const serviceTracer = options.otel
    ? (await import('./otel-tracer')).createOtelServiceTracer(options.otel)
    : createServiceTracer(options.tracer, { verbosity: options.tracerVerbosity });
  const app = createServiceApp({
    tracer: serviceTracer.tracer,
    flush: serviceTracer.flush,
    lambdaUrl: options.lambdaUrl,
    maxCount: options.maxCount ?? DEFAULT_MAX_COUNT,
    tracePageBaseUrl: options.tracePageBaseUrl,
    logger,
    callTimeoutMs: options.callTimeoutMs,
  });
  let server: Server;
  try {
    server = await listen(app, host, options.port, 'PORT');
  } catch (err) {
    await serviceTracer.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive connections would hold close() open; requests in flight still finish.
          server.closeIdleConnections();
        });
        await serviceTracer.close();
      })();
      return closing;
    },
  };
}
