import path from 'node:path';
import pino, { type Logger } from 'pino';
import { startCollector, type RunningCollector } from '../collector/server';
import type { ReportInfo } from '../collector/reports';
import { embeddedCollectorTarget, type LightStepTarget } from '../lightstep/target';
import { embeddedCollectorOtlpTarget, type OtlpTarget } from '../otlp/target';
import { PortInUseError } from '../common/listen';
import { startService, type RunningService } from '../service/server';
import { deliverAsync, DEFAULT_RETRY_BACKOFF_MS, type ForwarderInvoke } from './async-delivery';
import { DEFAULT_DEAD_LETTER_PATH } from './dead-letter';
import { LOCAL_PORTS } from './defaults';
import { logGroupName, type FunctionDefinition } from './function-container';
import { startFunctionEndpoint, type RunningFunctionEndpoint } from './function-endpoint';
import { FunctionPool } from './function-pool';
import { createLocalForwarder, type LocalForwarder } from './local-forwarder';
import { SubscriptionShipper } from './subscription-shipper';

export const LOCAL_FUNCTION_NAME = 'ot-gen-function';
export const LOCAL_SUBSCRIPTION_FILTER_NAME = 'span-lines-to-log-span-forwarder';
const FUNCTION_HANDLER_MODULE = path.resolve(__dirname, '../function/handler.ts');

export interface LocalStackOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. Defaults: collector 8360, service 3000, function 3001. */
  ports?: { collector?: number; service?: number; function?: number };
  /** The collector's SQLite file, or ':memory:'. Default: the collector's own default. */
  dbPath?: string;
  deadLetterPath?: string;
  /** Where the service and the forwarder report. Default: the embedded collector. */
  tracerTarget?: LightStepTarget;
  /**
   * SERVICE_TRACER=otel: the service traces with the OpenTelemetry SDK and the forwarder exports
   * over OTLP, both to `otlpTarget` (default: the embedded collector's /v1/traces), so one
   * 128-bit W3C trace shows on the trace page.
   */
  serviceTracer?: 'lightstep' | 'otel';
  otlpTarget?: OtlpTarget;
  /** Wraps the real forwarder invocation (tests make it fail). */
  forwarderOverride?: (real: ForwarderInvoke) => ForwarderInvoke;
  logger?: Logger;
  /** Warm containers at most. Default 4. */
  maxContainers?: number;
  /** Longest a span line waits before it is shipped. Default 100 ms. */
  batchIntervalMs?: number;
  retryBackoffMs?: readonly number[];
  functionTimeoutMs?: number;
  /** Extra environment for the function (on top of this process's). */
  functionEnv?: Record<string, string>;
  maxCount?: number;
  onCollectorReport?: (info: ReportInfo) => void;
}

export interface LocalStack {
  urls: {
    service: string;
    /** A ready-to-open /ot-gen call. */
    otGenExample: string;
    /** LAMBDA_URL: the function's API-Gateway-style endpoint. */
    function: string;
    /** The collector, its trace list page and JSON API. */
    collector: string;
  };
  collector: RunningCollector;
  pool: FunctionPool;
  shipper: SubscriptionShipper;
  deadLetterPath: string;
  /** Stops the service, the function endpoint and containers, ships what is left, stops the collector. */
  close(): Promise<void>;
}

/** The whole pipeline on one machine: what `npm start` runs, and what the e2e tests start on free ports. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino();
  const deadLetterPath = options.deadLetterPath ?? DEFAULT_DEAD_LETTER_PATH;
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };

  try {
    const collectorPort = options.ports?.collector ?? LOCAL_PORTS.collector;
    const collector = await startCollector({ host, port: collectorPort, dbPath: options.dbPath, onReport: options.onCollectorReport }).catch(
      (err: NodeJS.ErrnoException) => {
        throw err.code === 'EADDRINUSE' ? new PortInUseError(host, collectorPort, 'COLLECTOR_PORT') : err;
      },
    );
    closers.push(() => collector.close());
    const target = options.tracerTarget ?? embeddedCollectorTarget(collector.port);
    const otel = options.serviceTracer === 'otel';
    const otlpTarget = otel ? (options.otlpTarget ?? embeddedCollectorOtlpTarget(collector.port)) : undefined;
    const pointsElsewhere = otel ? options.otlpTarget !== undefined : options.tracerTarget !== undefined;

    const forwarder: LocalForwarder = createLocalForwarder(
      otlpTarget ?? target,
      (line) => logger.debug({ forwarderSummary: line.trim() }, 'log-span-forwarder invocation'),
    );
    closers.push(() => forwarder.close());
    const invoke = options.forwarderOverride ? options.forwarderOverride(forwarder.invoke) : forwarder.invoke;

    const group = logGroupName(LOCAL_FUNCTION_NAME);
    const shipper = new SubscriptionShipper({
      logGroup: group,
      filterName: LOCAL_SUBSCRIPTION_FILTER_NAME,
      flushIntervalMs: options.batchIntervalMs ?? 100,
      deliver: (event, meta) =>
        deliverAsync(event, meta, {
          invoke,
          deadLetterPath,
          backoffMs: options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS,
          onDeadLetter: ({ error, attempts }) =>
            logger.error({ deadLetterPath, attempts, error, logStream: meta.logStream }, 'forwarder failed; batch written to the dead-letter file'),
        }),
    });
    closers.push(() => shipper.flush());

    const fn: FunctionDefinition = {
      name: LOCAL_FUNCTION_NAME,
      handlerModule: FUNCTION_HANDLER_MODULE,
      handlerExport: 'handler',
      timeoutMs: options.functionTimeoutMs ?? 30_000,
      memoryMb: 256,
      env: { ...process.env, ...options.functionEnv },
    };
    const pool = new FunctionPool({
      fn,
      maxContainers: options.maxContainers ?? 4,
      onLogEvent: (logStream, event) => shipper.add(logStream, event),
    });
    closers.push(() => pool.close());
    await pool.prewarm(); // a handler that cannot load fails `npm start`, not the first request

    const endpoint: RunningFunctionEndpoint = await startFunctionEndpoint({ host, port: options.ports?.function ?? LOCAL_PORTS.function, pool, logger });
    closers.push(() => endpoint.close());

    const service: RunningService = await startService({
      host,
      port: options.ports?.service ?? LOCAL_PORTS.service,
      lambdaUrl: endpoint.url,
      tracer: target,
      ...(otlpTarget ? { otel: otlpTarget } : {}),
      maxCount: options.maxCount,
      // The trace page only shows what reached the embedded collector.
      tracePageBaseUrl: pointsElsewhere ? undefined : collector.url,
      logger,
    });
    closers.push(() => service.close());

    let closing: Promise<void> | undefined;
    return {
      urls: {
        service: service.url,
        otGenExample: `${service.url}/ot-gen?count=3`,
        function: endpoint.url,
        collector: collector.url,
      },
      collector,
      pool,
      shipper,
      deadLetterPath,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
