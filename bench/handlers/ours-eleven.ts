/**
 * Our tracer with the 11-span shape: the demo handler (traced(demoWork), as src/function/handler.ts
 * builds it) plus ten child spans, in log mode (LogTracer, span lines on stdout) or direct mode
 * (lightstep-tracer, flushed before returning), chosen by TRACE_REPORTING as in the real handler.
 * The 1-span shape is the real demo handler bundle itself (TracedFunction / DirectTracedFunction).
 */
import { readFunctionConfig } from '../../src/function/config';
import { errorResponse } from '../../src/function/demo-work';
import { LogTracer } from '../../src/function/log-tracer';
import { traced } from '../../src/function/traced';
import { readLightStepTarget, REPORT_TIMEOUT_MILLIS } from '../../src/lightstep/target';
import { childSpansFromEnv, withChildSpans } from './workload';

const config = readFunctionConfig();
const work = withChildSpans(childSpansFromEnv());

function build() {
  if (config.mode === 'log') return traced(work, { tracer: new LogTracer({ componentName: config.componentName }), errorResponse });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createDirectReporting } = require('../../src/function/direct-reporting') as typeof import('../../src/function/direct-reporting');
  // As src/function/handler.ts does with LIGHTSTEP_ACCESS_TOKEN set (no SSM read).
  const direct = createDirectReporting(readLightStepTarget(process.env, { defaultReportTimeoutMillis: REPORT_TIMEOUT_MILLIS.inInvocation }), config.componentName);
  return traced(work, { tracer: direct.tracer, errorResponse, afterInvocation: direct.flush });
}

export const handler = build();
