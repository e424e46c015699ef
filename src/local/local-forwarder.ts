import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { LightStepTarget } from '../lightstep/target';
import { forwardSubscriptionEvent, type ForwardSummary } from '../log-span-forwarder/handler';
import { LightStepExporter } from '../log-span-forwarder/lightstep-exporter';

export interface LocalForwarder {
  /** The real forwarder's handler logic, one invocation per subscription event. */
  invoke(event: CloudWatchLogsEvent): Promise<ForwardSummary>;
  close(): Promise<void>;
}

/**
 * The real forwarder, in process, pointed at a collector: the same `forwardSubscriptionEvent`
 * and exporter the Lambda handler uses, with the target passed in rather than read from
 * process.env (so the local stack never has to set the forwarder's environment globally).
 * `writeLine` receives the forwarder's summary lines (its own log output).
 */
export function createLocalForwarder(target: LightStepTarget, writeLine: (line: string) => void): LocalForwarder {
  const exporter = new LightStepExporter(target);
  return {
    invoke: (event) => forwardSubscriptionEvent(event, exporter, writeLine),
    close: () => exporter.shutdown(),
  };
}
