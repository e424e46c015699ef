// LightStep's report format → spans: the embedded collector's direction. encode.ts is the inverse.
// Pure: no I/O here.
import type {
  KeyValue as PbKeyValue,
  ProtoTimestamp as PbTimestamp,
  ReportRequest as PbReportRequest,
  Span as PbSpan,
} from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import { collectorPb } from './collector-pb';
import { COMPONENT_TAG, type WireLog, type WireSpan, type WireValue } from './wire-span';

export type { PbReportRequest };

/** A report the collector refuses as a whole (answered with 400): storing half of it would hide the bug. */
export class InvalidReportError extends Error {}

const VALUE = collectorPb.KeyValue.ValueCase;
const CHILD_OF = collectorPb.Reference.Relationship.CHILD_OF;
/** lightstep-tracer's SpanImp tags a child span with its parent's hex id under this key. */
const PARENT_GUID_TAG = 'parent_span_guid';
const DECIMAL = /^\d{1,20}$/;
const HEX_ID = /^[0-9a-f]{1,16}$/i;
const MAX_UINT64 = (1n << 64n) - 1n;

/** uint64 as jspb gives it (a decimal string) → 16 lowercase hex; undefined for 0 (proto's "unset"). */
export function decimalIdToHex(decimal: string | number): string | undefined {
  const text = String(decimal);
  if (!DECIMAL.test(text)) throw new InvalidReportError(`id is not a uint64: ${JSON.stringify(text.slice(0, 40))}`);
  const value = BigInt(text);
  if (value > MAX_UINT64) throw new InvalidReportError('id does not fit in 64 bits');
  if (value === 0n) return undefined;
  return value.toString(16).padStart(16, '0');
}

export function keyValueToValue(kv: PbKeyValue): WireValue | undefined {
  switch (kv.getValueCase()) {
    case VALUE.STRING_VALUE:
      return kv.getStringValue();
    case VALUE.INT_VALUE:
      return Number(kv.getIntValue());
    case VALUE.DOUBLE_VALUE: {
      const n = kv.getDoubleValue();
      // JSON has no NaN/Infinity: keep them readable instead of letting them become null.
      return Number.isFinite(n) ? n : String(n);
    }
    case VALUE.BOOL_VALUE:
      return kv.getBoolValue();
    case VALUE.JSON_VALUE:
      return kv.getJsonValue();
    default:
      return undefined;
  }
}

function keyValuesToRecord(list: PbKeyValue[]): Record<string, WireValue> {
  const record: Record<string, WireValue> = {};
  for (const kv of list) {
    const value = keyValueToValue(kv);
    if (value === undefined) continue;
    const key = kv.getKey();
    // A plain assignment to '__proto__' sets the prototype and loses the tag.
    if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    else record[key] = value;
  }
  return record;
}

function timestampToMicros(ts: PbTimestamp | undefined): number {
  if (!ts) return 0;
  return Number(ts.getSeconds()) * 1_000_000 + Math.floor(ts.getNanos() / 1000);
}

function parentOf(span: PbSpan, tags: Record<string, WireValue>): string | undefined {
  for (const ref of span.getReferencesList()) {
    const ctx = ref.getSpanContext();
    if (ref.getRelationship() === CHILD_OF && ctx) {
      const id = decimalIdToHex(ctx.getSpanId());
      if (id) return id;
    }
  }
  const guid = tags[PARENT_GUID_TAG];
  if (typeof guid === 'string' && HEX_ID.test(guid)) return guid.toLowerCase().padStart(16, '0');
  return undefined;
}

export function spanFromProto(span: PbSpan, component: string, index: number): WireSpan {
  const ctx = span.getSpanContext();
  const traceId = ctx && decimalIdToHex(ctx.getTraceId());
  const spanId = ctx && decimalIdToHex(ctx.getSpanId());
  if (!traceId || !spanId) throw new InvalidReportError(`span ${index} has no trace id or span id`);

  const tags = keyValuesToRecord(span.getTagsList());
  const parentSpanId = parentOf(span, tags);
  // The parent is stored as parentSpanId; as a tag it would only repeat it.
  delete tags[PARENT_GUID_TAG];

  const logs: WireLog[] = span.getLogsList().map((log) => ({
    timestampMicros: timestampToMicros(log.getTimestamp()),
    fields: keyValuesToRecord(log.getFieldsList()),
  }));

  const stored: WireSpan = {
    traceId,
    spanId,
    operation: span.getOperationName(),
    component,
    startMicros: timestampToMicros(span.getStartTimestamp()),
    durationMicros: Number(span.getDurationMicros()),
    tags,
    logs,
  };
  if (parentSpanId) stored.parentSpanId = parentSpanId;
  return stored;
}

/** Every span of the report, each under the reporter's component name. Throws InvalidReportError. */
export function spansFromReport(report: PbReportRequest): WireSpan[] {
  const reporterTags = keyValuesToRecord(report.getReporter()?.getTagsList() ?? []);
  const component = String(reporterTags[COMPONENT_TAG] ?? '');
  return report.getSpansList().map((span, index) => spanFromProto(span, component, index));
}

/** The bytes of a POST /api/v2/reports body. Throws InvalidReportError for anything else. */
export function decodeReportRequest(body: Uint8Array): PbReportRequest {
  let report: PbReportRequest;
  try {
    report = collectorPb.ReportRequest.deserializeBinary(body);
  } catch {
    throw new InvalidReportError('body is not a protobuf lightstep.collector.ReportRequest');
  }
  // Stray bytes can decode as unknown fields only; every real report names its reporter.
  if (!report.getReporter()) throw new InvalidReportError('report has no reporter: not a ReportRequest');
  return report;
}

/** The bytes of an empty ReportResponse: no timing data, so tracers leave their clocks alone. */
export const EMPTY_REPORT_RESPONSE: Buffer = Buffer.from(new collectorPb.ReportResponse().serializeBinary());
