import type { Tracer } from 'opentracing';
import { readDirectReportingConfig, readFunctionConfig } from './config';
import { createDemoHandler } from './demo-work';
import type { DirectReporting } from './direct-reporting';
import { LogTracer } from './log-tracer';

// Read once per container (cold start), never per invocation. A bad setting fails the init with
// a message naming the variable.
const config = readFunctionConfig();

// Direct mode loads lightstep-tracer; log mode must never load it (cold-start cost), hence the
// require inside the branch rather than an import.
const direct: DirectReporting | undefined =
  config.mode === 'direct'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./direct-reporting') as typeof import('./direct-reporting')).createDirectReporting(
        readDirectReportingConfig(),
        config.componentName,
      )
    : undefined;

const tracer: Tracer = direct?.tracer ?? new LogTracer({ componentName: config.componentName });

/**
 * The demo function for API Gateway REST (v1 proxy), HTTP API (v2) and Function URL events.
 * log mode: span lines on stdout, written before this resolves. direct mode: lightstep-tracer,
 * flushed before this resolves.
 */
export const handler = createDemoHandler(tracer, direct?.flush);

export const reportingMode = config.mode;
