import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { LightStepTarget } from '../lightstep/target';
import type { SpanExporter } from '../log-span-forwarder/exporter';
import { forwardSubscriptionEvent, type ForwardSummary } from '../log-span-forwarder/handler';
import { LightStepExporter } from '../log-span-forwarder/lightstep-exporter';
import { OtlpExporter } from '../log-span-forwarder/otlp-exporter';
import type { OtlpTarget } from '../otlp/target';

export interface LocalForwarder {
  /** The real forwarder's handler logic, one invocation per subscription event. */
  invoke(event: CloudWatchLogsEvent): Promise<ForwardSummary>;
  close(): Promise<void>;
}

/** The local Lambda's region (the function containers get the same). */
const LOCAL_REGION = 'us-east-1';

/**
 * The real forwarder, in process, pointed at a collector: the same `forwardSubscriptionEvent`
 * and exporters the Lambda handler uses (LightStep for a LightStepTarget, OTLP for an
 * OtlpTarget), with the target passed in rather than read from process.env (so the local stack
 * never has to set the forwarder's environment globally). `writeLine` receives the forwarder's
 * summary lines (its own log output).
 */
export function createLocalForwarder(target: LightStepTarget | OtlpTarget, writeLine: (line: string) => void): LocalForwarder {
  const exporter: SpanExporter = 'url' in target ? new OtlpExporter(target, { region: LOCAL_REGION }) : new LightStepExporter(target);
  return {
    invoke: (event) => forwardSubscriptionEvent(event, exporter, writeLine),
    close: () => exporter.shutdown(),
  };
}
