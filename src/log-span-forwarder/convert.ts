import type { FinishedSpan, SpanLog, SpanValue } from '../span-line';
import { collectorPb, Timestamp } from './lightstep-proto';
import type { KeyValue, Log, ProtoTimestamp, Span } from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';

/**
 * FinishedSpan → lightstep `collector_pb.Span`, keeping what the function recorded: the original
 * trace/span/parent ids, µs timestamps, and typed tag and log values (lightstep's own SpanImp
 * would stringify every value and drop log fields that are 0, false or '').
 *
 * Baggage: SpanImp never reports baggage in the proto, so each item becomes a string tag
 * `baggage.<key>` — visible in LightStep, and no clash with user tags (they rarely use that prefix).
 */
export const BAGGAGE_TAG_PREFIX = 'baggage.';

const HEX16 = /^[0-9a-f]{16}$/;
const HEX16_OR_32 = /^(?:[0-9a-f]{16}|[0-9a-f]{32})$/;
const ZERO16 = '0000000000000000';

/**
 * Why a span's ids cannot go on the wire, or undefined when they can. The span-line schema
 * already refuses all of this; this is the forwarder's one cheap final guard (forward.ts runs it
 * once per line), so a loosened schema can never put such an id in a report.
 */
export function invalidIdReason(span: FinishedSpan): string | undefined {
  // A non-hex id would throw inside the tracer's report serialization and poison every later flush.
  if (!HEX16_OR_32.test(span.traceId)) return 'trace id is not 16 or 32 lowercase hex';
  // 0 means "no id" on LightStep's wire, which carries only the lower 64 bits of a trace id: a
  // collector answers 400 for the whole report, so one such span would fail its entire batch.
  if (span.traceId.endsWith(ZERO16)) return 'trace id is 0 in its lower 64 bits';
  if (!HEX16.test(span.spanId)) return 'span id is not 16 lowercase hex';
  if (span.spanId === ZERO16) return 'span id is 0';
  if (span.parentSpanId !== undefined) {
    if (!HEX16.test(span.parentSpanId)) return 'parent span id is not 16 lowercase hex';
    if (span.parentSpanId === ZERO16) return 'parent span id is 0';
  }
  return undefined;
}

/** 16 or 32 hex → the uint64 decimal string on the wire (a 128-bit trace id keeps its lower 64 bits). */
export function hexIdToWire(hex: string): string {
  return BigInt('0x' + (hex.length === 32 ? hex.slice(16) : hex)).toString();
}

/**
 * The span as lightstep's proto. Its ids must have passed invalidIdReason (decodeSpanLine's
 * schema guarantees it and forwardLogEvents checks once more): not re-checked here, on the
 * per-span path. A non-hex id still throws here (BigInt), never later in the tracer.
 */
export function toCollectorSpan(span: FinishedSpan): Span {
  const context = new collectorPb.SpanContext();
  context.setTraceId(hexIdToWire(span.traceId));
  context.setSpanId(hexIdToWire(span.spanId));

  const proto = new collectorPb.Span();
  proto.setSpanContext(context);
  proto.setOperationName(span.operation);
  proto.setStartTimestamp(microsToTimestamp(span.startMicros));
  proto.setDurationMicros(String(Math.max(0, Math.round(span.durationMicros))));

  if (span.parentSpanId !== undefined) {
    const parent = new collectorPb.SpanContext();
    parent.setTraceId(context.getTraceId());
    parent.setSpanId(hexIdToWire(span.parentSpanId));
    const reference = new collectorPb.Reference();
    reference.setRelationship(collectorPb.Reference.Relationship.CHILD_OF);
    reference.setSpanContext(parent);
    proto.setReferencesList([reference]);
  }

  const tags: KeyValue[] = [];
  for (const key in span.tags) tags.push(keyValue(key, span.tags[key]));
  for (const key in span.baggage) tags.push(keyValue(BAGGAGE_TAG_PREFIX + key, span.baggage[key]));
  proto.setTagsList(tags);

  if (span.logs.length > 0) proto.setLogsList(span.logs.map(toCollectorLog));
  return proto;
}

function toCollectorLog(entry: SpanLog): Log {
  const log = new collectorPb.Log();
  log.setTimestamp(microsToTimestamp(entry.timestampMicros));
  const fields: KeyValue[] = [];
  for (const key in entry.fields) fields.push(keyValue(key, entry.fields[key]));
  log.setFieldsList(fields);
  return log;
}

/** One typed KeyValue: 0, false and '' are values like any other. */
export function keyValue(key: string, value: SpanValue): KeyValue {
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
