import type { Env } from '../common/env';

/** How the function reports spans: `log` (span lines on stdout, default) or `direct` (lightstep-tracer over the network). */
export type ReportingMode = 'log' | 'direct';

export interface FunctionConfig {
  mode: ReportingMode;
  /** LightStep component the function's spans belong to. */
  componentName: string;
}

/** TRACE_REPORTING and COMPONENT_NAME. Throws a message naming the variable when one is bad. */
export function readFunctionConfig(env: Env = process.env): FunctionConfig {
  const mode = env.TRACE_REPORTING === undefined || env.TRACE_REPORTING === '' ? 'log' : env.TRACE_REPORTING;
  if (mode !== 'log' && mode !== 'direct') {
    throw new Error(`TRACE_REPORTING must be "log" or "direct", got ${JSON.stringify(mode.slice(0, 40))}`);
  }
  const componentName = env.COMPONENT_NAME === undefined || env.COMPONENT_NAME === '' ? 'lambda_function' : env.COMPONENT_NAME;
  return { mode, componentName };
}
