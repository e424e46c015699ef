import { createRequire } from 'node:module';
import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import type { ProtoTimestamp } from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';

/**
 * lightstep-tracer's own generated protobuf classes, the ones its report serializer expects.
 * google.protobuf.Timestamp is loaded the way collector_pb.js loads it (relative to that file),
 * so both come from the google-protobuf copy lightstep-tracer pins, whatever else is installed.
 */
export { collectorPb };

const requireFromCollectorPb = createRequire(require.resolve('lightstep-tracer/lib/imp/generated_proto/collector_pb'));

export const Timestamp = (
  requireFromCollectorPb('google-protobuf/google/protobuf/timestamp_pb') as {
    Timestamp: new () => ProtoTimestamp;
  }
).Timestamp;
