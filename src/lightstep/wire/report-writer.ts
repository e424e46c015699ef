// Span → ReportRequest bytes, written directly (the forwarder's hot path). The same bytes as
// lightstep-tracer's collector_pb serializer gives for encode.ts's protos (a test checks them
// byte for byte), without a google-protobuf object per span, context, reference, timestamp or tag.
import { ProtoWriter, putInteger, putShortAscii, putVarintGroups } from './proto-writer';
import type { SpanView } from '../../span-line/span-view';
import { BAGGAGE_TAG_PREFIX, InvalidIdError, type SpanToReport, type WireValue } from './wire-span';

// Field keys: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited), from
// lightstep-tracer's collector.proto as its collector_pb.js writes them.
const REPORT_REPORTER = 0x0a; // ReportRequest.reporter = 1
const REPORT_AUTH = 0x12; // ReportRequest.auth = 2
const REPORT_SPANS = 0x1a; // ReportRequest.spans = 3
const REPORTER_ID = 0x08; // Reporter.reporter_id = 1 (uint64)
const REPORTER_TAGS = 0x22; // Reporter.tags = 4
const AUTH_TOKEN = 0x0a; // Auth.access_token = 1
const SPAN_CONTEXT = 0x0a; // Span.span_context = 1
const SPAN_OPERATION = 0x12; // Span.operation_name = 2
const SPAN_REFERENCES = 0x1a; // Span.references = 3
const SPAN_START = 0x22; // Span.start_timestamp = 4
const SPAN_DURATION = 0x28; // Span.duration_micros = 5 (uint64)
const SPAN_TAGS = 0x32; // Span.tags = 6
const SPAN_LOGS = 0x3a; // Span.logs = 7
const CONTEXT_TRACE_ID = 0x08; // SpanContext.trace_id = 1 (uint64)
const CONTEXT_SPAN_ID = 0x10; // SpanContext.span_id = 2 (uint64)
// Reference.relationship = 1 is CHILD_OF = 0, proto3's default: never written.
const REFERENCE_CONTEXT = 0x12; // Reference.span_context = 2
const LOG_TIMESTAMP = 0x0a; // Log.timestamp = 1
const LOG_FIELDS = 0x12; // Log.fields = 2
const TIMESTAMP_SECONDS = 0x08; // google.protobuf.Timestamp.seconds = 1 (int64)
const TIMESTAMP_NANOS = 0x10; // Timestamp.nanos = 2 (int32)
const KV_KEY = 0x0a; // KeyValue.key = 1
const KV_STRING = 0x12; // KeyValue.string_value = 2
const KV_INT = 0x18; // KeyValue.int_value = 3 (int64)
const KV_DOUBLE = 0x21; // KeyValue.double_value = 4 (double)
const KV_BOOL = 0x28; // KeyValue.bool_value = 5

/**
 * The parsed id of the last parseId() call, no object per id: its low 28 bits, the 28 above them
 * and the top 8, the groups of 4 varint bytes a 64-bit id is written in (putVarintGroups).
 */
let idLow = 0;
let idMid = 0;
let idTop = 0;
/** The last trace id read, and its value. */
let lastTraceId = '';
let lastTraceLow = 0;
let lastTraceMid = 0;
let lastTraceTop = 0;
/** The last parent id read, and its value (a line's spans mostly share one parent). */
let lastParentId = '';
let lastParentLow = 0;
let lastParentMid = 0;
let lastParentTop = 0;

/**
 * Bytes reserved for the next span's length: as many as the last span's took. Spans come in runs
 * of one size (an invocation's child spans under 128 B, its invocation span above), and a wrong
 * guess costs a move of the span (w.end), not wrong bytes.
 */
let spanLengthBytes = 2;

/** Ends a span begun by writeSpanStart, and guesses the next one's length bytes from its own. */
function endSpan(w: ProtoWriter, start: number): void {
  const reserved = spanLengthBytes;
  const length = w.pos - start;
  spanLengthBytes = length < 0x80 ? 1 : length < 0x4000 ? 2 : 3;
  w.end(start, reserved);
}

/** Hex digit values by char code; -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_DIGIT[48 + i] = i;
for (let i = 0; i < 6; i++) HEX_DIGIT[97 + i] = HEX_DIGIT[65 + i] = 10 + i;

/** The value of the hex digits [from, to) (at most 8), or -1 when one is not a hex digit. */
function hexRun(hex: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const code = hex.charCodeAt(i);
    const digit = code < 128 ? HEX_DIGIT[code] : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * 16 hex (or fewer), or 32 hex whose lower 64 bits travel, into idLow/idMid/idTop — the value
 * hexIdToWire gives as a decimal string, without a BigInt. Throws InvalidIdError with
 * hexIdToWire's messages for what the wire cannot carry (not hex, or 0).
 */
function parseId(hex: string, what: string): void {
  const length = hex.length;
  if (length === 0 || (length > 16 && length !== 32)) throw new InvalidIdError(`${what} is not hex`);
  // The upper half of a 128-bit id is checked too, and dropped.
  const from = length === 32 ? 16 : 0;
  if (from > 0 && (hexRun(hex, 0, 8) < 0 || hexRun(hex, 8, 16) < 0)) throw new InvalidIdError(`${what} is not hex`);
  // 7 hex digits are 28 bits: the last 7 the low group, the 7 before them the middle, the rest the top.
  const lowFrom = Math.max(from, length - 7);
  const midFrom = Math.max(from, lowFrom - 7);
  const low = hexRun(hex, lowFrom, length);
  const mid = hexRun(hex, midFrom, lowFrom);
  const top = hexRun(hex, from, midFrom);
  if (low < 0 || mid < 0 || top < 0) throw new InvalidIdError(`${what} is not hex`);
  if (low === 0 && mid === 0 && top === 0) throw new InvalidIdError(`${what} is 0${length === 32 ? ' in its lower 64 bits' : ''}`);
  idLow = low;
  idMid = mid;
  idTop = top;
}

/**
 * One span as a ReportRequest.spans field (key, length, Span). Throws InvalidIdError before
 * writing anything for an id the wire cannot carry.
 */
export function writeSpanField(w: ProtoWriter, span: SpanToReport): void {
  const start = writeSpanStart(w, span.traceId, span.spanId, span.parentSpanId, span.operation, span.startMicros, span.durationMicros);
  const tags = span.tags;
  for (const key in tags) writeTagField(w, '', key, tags[key]);
  writeBaggage(w, span.baggage);
  const logs = span.logs;
  for (let i = 0; i < logs.length; i++) {
    w.key(SPAN_LOGS);
    writeLog(w, logs[i].timestampMicros, logs[i].fields);
  }
  endSpan(w, start);
}

/**
 * A decoder's SpanView as a ReportRequest.spans field: the bytes writeSpanField writes for the
 * view's FinishedSpan (finishedSpanOf), straight from the parsed line: a version-2 entry's
 * tags from its flat list (in line order, where a record would put integer-like keys first),
 * log times from the line's base. Throws InvalidIdError as writeSpanField does.
 */
export function writeSpanViewField(w: ProtoWriter, view: SpanView): void {
  const start = writeSpanStart(w, view.traceId, view.spanId, view.parentSpanId, view.operation, view.startMicros, view.durationMicros);
  const tags = view.tags;
  if (tags !== undefined) {
    for (const key in tags) writeTagField(w, '', key, tags[key]);
  } else if (view.flatTags !== undefined) {
    const flat = view.flatTags;
    const keys = view.keys;
    for (let i = 0; i < flat.length; i += 2) writeTagField(w, '', keys[flat[i] as number], flat[i + 1]);
  }
  writeBaggage(w, view.baggage);
  const logs = view.logs;
  const base = view.logBase;
  for (let i = 0; i < logs.length; i++) {
    w.key(SPAN_LOGS);
    writeLog(w, base + logs[i].t, logs[i].f);
  }
  endSpan(w, start);
}

/**
 * The field's key, the reserved length, and the Span's fields up to its duration; returns
 * where the Span starts (for w.end). The ids are parsed before anything is written.
 */
function writeSpanStart(
  w: ProtoWriter,
  traceId: string,
  spanId: string,
  parent: string | undefined,
  operation: string,
  startMicros: number,
  durationMicros: number,
): number {
  // The spans of a trace come one after the other: its id is read once.
  if (traceId !== lastTraceId) {
    parseId(traceId, 'trace id');
    lastTraceId = traceId;
    lastTraceLow = idLow;
    lastTraceMid = idMid;
    lastTraceTop = idTop;
  }
  parseId(spanId, 'span id');
  if (parent !== undefined && parent !== lastParentId) {
    // Most spans of a line share a parent (the invocation span).
    const spanLow = idLow;
    const spanMid = idMid;
    const spanTop = idTop;
    parseId(parent, 'parent span id');
    lastParentId = parent;
    lastParentLow = idLow;
    lastParentMid = idMid;
    lastParentTop = idTop;
    idLow = spanLow;
    idMid = spanMid;
    idTop = spanTop;
  }

  // The fields up to the duration take at most 72 bytes besides the operation's: room for all
  // of them at once, then plain stores (a span is ~25 fields; a call and a check each cost more
  // than the bytes). Messages here stay below 128 bytes: one length byte each.
  w.ensure(96 + operation.length * 3);
  let buf = w.buf;
  let pos = w.pos;
  buf[pos++] = REPORT_SPANS;
  pos += spanLengthBytes;
  const start = pos;

  buf[pos++] = SPAN_CONTEXT;
  pos = putSpanContext(buf, pos);

  if (operation.length > 0) {
    buf[pos++] = SPAN_OPERATION;
    w.pos = pos;
    w.string(operation);
    buf = w.buf;
    pos = w.pos;
  }

  if (parent !== undefined) {
    // A SpanContext of the parent's span id alone (encode.ts's toCollectorSpan).
    buf[pos++] = SPAN_REFERENCES;
    const reference = pos++;
    buf[pos++] = REFERENCE_CONTEXT;
    const context = pos++;
    buf[pos++] = CONTEXT_SPAN_ID;
    pos = putVarintGroups(buf, pos, lastParentLow, lastParentMid, lastParentTop);
    buf[context] = pos - context - 1;
    buf[reference] = pos - reference - 1;
  }

  // google.protobuf.Timestamp of µs since the epoch, as encode.ts's microsToTimestamp rounds it.
  const whole = Math.round(startMicros);
  const seconds = Math.floor(whole / 1e6);
  const nanos = (whole - seconds * 1e6) * 1000;
  buf[pos++] = SPAN_START;
  const timestamp = pos++;
  if (seconds !== 0) {
    buf[pos++] = TIMESTAMP_SECONDS;
    pos = putInteger(buf, pos, seconds);
  }
  if (nanos !== 0) {
    buf[pos++] = TIMESTAMP_NANOS;
    pos = putInteger(buf, pos, nanos);
  }
  buf[timestamp] = pos - timestamp - 1;

  const duration = Math.max(0, Math.round(durationMicros));
  if (duration !== 0) {
    buf[pos++] = SPAN_DURATION;
    pos = putInteger(buf, pos, duration);
  }
  w.pos = pos;
  return start;
}

/** A SpanContext (the last trace id read, the span id just read) with its length at buf[pos], its key written by the caller; at most 23 bytes: one length byte. */
function putSpanContext(buf: Buffer, pos: number): number {
  const length = pos++;
  buf[pos++] = CONTEXT_TRACE_ID;
  pos = putVarintGroups(buf, pos, lastTraceLow, lastTraceMid, lastTraceTop);
  buf[pos++] = CONTEXT_SPAN_ID;
  pos = putVarintGroups(buf, pos, idLow, idMid, idTop);
  buf[length] = pos - length - 1;
  return pos;
}

/** Baggage items as `baggage.<key>` string tags (no field of its own on the wire). */
function writeBaggage(w: ProtoWriter, baggage: Record<string, string> | undefined): void {
  for (const key in baggage) writeTagField(w, BAGGAGE_TAG_PREFIX, key, baggage[key]);
}

/**
 * A Span.tags field: the key (`prefix + key`, the prefix joined in the bytes, not as a string:
 * a joined rope would be flattened by every write) and the typed value, as writeKeyValue writes
 * it. Short ASCII keys and values, numbers and booleans, nearly all tags, go in with plain stores
 * into room made once; the rest the general way.
 */
function writeTagField(w: ProtoWriter, prefix: string, key: string, value: WireValue): void {
  const keyChars = prefix.length + key.length;
  if (keyChars <= 48 && (typeof value !== 'string' || value.length <= 48)) {
    // At most 1 + 1 + (1 + 1 + 48) + (1 + 1 + 48) bytes: a KeyValue under 128, one length byte.
    w.ensure(104);
    const buf = w.buf;
    let pos = w.pos;
    buf[pos++] = SPAN_TAGS;
    const kv = pos++;
    if (keyChars > 0) {
      buf[pos++] = KV_KEY;
      pos = putShortAscii(buf, pos, prefix, key);
    }
    if (pos >= 0) {
      switch (typeof value) {
        case 'string':
          buf[pos++] = KV_STRING;
          pos = putShortAscii(buf, pos, '', value);
          break;
        case 'boolean':
          buf[pos++] = KV_BOOL;
          buf[pos++] = value ? 1 : 0;
          break;
        case 'number':
          if (Number.isSafeInteger(value)) {
            buf[pos++] = KV_INT;
            pos = putInteger(buf, pos, value);
          } else {
            buf[pos++] = KV_DOUBLE;
            buf.writeDoubleLE(value, pos);
            pos += 8;
          }
          break;
        default:
        // No value case, as writeKeyValue.
      }
    }
    if (pos >= 0) {
      buf[kv] = pos - kv - 1;
      w.pos = pos;
      return;
    }
  }
  // Not ASCII, or long: what was stored above is written over.
  w.key(SPAN_TAGS);
  writeKeyValue(w, prefix.length > 0 ? prefix + key : key, value);
}

function writeLog(w: ProtoWriter, timestampMicros: number, fields: Record<string, WireValue>): void {
  const start = w.begin(1);
  w.key(LOG_TIMESTAMP);
  writeTimestamp(w, timestampMicros);
  for (const key in fields) {
    w.key(LOG_FIELDS);
    writeKeyValue(w, key, fields[key]);
  }
  w.end(start, 1);
}

/** google.protobuf.Timestamp of µs since the epoch, as encode.ts's microsToTimestamp rounds it. */
function writeTimestamp(w: ProtoWriter, micros: number): void {
  const whole = Math.round(micros);
  const seconds = Math.floor(whole / 1e6);
  const nanos = (whole - seconds * 1e6) * 1000;
  const start = w.begin(1);
  if (seconds !== 0) {
    w.key(TIMESTAMP_SECONDS);
    w.integer(seconds);
  }
  if (nanos !== 0) {
    w.key(TIMESTAMP_NANOS);
    w.integer(nanos);
  }
  w.end(start, 1);
}

/** One typed KeyValue (encode.ts's keyValue): 0, false and '' are values like any other. */
function writeKeyValue(w: ProtoWriter, key: string, value: WireValue): void {
  const start = w.begin(1);
  if (key.length > 0) {
    w.key(KV_KEY);
    w.string(key);
  }
  switch (typeof value) {
    case 'string':
      w.key(KV_STRING);
      w.string(value);
      break;
    case 'boolean':
      w.key(KV_BOOL);
      w.varint32(value ? 1 : 0);
      break;
    case 'number':
      // int64 for safe integers; beyond 2^53 JSON already lost precision: a double.
      if (Number.isSafeInteger(value)) {
        w.key(KV_INT);
        w.integer(value);
      } else {
        w.key(KV_DOUBLE);
        w.double(value);
      }
      break;
    default:
    // No value case at all, as collector_pb writes a KeyValue whose value was set to null.
  }
  w.end(start, 1);
}

/** Who sends a report: lightstep-tracer's Reporter (id and tags) and the project's token. */
export interface ReportSender {
  /** The reporter (runtime) GUID, 16 hex, as lightstep-tracer makes one per tracer. */
  reporterId: string;
  /** Reporter tags in order: `lightstep.component_name` among them names the component. */
  tags: ReadonlyArray<readonly [string, string]>;
  accessToken: string;
}

/**
 * The fields in front of every report's spans: `reporter` and `auth`, which come before the
 * spans in field order. Written once per component; a report is this plus span fields.
 */
export function writeReportHeader(sender: ReportSender): Buffer {
  const w = new ProtoWriter(1024);
  w.key(REPORT_REPORTER);
  const reporter = w.begin(2);
  parseId(sender.reporterId, 'reporter id');
  w.key(REPORTER_ID);
  w.ensure(10);
  w.pos = putVarintGroups(w.buf, w.pos, idLow, idMid, idTop);
  for (const [key, value] of sender.tags) {
    w.key(REPORTER_TAGS);
    writeKeyValue(w, key, value);
  }
  w.end(reporter, 2);
  w.key(REPORT_AUTH);
  const auth = w.begin(1);
  if (sender.accessToken.length > 0) {
    w.key(AUTH_TOKEN);
    w.string(sender.accessToken);
  }
  w.end(auth, 1);
  return Buffer.from(w.view());
}

/** A whole ReportRequest in one go (tests, tools): header + one field per span. */
export function writeReportRequest(sender: ReportSender, spans: readonly SpanToReport[]): Buffer {
  const header = writeReportHeader(sender);
  const w = new ProtoWriter(header.length + 256 * spans.length);
  w.ensure(header.length);
  header.copy(w.buf, 0);
  w.pos = header.length;
  for (const span of spans) writeSpanField(w, span);
  return Buffer.from(w.view());
}
