import type { Logger } from 'pino';
import { readPort, type Env } from '../common/env';
import { describeTarget, lightStepRequested } from '../lightstep/target';
import { describeOtlpTarget, otlpRequested } from '../otlp/target';
import { serviceConfigFromEnv, type ServiceConfig } from '../service/config';
import { startService } from '../service/server';
import { DEFAULT_DEAD_LETTER_PATH } from './dead-letter';
import { localFunctionUrl, LOCAL_PORTS } from './defaults';
import { startLocalStack } from './stack';

export interface Launched {
  /** What `npm start` prints once everything is up. */
  banner: string;
  close(): Promise<void>;
}

/**
 * What `npm start` runs, from the environment:
 * - no LAMBDA_URL: the whole local stack (collector, function endpoint, log shipping, forwarder);
 * - LAMBDA_URL set: the deployed function is called there, so only the service starts. Its spans
 *   must go where the deployed forwarder sends the function's (LightStep), or the trace is split:
 *   the LightStep variables are then required.
 */
export async function launch(env: Env, logger: Logger): Promise<Launched> {
  // Same variables as the service alone; validated here so a typo fails before anything starts.
  const functionPort = readPort(env, 'FUNCTION_PORT', LOCAL_PORTS.function, 'listen');
  const config = serviceConfigFromEnv(env, { lambdaUrl: localFunctionUrl(functionPort) });
  return env.LAMBDA_URL ? launchServiceOnly(env, config, logger) : launchLocalStack(env, config, functionPort, logger);
}

async function launchServiceOnly(env: Env, config: ServiceConfig, logger: Logger): Promise<Launched> {
  if (config.otel && !otlpRequested(env)) {
    throw new Error(
      'LAMBDA_URL is set, so the deployed function is called and its spans leave through the deployed forwarder: with SERVICE_TRACER=otel ' +
        'set OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_HEADERS) to where that forwarder exports, so the trace is not split ' +
        '(or unset LAMBDA_URL to run the function locally)',
    );
  }
  if (!config.otel && !lightStepRequested(env)) {
    throw new Error(
      'LAMBDA_URL is set, so the deployed function is called and its spans reach LightStep through the deployed forwarder: ' +
        'set LIGHTSTEP_ACCESS_TOKEN and LIGHTSTEP_COLLECTOR_HOST too, so the service reports there and the trace is not split ' +
        '(or unset LAMBDA_URL to run the function locally)',
    );
  }
  const service = await startService({ ...config, logger });
  const banner = [
    '',
    'Service is up, calling the deployed function (Ctrl-C stops it):',
    `  try it:       ${service.url}/ot-gen?count=3`,
    `  function:     ${config.lambdaUrl}   (LAMBDA_URL)`,
    '                no local function endpoint, log shipping or forwarder: the deployed stack does that',
    `  spans go to:  ${config.otel ? describeOtlpTarget(config.otel) : describeTarget(config.tracer)} (the service directly; the function through the deployed forwarder)`,
    '',
  ];
  return { banner: banner.join('\n'), close: () => service.close() };
}

async function launchLocalStack(env: Env, config: ServiceConfig, functionPort: number, logger: Logger): Promise<Launched> {
  const ports = {
    service: config.port,
    function: functionPort,
    collector: readPort(env, 'COLLECTOR_PORT', LOCAL_PORTS.collector, 'listen'),
  };
  const otel = config.otel !== undefined;
  const usesLightStep = !otel && lightStepRequested(env);
  const usesOtlpEndpoint = otel && otlpRequested(env);
  const stack = await startLocalStack({
    ports,
    maxCount: config.maxCount,
    logger,
    ...(usesLightStep ? { tracerTarget: config.tracer } : {}),
    ...(otel ? { serviceTracer: 'otel' as const } : {}),
    ...(usesOtlpEndpoint ? { otlpTarget: config.otel } : {}),
  });
  const destination = usesLightStep
    ? describeTarget(config.tracer)
    : usesOtlpEndpoint
      ? describeOtlpTarget(config.otel!)
      : otel
        ? `the embedded collector's OTLP endpoint ${stack.urls.collector}/v1/traces (OpenTelemetry SDK in the service, the forwarder's OTLP sink)`
        : `the embedded collector at ${stack.urls.collector}`;
  const banner = [
    '',
    'Local stack is up (Ctrl-C stops everything):',
    `  try it:       ${stack.urls.otGenExample}`,
    `  trace page:   ${stack.urls.collector}/   (each /ot-gen answer has its traceUrl)`,
    `  function:     ${stack.urls.function}   (LAMBDA_URL, API Gateway REST v1 events)`,
    `  spans go to:  ${destination}`,
    `  dead letters: ${stack.deadLetterPath}   (replay: ${replayCommand({ collectorPort: stack.collector.port, deadLetterPath: stack.deadLetterPath, usesLightStep })})`,
    '',
  ];
  return { banner: banner.join('\n'), close: () => stack.close() };
}

/**
 * The replay command for this stack's dead letters: `npm run replay` reads COLLECTOR_PORT to find
 * the embedded collector, so a port other than the default has to be named. With LightStep, the
 * replay needs the same LightStep variables in its environment instead.
 */
export function replayCommand(stack: { collectorPort: number; deadLetterPath: string; usesLightStep: boolean }): string {
  const prefix = stack.usesLightStep
    ? 'LIGHTSTEP_ACCESS_TOKEN=… LIGHTSTEP_COLLECTOR_HOST=… '
    : stack.collectorPort === LOCAL_PORTS.collector
      ? ''
      : `COLLECTOR_PORT=${stack.collectorPort} `;
  const file = stack.deadLetterPath === DEFAULT_DEAD_LETTER_PATH ? '' : ` -- --file ${stack.deadLetterPath}`;
  return `${prefix}npm run replay${file}`;
}
