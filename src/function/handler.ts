import type { Context } from 'aws-lambda';
import { loadLightStepTarget, readLightStepTarget, REPORT_TIMEOUT_MILLIS, tokenComesFromSsm, type LightStepTarget } from '../lightstep/target';
import { readFunctionConfig, type FunctionConfig } from './config';
import { createDemoHandler } from './demo-handler';
import type { JsonResponse } from './demo-work';
import { LogTracer } from './log-tracer';

type DemoHandler = (event: unknown, context: Context) => Promise<JsonResponse>;

// Read once per container (cold start), never per invocation. A bad setting fails the init with
// a message naming the variable.
const config = readFunctionConfig();

/**
 * The demo function for API Gateway REST (v1 proxy), HTTP API (v2) and Function URL events.
 * log mode: span lines on stdout, written before this resolves. direct mode: lightstep-tracer,
 * flushed before this resolves.
 */
export const handler: DemoHandler =
  config.mode === 'log' ? createDemoHandler(new LogTracer({ componentName: config.componentName })) : directHandler(config);

export const reportingMode = config.mode;

/**
 * Direct mode loads lightstep-tracer; log mode must never load it (cold-start cost), hence the
 * require inside this function rather than an import. With LIGHTSTEP_ACCESS_TOKEN the tracer is
 * built at init; with only LIGHTSTEP_ACCESS_TOKEN_PARAMETER the SSM read starts at init and the
 * first invocation awaits it (a failed read fails that invocation, and the next one tries again).
 */
function directHandler(functionConfig: FunctionConfig): DemoHandler {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createDirectReporting } = require('./direct-reporting') as typeof import('./direct-reporting');
  const build = (target: LightStepTarget): DemoHandler => {
    const direct = createDirectReporting(target, functionConfig.componentName);
    return createDemoHandler(direct.tracer, direct.flush);
  };
  const options = { defaultReportTimeoutMillis: REPORT_TIMEOUT_MILLIS.inInvocation };
  if (!tokenComesFromSsm(process.env)) return build(readLightStepTarget(process.env, options));
  const load = (): Promise<DemoHandler> => loadLightStepTarget(process.env, options).then(build);
  let ready = load();
  ready.catch(() => undefined); // surfaced by the first invocation, not as an unhandled rejection at init
  return async (event, context) => {
    let built: DemoHandler;
    try {
      built = await ready;
    } catch (error) {
      ready = load(); // a transient SSM failure should not pin the container to failing
      ready.catch(() => undefined);
      throw error;
    }
    return built(event, context);
  };
}
