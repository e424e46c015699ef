import path from 'node:path';
import pino from 'pino';
import type { ForwarderInvoke } from '../../src/local/async-delivery';
import { startLocalStack, type LocalStack } from '../../src/local/stack';
import type { OtGenResponse } from '../../src/service/ot-gen';
import type { RestartableCollector } from './collector';
import { writeArtifact } from './drill';

export interface DrillStack {
  stack: LocalStack;
  /** Every line the stack logged (pino at debug: forwarder summaries, dead-letter notices). */
  logLines: string[];
  /** Stops the stack (the service's last flush, the shipper's last batches) and saves its log. */
  close(): Promise<void>;
}

/**
 * The local stack on free ports, reporting (service and forwarder) to the drill's collector with
 * the run's token; the function containers get the token in their environment too, as a
 * careless deployment would, so a leak through the function would show.
 */
export async function startDrillStack(options: {
  dir: string;
  collector: RestartableCollector;
  forwarderOverride?: (real: ForwarderInvoke) => ForwarderInvoke;
  retryBackoffMs?: readonly number[];
  maxContainers?: number;
  reportTimeoutMillis?: number;
  /** SERVICE_TRACER=otel: the service (OpenTelemetry SDK) and the forwarder export over OTLP, with the run's OTLP header. */
  otel?: boolean;
}): Promise<DrillStack> {
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  const stack = await startLocalStack({
    ports: { collector: 0, service: 0, function: 0 },
    dbPath: ':memory:',
    deadLetterPath: path.join(options.dir, 'dead-letter.jsonl'),
    tracerTarget: options.collector.target(options.reportTimeoutMillis),
    ...(options.otel ? { serviceTracer: 'otel' as const, otlpTarget: options.collector.otlpTarget() } : {}),
    forwarderOverride: options.forwarderOverride,
    retryBackoffMs: options.retryBackoffMs,
    maxContainers: options.maxContainers,
    functionEnv: { LIGHTSTEP_ACCESS_TOKEN: options.collector.env().LIGHTSTEP_ACCESS_TOKEN },
    logger,
  });
  let closed: Promise<void> | undefined;
  return {
    stack,
    logLines,
    close: () =>
      (closed ??= stack.close().then(() => writeArtifact(options.dir, 'stack-log.jsonl', logLines.join('')))),
  };
}

export interface OtGenCall {
  status: number;
  body?: OtGenResponse;
  error?: string;
}

/** One GET /ot-gen; never rejects (a failed call is a figure). */
export async function callOtGen(serviceUrl: string, count: number): Promise<OtGenCall> {
  try {
    const response = await fetch(`${serviceUrl}/ot-gen?count=${count}`);
    const text = await response.text();
    if (response.status !== 200) return { status: response.status, error: text.slice(0, 300) };
    return { status: 200, body: JSON.parse(text) as OtGenResponse };
  } catch (error) {
    return { status: 0, error: String(error) };
  }
}

/** Spans of the article's shape per trace: router, one service-egress and one lambda-execution per call. */
export function expectedSpans(count: number): number {
  return 1 + 2 * count;
}
