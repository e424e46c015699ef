// Spans → OTLP, as the OpenTelemetry specification maps OpenTracing data (its "OpenTracing
// Compatibility" section, the way @opentelemetry/shim-opentracing does it) and as the Lambda
// semantic conventions name the resource. Pure: no I/O; @opentelemetry/otlp-transformer writes
// the bytes.
import { SpanKind, SpanStatusCode, type Attributes, type HrTime, type SpanContext } from '@opentelemetry/api';
// The trace serializers' own modules (the version is pinned): the package's index also loads the
// metrics and logs serializers and @opentelemetry/sdk-metrics, ~70 KB more in the forwarder bundle.
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer/build/src/trace/json';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer/build/src/trace/protobuf';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ExportValue, SpanSource, SpanToExport } from './span-to-export';

/** The SDK span shape otlp-transformer serializes (sdk-trace's ReadableSpan). */
export type OtlpSpan = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0][number];
type Resource = OtlpSpan['resource'];

/** Baggage has no place in an OTLP span: string attributes `baggage.<key>`, as on LightStep. */
export const BAGGAGE_ATTRIBUTE_PREFIX = 'baggage.';

/** The scope every forwarded span is reported under: the function's LogTracer wrote it. */
export const INSTRUMENTATION_SCOPE = { name: 'lambda-log-tracing' } as const;

const TRACE_ID = /^(?:[0-9a-f]{16}){1,2}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const SAMPLED = 1; // W3C trace-flags: only sampled spans write lines
const NO_LINKS: never[] = [];
const NO_EVENTS: never[] = [];

/** An id OTLP cannot carry (its span would be refused or misattributed): thrown before queuing. */
export class InvalidOtlpIdError extends Error {
  override readonly name = 'InvalidOtlpIdError';
}

/** 16 or 32 hex → OTLP's 32 hex: a 64-bit id is the lower half of a 128-bit one. */
export function otlpTraceId(hex: string): string {
  if (!TRACE_ID.test(hex) || /^0+$/.test(hex)) throw new InvalidOtlpIdError('trace id is not 16 or 32 lowercase hex, or is 0');
  return hex.length === 16 ? `0000000000000000${hex}` : hex;
}

function otlpSpanId(hex: string, what: string): string {
  if (!SPAN_ID.test(hex) || hex === '0000000000000000') throw new InvalidOtlpIdError(`${what} is not 16 lowercase hex, or is 0`);
  return hex;
}

const KINDS: Record<string, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/** OpenTracing's span.kind tag → SpanKind; anything else (or none) is INTERNAL. */
export function spanKindOf(tags: Record<string, ExportValue>): SpanKind {
  const kind = tags['span.kind'];
  return (typeof kind === 'string' && KINDS[kind]) || SpanKind.INTERNAL;
}

/** Microseconds since the epoch → [seconds, nanoseconds], exact for any integer µs. */
export function microsToHrTime(micros: number): HrTime {
  const whole = Math.round(micros);
  const seconds = Math.floor(whole / 1e6);
  return [seconds, (whole - seconds * 1e6) * 1000];
}

/**
 * The resource of one component's spans from one log stream: service.name = the component, the
 * function from the log group and stream (faas.*), the account and region (cloud.*).
 */
export function resourceAttributes(component: string, source: SpanSource | undefined, region: string | undefined): Attributes {
  const attributes: Attributes = { 'service.name': component, 'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda' };
  if (region) attributes['cloud.region'] = region;
  if (source === undefined) return attributes;
  if (source.owner) attributes['cloud.account.id'] = source.owner;
  const functionName = /^\/aws\/lambda\/(.+)$/.exec(source.logGroup)?.[1];
  if (functionName) attributes['faas.name'] = functionName;
  // Lambda names streams YYYY/MM/DD/[<version>]<id>; the stream is the execution environment.
  const version = /^\d{4}\/\d{2}\/\d{2}\/\[([^\]]+)\]/.exec(source.logStream)?.[1];
  if (version) attributes['faas.version'] = version;
  if (source.logStream) attributes['faas.instance'] = source.logStream;
  return attributes;
}

/**
 * One Resource object per (component, source): otlp-transformer groups spans by resource
 * identity, so the spans of a batch share a handful of them. Bounded: a container sees new log
 * streams for as long as it lives.
 */
export class ResourceCache {
  private readonly resources = new Map<string, Resource>();

  constructor(
    private readonly region: string | undefined,
    private readonly maxEntries = 1000,
  ) {}

  get(component: string, source: SpanSource | undefined): Resource {
    const key = source === undefined ? component : `${component}\n${source.owner}\n${source.logGroup}\n${source.logStream}`;
    let resource = this.resources.get(key);
    if (resource === undefined) {
      if (this.resources.size >= this.maxEntries) this.resources.clear();
      resource = resourceFromAttributes(resourceAttributes(component, source, this.region));
      this.resources.set(key, resource);
    }
    return resource;
  }
}

/** The OTLP status: `error` true (or "true") is ERROR with the error log's message, false is OK. */
export function statusOf(span: Pick<SpanToExport, 'tags' | 'logs'>): OtlpSpan['status'] {
  const error = span.tags.error;
  if (error === false || error === 'false') return { code: SpanStatusCode.OK };
  if (error !== true && error !== 'true') return { code: SpanStatusCode.UNSET };
  for (let i = span.logs.length - 1; i >= 0; i--) {
    const fields = span.logs[i].fields;
    if (fields.event !== 'error') continue;
    const message = fields.message ?? fields['error.object'] ?? fields['error.kind'];
    if (message !== undefined) return { code: SpanStatusCode.ERROR, message: String(message) };
  }
  return { code: SpanStatusCode.ERROR };
}

/** A span log → an event at its own time: named by its `event` field (else "log"); an error log is an "exception". */
function toEvent(log: SpanToExport['logs'][number]): OtlpSpan['events'][number] {
  const time = microsToHrTime(log.timestampMicros);
  const name = log.fields.event === undefined ? 'log' : String(log.fields.event);
  if (name !== 'error') return { name, time, attributes: log.fields, droppedAttributesCount: 0 };
  const attributes: Attributes = {};
  for (const key in log.fields) attributes[EXCEPTION_KEYS[key] ?? key] = log.fields[key];
  return { name: 'exception', time, attributes, droppedAttributesCount: 0 };
}

/** OpenTracing's error-log fields → the exception semantic conventions (as the shim maps them). */
const EXCEPTION_KEYS: Record<string, string> = {
  'error.kind': 'exception.type',
  message: 'exception.message',
  'error.object': 'exception.message',
  stack: 'exception.stacktrace',
};

function attributesOf(span: SpanToExport): Attributes {
  const { tags, baggage } = span;
  const hasError = 'error' in tags;
  let attributes: Attributes = tags;
  if (hasError || (baggage !== undefined && Object.keys(baggage).length > 0)) {
    attributes = {};
    // `error` became the status; span.kind stays an attribute too (as the shim keeps it).
    for (const key in tags) if (key !== 'error') attributes[key] = tags[key];
    for (const key in baggage) attributes[BAGGAGE_ATTRIBUTE_PREFIX + key] = baggage[key];
  }
  return attributes;
}

/**
 * One span in the SDK's exported shape, with the function's own ids and times. Throws
 * InvalidOtlpIdError for an id OTLP cannot carry.
 */
export function toOtlpSpan(span: SpanToExport, resource: Resource): OtlpSpan {
  const traceId = otlpTraceId(span.traceId);
  const context: SpanContext = { traceId, spanId: otlpSpanId(span.spanId, 'span id'), traceFlags: SAMPLED };
  const kind = spanKindOf(span.tags);
  const parentSpanContext: SpanContext | undefined =
    span.parentSpanId === undefined
      ? undefined
      : {
          traceId,
          spanId: otlpSpanId(span.parentSpanId, 'parent span id'),
          traceFlags: SAMPLED,
          // An entry span's parent is in the caller's process; span lines do not say more.
          isRemote: kind === SpanKind.SERVER || kind === SpanKind.CONSUMER,
        };
  const startTime = microsToHrTime(span.startMicros);
  const duration = Math.max(0, Math.round(span.durationMicros));
  return {
    name: span.operation,
    kind,
    spanContext: () => context,
    parentSpanContext,
    startTime,
    endTime: microsToHrTime(Math.round(span.startMicros) + duration),
    duration: microsToHrTime(duration),
    status: statusOf(span),
    attributes: attributesOf(span),
    links: NO_LINKS,
    events: span.logs.length === 0 ? NO_EVENTS : span.logs.map(toEvent),
    ended: true,
    resource,
    instrumentationScope: INSTRUMENTATION_SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** An ExportTraceServiceRequest body in the given protocol. */
export function serializeOtlpRequest(spans: OtlpSpan[], protocol: 'http/protobuf' | 'http/json'): Uint8Array {
  return protocol === 'http/json' ? JsonTraceSerializer.serializeRequest(spans)! : ProtobufTraceSerializer.serializeRequest(spans)!;
}

/** What an ExportTraceServiceResponse says: rejected spans of a partial success, and why. */
export function deserializeOtlpResponse(body: Uint8Array, protocol: 'http/protobuf' | 'http/json'): { rejectedSpans: number; errorMessage: string } {
  const serializer = protocol === 'http/json' ? JsonTraceSerializer : ProtobufTraceSerializer;
  const response = serializer.deserializeResponse(body);
  const partial = response?.partialSuccess;
  return { rejectedSpans: Number(partial?.rejectedSpans ?? 0) || 0, errorMessage: partial?.errorMessage ?? '' };
}
