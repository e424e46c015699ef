import { createRequire } from 'node:module';
import { Timestamp } from '../../src/lightstep/wire/collector-pb';

describe('collector-pb', () => {
  it("uses the same google.protobuf.Timestamp module as lightstep-tracer's collector_pb", () => {
    const collectorPbPath = require.resolve('lightstep-tracer/lib/imp/generated_proto/collector_pb');
    const fromCollectorPb = createRequire(collectorPbPath).resolve('google-protobuf/google/protobuf/timestamp_pb.js');
    const fromForwarder = createRequire(require.resolve('../../src/lightstep/wire/collector-pb')).resolve(
      'google-protobuf/google/protobuf/timestamp_pb',
    );
    expect(fromForwarder).toBe(fromCollectorPb);
    expect(new Timestamp().getSeconds()).toBe(0);
  });
});
