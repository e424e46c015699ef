// OTLP/HTTP trace requests → spans: the embedded collector's direction (encode.ts is the other).
// Protobuf and JSON bodies are both brought to the JSON mapping's shape first (the protobuf one
// decoded with protobufjs), then read by one function. Pure: no I/O.
import type { ExportValue, SpanToExport } from './span-to-export';
import { otlpType } from './schema';

/**
 * A span as an OTLP request carries it, in the collector's terms: the encoder's shape read back
 * (trace id always 32 hex here; span.kind and the status come back as tags), plus its resource.
 */
export type ReceivedOtlpSpan = Omit<SpanToExport, 'baggage'> & {
  /** The resource's attributes. */
  resource: Record<string, ExportValue>;
};

export interface DecodedOtlpRequest {
  spans: ReceivedOtlpSpan[];
  /** Spans refused one by one (bad ids): the rest of the request is kept (a partial success). */
  rejectedSpans: number;
  /** Why, for the partial success's error_message; '' when none was refused. */
  errorMessage: string;
}

/** A body that is not an ExportTraceServiceRequest at all: answered with 400, nothing stored. */
export class InvalidOtlpRequestError extends Error {
  override readonly name = 'InvalidOtlpRequestError';
}

export type OtlpBodyFormat = 'protobuf' | 'json';

const KIND_TAGS = ['', '', 'server', 'client', 'producer', 'consumer']; // by SpanKind (0 unspecified, 1 internal)
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'];
const HEX = /^[0-9a-fA-F]*$/;

type Loose = Record<string, unknown>;

export function decodeOtlpTraceRequest(body: Uint8Array, format: OtlpBodyFormat): DecodedOtlpRequest {
  return readRequest(format === 'json' ? parseJson(body) : parseProtobuf(body));
}

/** The bytes of a response: empty (all accepted), or a partial success. */
export function encodeOtlpTraceResponse(format: OtlpBodyFormat, partial?: { rejectedSpans: number; errorMessage: string }): Buffer {
  const message = partial && partial.rejectedSpans > 0 ? { partialSuccess: { rejectedSpans: partial.rejectedSpans, errorMessage: partial.errorMessage } } : {};
  if (format === 'json') return Buffer.from(JSON.stringify(message));
  const type = otlpType('ExportTraceServiceResponse');
  return Buffer.from(type.encode(type.fromObject(message)).finish());
}

/** An error answer's body: a google.rpc.Status in the request's format (the specification's). */
export function encodeOtlpErrorStatus(format: OtlpBodyFormat, code: number, message: string): Buffer {
  if (format === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const type = otlpType('RpcStatus');
  return Buffer.from(type.encode(type.fromObject({ code, message })).finish());
}

function parseProtobuf(body: Uint8Array): Loose {
  const type = otlpType('ExportTraceServiceRequest');
  try {
    // longs as decimal strings, bytes as Buffers: the same shape as the JSON mapping, ids aside.
    return type.toObject(type.decode(body), { longs: String, defaults: false }) as Loose;
  } catch (error) {
    throw new InvalidOtlpRequestError(`body is not a protobuf ExportTraceServiceRequest (${(error as Error).message})`);
  }
}

function parseJson(body: Uint8Array): Loose {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    throw new InvalidOtlpRequestError('body is not JSON');
  }
  if (!isObject(parsed)) throw new InvalidOtlpRequestError('body is not a JSON ExportTraceServiceRequest object');
  return parsed;
}

function readRequest(request: Loose): DecodedOtlpRequest {
  const spans: ReceivedOtlpSpan[] = [];
  const problems = new Set<string>();
  let rejectedSpans = 0;
  for (const [r, resourceSpans] of list(request.resourceSpans, 'resourceSpans').entries()) {
    const resourceObject = isObject(resourceSpans.resource) ? resourceSpans.resource : {};
    const resource = attributes(resourceObject.attributes, `resourceSpans[${r}].resource.attributes`);
    const component = typeof resource['service.name'] === 'string' ? resource['service.name'] : '';
    for (const [s, scopeSpans] of list(resourceSpans.scopeSpans, `resourceSpans[${r}].scopeSpans`).entries()) {
      for (const [i, span] of list(scopeSpans.spans, `resourceSpans[${r}].scopeSpans[${s}].spans`).entries()) {
        const where = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        const received = readSpan(span, where, component, resource);
        if (typeof received === 'string') {
          rejectedSpans++;
          problems.add(received);
        } else {
          spans.push(received);
        }
      }
    }
  }
  return { spans, rejectedSpans, errorMessage: [...problems].slice(0, 5).join('; ') };
}

/** One span, or why it is refused (a bad id: storing it would misfile it). Throws for a malformed body. */
function readSpan(span: Loose, where: string, component: string, resource: Record<string, ExportValue>): ReceivedOtlpSpan | string {
  const traceId = id(span.traceId, 16);
  const spanId = id(span.spanId, 8);
  if (typeof traceId !== 'string' || /^0+$/.test(traceId)) return `${where}: trace id is not 16 bytes, or is 0`;
  if (typeof spanId !== 'string' || /^0+$/.test(spanId)) return `${where}: span id is not 8 bytes, or is 0`;
  const parent = id(span.parentSpanId, 8);
  if (parent === null || (parent !== undefined && /^0+$/.test(parent))) return `${where}: parent span id is not 8 bytes, or is 0`;
  const startNanos = nanos(span.startTimeUnixNano, `${where}.startTimeUnixNano`);
  const endNanos = nanos(span.endTimeUnixNano, `${where}.endTimeUnixNano`);
  const tags = attributes(span.attributes, `${where}.attributes`);
  const kind = KIND_TAGS[integer(span.kind, `${where}.kind`)] ?? '';
  if (kind !== '' && tags['span.kind'] === undefined) tags['span.kind'] = kind;
  const status = isObject(span.status) ? span.status : {};
  const code = STATUS_CODES[integer(status.code, `${where}.status.code`)] ?? 'UNSET';
  // The tags the OpenTelemetry exporters give Jaeger and Zipkin; error=true marks the span red.
  if (code !== 'UNSET') tags['otel.status_code'] = code;
  if (code === 'ERROR') tags.error = true;
  if (typeof status.message === 'string' && status.message !== '') tags['otel.status_description'] = status.message;
  const logs = list(span.events, `${where}.events`).map((event, e) => ({
    timestampMicros: micros(nanos(event.timeUnixNano, `${where}.events[${e}].timeUnixNano`)),
    // The event name wins over an `event` attribute (an OpenTracing log keeps its own as one).
    fields: { ...attributes(event.attributes, `${where}.events[${e}].attributes`), event: typeof event.name === 'string' ? event.name : '' },
  }));
  const received: ReceivedOtlpSpan = {
    traceId,
    spanId,
    operation: typeof span.name === 'string' ? span.name : '',
    component,
    startMicros: micros(startNanos),
    durationMicros: endNanos > startNanos ? micros(endNanos - startNanos) : 0,
    tags,
    logs,
    resource,
  };
  if (parent !== undefined) received.parentSpanId = parent;
  return received;
}

/** bytes (protobuf) or hex (OTLP/JSON) → lowercase hex of `bytes` bytes; undefined when absent, null when malformed. */
function id(value: unknown, bytes: number): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Uint8Array) return value.length === bytes ? Buffer.from(value).toString('hex') : value.length === 0 ? undefined : null;
  // OTLP/JSON writes ids as hex, not base64 (the specification's one exception to the protobuf JSON mapping).
  if (typeof value === 'string' && value.length === bytes * 2 && HEX.test(value)) return value.toLowerCase();
  return value === '' ? undefined : null;
}

/** A fixed64 of nanoseconds: a decimal string (protobuf longs, JSON) or a number. */
function nanos(value: unknown, where: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  // JSON numbers past 2^53 arrive rounded (JSON.parse): still a time, to within a microsecond or so.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  throw new InvalidOtlpRequestError(`${where} is not a uint64`);
}

function micros(nanoseconds: bigint): number {
  return Number(nanoseconds / 1000n);
}

function integer(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new InvalidOtlpRequestError(`${where} is not an integer (OTLP/JSON writes enums as numbers)`);
}

function attributes(value: unknown, where: string): Record<string, ExportValue> {
  const record: Record<string, ExportValue> = {};
  for (const [i, kv] of list(value, where).entries()) {
    if (typeof kv.key !== 'string') throw new InvalidOtlpRequestError(`${where}[${i}].key is not a string`);
    const converted = anyValue(kv.value);
    if (converted !== undefined) record[kv.key] = converted;
  }
  return record;
}

/** AnyValue → a tag value: scalars keep their type; arrays, maps and bytes are shown as text. */
function anyValue(value: unknown): ExportValue | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (typeof value.doubleValue === 'number') return value.doubleValue;
  if (typeof value.doubleValue === 'string') return value.doubleValue; // NaN, Infinity in JSON
  if (value.bytesValue !== undefined) return value.bytesValue instanceof Uint8Array ? Buffer.from(value.bytesValue).toString('base64') : String(value.bytesValue);
  if (isObject(value.arrayValue)) return JSON.stringify(list(value.arrayValue.values, 'arrayValue.values').map(anyValue));
  if (isObject(value.kvlistValue)) return JSON.stringify(attributes(value.kvlistValue.values, 'kvlistValue.values'));
  return undefined;
}

function list(value: unknown, where: string): Loose[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isObject)) throw new InvalidOtlpRequestError(`${where} is not a list of objects`);
  return value;
}

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
