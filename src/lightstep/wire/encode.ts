// Span → LightStep's report format: the forwarder's direction. decode.ts is the inverse.
import type { KeyValue, Log, ProtoTimestamp, Span } from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { collectorPb, Timestamp } from './collector-pb';
import { BAGGAGE_TAG_PREFIX, COMPONENT_TAG, InvalidIdError, type SpanToReport, type WireLog, type WireValue } from './wire-span';

/**
 * 16 or 32 hex → the uint64 decimal string on the wire (a 128-bit trace id keeps its lower 64
 * bits). Throws for what would break a report: a non-hex id would throw inside the tracer's
 * serialization and poison every later flush, and 0 means "no id" to LightStep, which refuses
 * the whole report for it. decodeSpanLine's schema already refuses both, so on the forwarder's
 * path this never throws; the check costs nothing extra, as the BigInt is needed anyway.
 */
export function hexIdToWire(hex: string, what = 'id'): string {
  let value: bigint;
  try {
    value = BigInt('0x' + (hex.length === 32 ? hex.slice(16) : hex));
  } catch {
    throw new InvalidIdError(`${what} is not hex`);
  }
  if (value === 0n) throw new InvalidIdError(`${what} is 0${hex.length === 32 ? ' in its lower 64 bits' : ''}`);
  return value.toString();
}

/**
 * The span as lightstep's proto, keeping what the function recorded: the original trace, span
 * and parent ids, µs timestamps, and typed tag and log values (lightstep's own SpanImp would
 * stringify every value and drop log fields that are 0, false or ''); baggage as `baggage.<key>`
 * tags. Throws InvalidIdError for an id the wire cannot carry. report-writer.ts writes the same
 * bytes without these objects.
 */
export function toCollectorSpan(span: SpanToReport): Span {
  const context = new collectorPb.SpanContext();
  context.setTraceId(hexIdToWire(span.traceId, 'trace id'));
  context.setSpanId(hexIdToWire(span.spanId, 'span id'));

  const proto = new collectorPb.Span();
  proto.setSpanContext(context);
  proto.setOperationName(span.operation);
  proto.setStartTimestamp(microsToTimestamp(span.startMicros));
  proto.setDurationMicros(String(Math.max(0, Math.round(span.durationMicros))));

  if (span.parentSpanId !== undefined) {
    // The parent's span id only, as lightstep-tracer's own spans carry it: its trace is the span's
    // (11 bytes a span less on the wire).
    const parent = new collectorPb.SpanContext();
    parent.setSpanId(hexIdToWire(span.parentSpanId, 'parent span id'));
    const reference = new collectorPb.Reference();
    reference.setRelationship(collectorPb.Reference.Relationship.CHILD_OF);
    reference.setSpanContext(parent);
    proto.setReferencesList([reference]);
  }

  const tags: KeyValue[] = [];
  for (const key in span.tags) tags.push(keyValue(key, span.tags[key]));
  const baggage = span.baggage;
  for (const key in baggage) tags.push(keyValue(BAGGAGE_TAG_PREFIX + key, baggage[key]));
  proto.setTagsList(tags);

  if (span.logs.length > 0) proto.setLogsList(span.logs.map(toCollectorLog));
  return proto;
}

function toCollectorLog(entry: WireLog): Log {
  const log = new collectorPb.Log();
  log.setTimestamp(microsToTimestamp(entry.timestampMicros));
  const fields: KeyValue[] = [];
  for (const key in entry.fields) fields.push(keyValue(key, entry.fields[key]));
  log.setFieldsList(fields);
  return log;
}

/** One typed KeyValue: 0, false and '' are values like any other. */
export function keyValue(key: string, value: WireValue): KeyValue {
  const kv = new collectorPb.KeyValue();
  kv.setKey(key);
  switch (typeof value) {
    case 'string':
      kv.setStringValue(value);
      break;
    case 'boolean':
      kv.setBoolValue(value);
      break;
    default:
      // int64 travels as a decimal string; beyond 2^53 JSON already lost precision: keep it a double.
      if (Number.isSafeInteger(value)) kv.setIntValue(String(value));
      else kv.setDoubleValue(value);
  }
  return kv;
}

function microsToTimestamp(micros: number): ProtoTimestamp {
  const whole = Math.round(micros);
  const timestamp = new Timestamp();
  const seconds = Math.floor(whole / 1e6);
  timestamp.setSeconds(seconds);
  timestamp.setNanos((whole - seconds * 1e6) * 1000);
  return timestamp;
}

/**
 * A whole ReportRequest, as a lightstep-tracer for `component` sends it (reporter, auth, spans).
 * The forwarder's reports are built by the tracer itself; this is the format's other half for the
 * round-trip test and for tools that send reports the tracer's public API cannot (typed values).
 */
export function encodeReportRequest(report: { component: string; accessToken: string; reporterId?: string; spans: readonly SpanToReport[] }): Uint8Array {
  const reporter = new collectorPb.Reporter();
  reporter.setReporterId(report.reporterId ?? '1');
  reporter.setTagsList([keyValue(COMPONENT_TAG, report.component)]);
  const auth = new collectorPb.Auth();
  auth.setAccessToken(report.accessToken);
  const request = new collectorPb.ReportRequest();
  request.setReporter(reporter);
  request.setAuth(auth);
  request.setSpansList(report.spans.map(toCollectorSpan));
  return request.serializeBinary();
}
