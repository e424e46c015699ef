// The Reporter a lightstep-tracer 0.35.0 puts in every report, for the forwarder's reports that
// are written without a tracer: LightStep sees the same reporter tags either way.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { ReportSender } from './wire/report-writer';
import { COMPONENT_TAG } from './wire/wire-span';

/** lightstep-tracer's version, pinned exactly in package.json (a test checks the two agree). */
export const TRACER_VERSION = '0.35.0';

/**
 * The tags of lightstep-tracer's RuntimeImp.toProto (src/imp/runtime_imp.js), in its order: six
 * named ones, then every tracer attribute (its version and platform_node.js tracerTags), so
 * some keys come twice, as the tracer sends them.
 */
export function lightStepReporterTags(componentName: string): Array<[string, string]> {
  const attributes: Array<[string, string]> = [
    ['lightstep.tracer_version', TRACER_VERSION],
    ['lightstep.tracer_platform', 'node'],
    ['lightstep.tracer_platform_version', process.version],
    ['lightstep.node_platform', process.platform],
    ['lightstep.node_arch', process.arch],
    ['lightstep.hostname', os.hostname()],
    ['lightstep.command_line', process.argv.join(' ')],
  ];
  if (process.execArgv.length > 0) attributes.push(['lightstep.node_arguments', process.execArgv.join(' ')]);
  const attribute = (key: string): string => attributes.find(([k]) => k === key)![1];
  return [
    ['lightstep.tracer_version', TRACER_VERSION],
    ['lightstep.tracer_platform', attribute('lightstep.tracer_platform')],
    [COMPONENT_TAG, componentName],
    ['lightstep.command_line', attribute('lightstep.command_line')],
    ['lightstep.hostname', attribute('lightstep.hostname')],
    ['lightstep.tracer_platform_version', attribute('lightstep.tracer_platform_version')],
    ...attributes,
  ];
}

/** A reporter GUID like the tracer's (64 random bits, 16 hex), never 0. */
export function newReporterId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (id !== '0000000000000000') return id;
  }
}

/** One component's sender: a fresh reporter id (one per tracer in lightstep-tracer), its tags, the token. */
export function reportSenderFor(componentName: string, accessToken: string): ReportSender {
  return { reporterId: newReporterId(), tags: lightStepReporterTags(componentName), accessToken };
}
