// Builds ReportRequest bytes by hand with lightstep-tracer's own generated classes, for the
// things the tracer's public API cannot send (typed tags, zero/false log fields, odd ids).
/* eslint-disable @typescript-eslint/no-require-imports */
const pb = require('lightstep-tracer/lib/imp/generated_proto/collector_pb');
const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb');

export type Value = string | number | boolean;

export interface SpanSpec {
  traceId: string; // hex
  spanId: string; // hex
  parentSpanId?: string; // hex, sent as a CHILD_OF reference
  operation: string;
  startMicros: number;
  durationMicros: number;
  tags?: Record<string, Value>;
  logs?: Array<{ timestampMicros: number; fields: Record<string, Value> }>;
}

const hexToDec = (hex: string) => BigInt(`0x${hex}`).toString(10);

function keyValue(key: string, value: Value): unknown {
  const kv = new pb.KeyValue();
  kv.setKey(key);
  if (typeof value === 'boolean') kv.setBoolValue(value);
  else if (typeof value === 'number' && Number.isInteger(value)) kv.setIntValue(String(value));
  else if (typeof value === 'number') kv.setDoubleValue(value);
  else kv.setStringValue(value);
  return kv;
}

function timestamp(micros: number): unknown {
  const ts = new Timestamp();
  ts.setSeconds(Math.floor(micros / 1e6));
  ts.setNanos((micros % 1e6) * 1000);
  return ts;
}

function spanProto(spec: SpanSpec): unknown {
  const ctx = new pb.SpanContext();
  ctx.setTraceId(hexToDec(spec.traceId));
  ctx.setSpanId(hexToDec(spec.spanId));
  const span = new pb.Span();
  span.setSpanContext(ctx);
  span.setOperationName(spec.operation);
  span.setStartTimestamp(timestamp(spec.startMicros));
  span.setDurationMicros(String(spec.durationMicros));
  if (spec.parentSpanId) {
    const parentCtx = new pb.SpanContext();
    parentCtx.setSpanId(hexToDec(spec.parentSpanId));
    const ref = new pb.Reference();
    ref.setRelationship(pb.Reference.Relationship.CHILD_OF);
    ref.setSpanContext(parentCtx);
    span.setReferencesList([ref]);
  }
  span.setTagsList(Object.entries(spec.tags ?? {}).map(([k, v]) => keyValue(k, v)));
  span.setLogsList(
    (spec.logs ?? []).map((l) => {
      const log = new pb.Log();
      log.setTimestamp(timestamp(l.timestampMicros));
      log.setFieldsList(Object.entries(l.fields).map(([k, v]) => keyValue(k, v)));
      return log;
    }),
  );
  return span;
}

/** A serialized ReportRequest as a tracer for `component` would send it. */
export function reportBytes(component: string, spans: SpanSpec[], accessToken = 'test-token'): Buffer {
  const reporter = new pb.Reporter();
  reporter.setReporterId('1234');
  reporter.setTagsList([keyValue('lightstep.component_name', component)]);
  const auth = new pb.Auth();
  auth.setAccessToken(accessToken);
  const report = new pb.ReportRequest();
  report.setReporter(reporter);
  report.setAuth(auth);
  report.setSpansList(spans.map(spanProto));
  return Buffer.from(report.serializeBinary());
}

export async function postReport(
  baseUrl: string,
  body: Buffer,
  headers: Record<string, string> = { 'LightStep-Access-Token': 'test-token' },
): Promise<Response> {
  return fetch(`${baseUrl}/api/v2/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', ...headers },
    body: new Uint8Array(body),
  });
}
