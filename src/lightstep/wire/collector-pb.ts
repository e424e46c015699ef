import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import type { ProtoTimestamp } from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';

/**
 * lightstep-tracer's own generated protobuf classes: the definition of the report format, for
 * both directions (what the tracer serializes and what the embedded collector decodes).
 *
 * google.protobuf.Timestamp comes from the google-protobuf that lightstep-tracer depends on
 * (pinned 3.21.2 there, hoisted by npm). A static require so esbuild can bundle it for the
 * Lambda; a test checks it is the very file collector_pb.js loads, so a second google-protobuf
 * copy in the tree cannot slip in unnoticed.
 */
export { collectorPb };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const Timestamp = (require('google-protobuf/google/protobuf/timestamp_pb') as { Timestamp: new () => ProtoTimestamp })
  .Timestamp;
