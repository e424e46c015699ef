import type { CloudWatchLogsEvent } from 'aws-lambda';
import type { ForwarderConfig } from '../log-span-forwarder/config';
import { forwardSubscriptionEvent, type ForwardSummary } from '../log-span-forwarder/handler';
import { LightStepSink } from '../log-span-forwarder/lightstep-sink';
import { LOCAL_DUMMY_TOKEN } from '../service/config';

export interface LocalForwarder {
  /** The real forwarder's handler logic, one invocation per subscription event. */
  invoke(event: CloudWatchLogsEvent): Promise<ForwardSummary>;
  close(): void;
}

/**
 * The real forwarder, in process, pointed at a collector: the same `forwardSubscriptionEvent`
 * and LightStepSink the Lambda handler uses, with the config passed in rather than read from
 * process.env (so the local stack never has to set the forwarder's environment globally).
 * `writeLine` receives the forwarder's summary lines (its own log output).
 */
export function createLocalForwarder(config: ForwarderConfig, writeLine: (line: string) => void): LocalForwarder {
  const sink = new LightStepSink(config);
  return {
    invoke: (event) => forwardSubscriptionEvent(event, sink, writeLine),
    close: () => sink.close(),
  };
}

/** The embedded collector on loopback: plain HTTP, any token. */
export function localCollectorForwarderConfig(collectorPort: number): ForwarderConfig {
  return { accessToken: LOCAL_DUMMY_TOKEN, collectorHost: '127.0.0.1', collectorPort, collectorEncryption: 'none' };
}
