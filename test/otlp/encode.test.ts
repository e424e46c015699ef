// The mapping span line → OTLP, read back from the bytes the real serializer (otlp-transformer) writes.
import { otlpType } from '../../src/otlp/wire/schema';
import { InvalidOtlpIdError, ResourceCache, resourceAttributes, serializeOtlpRequest, toOtlpSpan } from '../../src/otlp/wire/encode';
import type { SpanToExport } from '../../src/otlp/wire/span-to-export';

const SOURCE = { owner: '123456789012', logGroup: '/aws/lambda/ot-gen-function', logStream: '2026/11/25/[7]0123456789abcdef0123456789abcdef' };

function lambdaSpan(over: Partial<SpanToExport> = {}): SpanToExport {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    parentSpanId: 'a2fb4a1d1a96d312',
    operation: 'lambda-execution',
    component: 'lambda_function',
    startMicros: 1764045116123456,
    durationMicros: 1532,
    tags: { 'span.kind': 'server', 'http.status_code': 200, ratio: 0.25, 'faas.coldstart': false, big: 2 ** 60, note: '' },
    logs: [
      { timestampMicros: 1764045116123999, fields: { event: 'cache miss', zero: 0, no: false } },
      { timestampMicros: 1764045116124500, fields: { value: 1 } },
    ],
    baggage: { tenant: 'acme' },
    ...over,
  };
}

/** The protobuf bytes, decoded with the OTLP schema (longs as strings, ids as hex). */
function decodeProtobuf(bytes: Uint8Array): any {
  const type = otlpType('ExportTraceServiceRequest');
  return type.toObject(type.decode(bytes), { longs: String, bytes: String, defaults: false });
}
const hexOf = (base64: string) => Buffer.from(base64, 'base64').toString('hex');
const attrs = (list: Array<{ key: string; value: Record<string, unknown> }>) => Object.fromEntries(list.map((kv) => [kv.key, kv.value]));

describe('span → OTLP', () => {
  const resources = new ResourceCache('eu-west-1');

  it('keeps the ids, parent and nanosecond times the function wrote; kind from span.kind', () => {
    const request = decodeProtobuf(serializeOtlpRequest([toOtlpSpan(lambdaSpan(), resources.get('lambda_function', SOURCE))], 'http/protobuf'));
    const span = request.resourceSpans[0].scopeSpans[0].spans[0];
    expect(hexOf(span.traceId)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(hexOf(span.spanId)).toBe('00f067aa0ba902b7');
    expect(hexOf(span.parentSpanId)).toBe('a2fb4a1d1a96d312');
    expect(span.name).toBe('lambda-execution');
    expect(span.kind).toBe(2); // SPAN_KIND_SERVER
    expect(span.startTimeUnixNano).toBe('1764045116123456000');
    expect(span.endTimeUnixNano).toBe('1764045116124988000');
    // Sampled, and a server span's parent is remote (HAS_IS_REMOTE | IS_REMOTE).
    expect(span.flags).toBe(0x301);
    expect(request.resourceSpans[0].scopeSpans[0].scope.name).toBe('lambda-log-tracing');
  });

  it('left-pads a 64-bit trace id to 128 bits', () => {
    const request = decodeProtobuf(serializeOtlpRequest([toOtlpSpan(lambdaSpan({ traceId: 'a3ce929d0e0e4736' }), resources.get('c', undefined))], 'http/protobuf'));
    expect(hexOf(request.resourceSpans[0].scopeSpans[0].spans[0].traceId)).toBe('0000000000000000a3ce929d0e0e4736');
  });

  it('keeps attribute types: int, double, bool, string (empty too); baggage as baggage.<key>', () => {
    const json = JSON.parse(Buffer.from(serializeOtlpRequest([toOtlpSpan(lambdaSpan(), resources.get('lambda_function', SOURCE))], 'http/json')).toString());
    const span = json.resourceSpans[0].scopeSpans[0].spans[0];
    expect(attrs(span.attributes)).toEqual({
      'span.kind': { stringValue: 'server' },
      'http.status_code': { intValue: 200 },
      ratio: { doubleValue: 0.25 },
      'faas.coldstart': { boolValue: false },
      big: { intValue: 2 ** 60 },
      note: { stringValue: '' },
      'baggage.tenant': { stringValue: 'acme' },
    });
    // OTLP/JSON: hex ids, decimal-string nanoseconds.
    expect(span.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.startTimeUnixNano).toBe('1764045116123456000');
    expect(span.status).toEqual({ code: 0 });
  });

  it('turns span logs into events at their own times, named by their event field (else "log"), 0 and false kept', () => {
    const request = decodeProtobuf(serializeOtlpRequest([toOtlpSpan(lambdaSpan(), resources.get('lambda_function', SOURCE))], 'http/protobuf'));
    const events = request.resourceSpans[0].scopeSpans[0].spans[0].events;
    expect(events.map((e: any) => [e.name, e.timeUnixNano])).toEqual([
      ['cache miss', '1764045116123999000'],
      ['log', '1764045116124500000'],
    ]);
    expect(attrs(events[0].attributes)).toEqual({ event: { stringValue: 'cache miss' }, zero: { intValue: '0' }, no: { boolValue: false } });
  });

  it('error=true is status ERROR with the error log’s message; the error log an exception event; error=false is OK', () => {
    const failed = lambdaSpan({
      tags: { error: true, 'span.kind': 'client' },
      logs: [{ timestampMicros: 1764045116124000, fields: { event: 'error', 'error.kind': 'network', message: 'ECONNREFUSED', stack: 'at x' } }],
    });
    const json = JSON.parse(Buffer.from(serializeOtlpRequest([toOtlpSpan(failed, resources.get('node-service', undefined))], 'http/json')).toString());
    const span = json.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.status).toEqual({ code: 2, message: 'ECONNREFUSED' });
    expect(span.kind).toBe(3); // CLIENT
    expect(attrs(span.attributes)).not.toHaveProperty('error');
    expect(span.events[0].name).toBe('exception');
    expect(attrs(span.events[0].attributes)).toMatchObject({
      'exception.type': { stringValue: 'network' },
      'exception.message': { stringValue: 'ECONNREFUSED' },
      'exception.stacktrace': { stringValue: 'at x' },
    });
    expect(toOtlpSpan(lambdaSpan({ tags: { error: 'true' }, logs: [] }), resources.get('c', undefined)).status).toEqual({ code: 2 });
    expect(toOtlpSpan(lambdaSpan({ tags: { error: false } }), resources.get('c', undefined)).status).toEqual({ code: 1 });
    expect(toOtlpSpan(lambdaSpan({ tags: { 'span.kind': 'nonsense' } }), resources.get('c', undefined)).kind).toBe(0); // INTERNAL
  });

  it('names the resource: service.name = component, the function, version, instance, account and region', () => {
    expect(resourceAttributes('lambda_function', SOURCE, 'eu-west-1')).toEqual({
      'service.name': 'lambda_function',
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'cloud.region': 'eu-west-1',
      'cloud.account.id': '123456789012',
      'faas.name': 'ot-gen-function',
      'faas.version': '7',
      'faas.instance': SOURCE.logStream,
    });
    // A log group or stream not named the Lambda way gives no faas.name / faas.version.
    expect(resourceAttributes('c', { owner: '1', logGroup: '/ecs/app', logStream: 'web/1' }, undefined)).toEqual({
      'service.name': 'c', 'cloud.provider': 'aws', 'cloud.platform': 'aws_lambda', 'cloud.account.id': '1', 'faas.instance': 'web/1',
    });
  });

  it('groups a batch by component and source into one resource each', () => {
    const spans = [
      toOtlpSpan(lambdaSpan(), resources.get('lambda_function', SOURCE)),
      toOtlpSpan(lambdaSpan({ spanId: '00f067aa0ba902b8' }), resources.get('lambda_function', { ...SOURCE })),
      toOtlpSpan(lambdaSpan({ spanId: '00f067aa0ba902b9', component: 'other' }), resources.get('other', SOURCE)),
    ];
    const request = decodeProtobuf(serializeOtlpRequest(spans, 'http/protobuf'));
    expect(request.resourceSpans.map((r: any) => [attrs(r.resource.attributes)['service.name'].stringValue, r.scopeSpans[0].spans.length])).toEqual([
      ['lambda_function', 2],
      ['other', 1],
    ]);
  });

  it('refuses ids OTLP cannot carry', () => {
    const resource = resources.get('c', undefined);
    for (const bad of [{ traceId: 'xyz' }, { traceId: '0'.repeat(32) }, { spanId: '0'.repeat(16) }, { parentSpanId: 'ABCDEF0123456789' }]) {
      expect(() => toOtlpSpan(lambdaSpan(bad), resource)).toThrow(InvalidOtlpIdError);
    }
  });
});
