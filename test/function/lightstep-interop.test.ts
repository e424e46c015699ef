import * as lightstep from 'lightstep-tracer';
import { FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP } from 'opentracing';
import { decodeSpanLine } from '../../src/span-line';
import { LogTracer } from '../../src/function/log-tracer';
import type { LogSpanContext } from '../../src/function/log-span-context';

// The real lightstep-tracer, never reporting: interop is about the header format only.
function lightStepTracer(): lightstep.Tracer {
  return new lightstep.Tracer({
    access_token: 'interop-test',
    component_name: 'caller',
    collector_host: '127.0.0.1',
    collector_port: 9,
    collector_encryption: 'none',
    disable_reporting_loop: true,
    disable_report_on_exit: true,
    verbosity: 0,
  } as lightstep.TracerOptions);
}

/** Re-keys headers the way a REST API may deliver them: the caller's own mixed case, multi-value. */
const MIXED_CASE: Record<string, string> = {
  'ot-tracer-traceid': 'OT-Tracer-TraceId',
  'ot-tracer-spanid': 'Ot-Tracer-SpanID',
  'ot-tracer-sampled': 'OT-TRACER-SAMPLED',
};
function mixCase(headers: Record<string, string>): Record<string, string[]> {
  const cased: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    cased[MIXED_CASE[name] ?? name.replace('ot-baggage-', 'OT-Baggage-')] = [value];
  }
  return cased;
}

describe('interop with the real lightstep-tracer', () => {
  const ls = lightStepTracer();
  const lines: string[] = [];
  const ours = new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line) });

  test('LightStep inject -> our extract (mixed-case, multi-value headers): same ids and baggage', () => {
    const caller = ls.startSpan('http-request');
    caller.setBaggageItem('customer', 'acme');
    const headers: Record<string, string> = {};
    ls.inject(caller.context(), FORMAT_HTTP_HEADERS, headers);
    const delivered = mixCase(headers);
    expect(Object.keys(delivered)).toContain('OT-Tracer-TraceId');

    const extracted = ours.extract(FORMAT_HTTP_HEADERS, delivered) as LogSpanContext;
    expect(extracted).not.toBeNull();
    expect(extracted.toTraceId()).toBe(caller.context().toTraceId());
    expect(extracted.toSpanId()).toBe(caller.context().toSpanId());
    expect(extracted.baggage).toEqual({ customer: 'acme' });

    const lambdaSpan = ours.startSpan('lambda-execution', { childOf: extracted });
    lambdaSpan.finish();
    const decoded = decodeSpanLine(lines[lines.length - 1]);
    expect(decoded.ok && decoded.spans[0].traceId).toBe(caller.context().toTraceId());
    expect(decoded.ok && decoded.spans[0].parentSpanId).toBe(caller.context().toSpanId());
  });

  test('our inject -> LightStep extract: same trace id, span id and baggage', () => {
    const root = ours.startSpan('lambda-execution');
    root.setBaggageItem('tenant', 't-42');
    const outgoing = ours.startSpan('call-downstream', { childOf: root });
    const headers: Record<string, string> = {};
    ours.inject(outgoing, FORMAT_TEXT_MAP, headers);

    const received = ls.extract(FORMAT_TEXT_MAP, headers) as unknown as lightstep.SpanContext;
    expect(received).not.toBeNull();
    expect(received.toTraceId()).toBe(outgoing.context().toTraceId());
    expect(received.toSpanId()).toBe(outgoing.context().toSpanId());
    expect(received._sampled).toBe(true);
    const baggage: Record<string, string> = {};
    received.forEachBaggageItem((key, value) => (baggage[key] = value));
    expect(baggage).toEqual({ tenant: 't-42' });

    // And LightStep continues our trace.
    const downstream = ls.startSpan('downstream', { childOf: received });
    expect(downstream.context().toTraceId()).toBe(outgoing.context().toTraceId());
  });

  test('an unsampled LightStep context stays unsampled here (no line)', () => {
    const before = lines.length;
    const extracted = ours.extract(FORMAT_HTTP_HEADERS, {
      'OT-Tracer-TraceId': 'aaaaaaaaaaaaaaaa',
      'OT-Tracer-SpanId': 'bbbbbbbbbbbbbbbb',
      'OT-Tracer-Sampled': 'false',
    });
    ours.startSpan('lambda-execution', { childOf: extracted! }).finish();
    expect(lines.length).toBe(before);
    // lightstep-tracer reads our unsampled injection the same way.
    const headers: Record<string, string> = {};
    ours.inject(extracted!, FORMAT_HTTP_HEADERS, headers);
    expect((ls.extract(FORMAT_HTTP_HEADERS, headers) as unknown as lightstep.SpanContext)._sampled).toBe(false);
  });

  test('a LightStep span context passed directly as childOf is continued', () => {
    const caller = ls.startSpan('in-process-caller');
    const child = ours.startSpan('child', { childOf: caller.context() });
    expect(child.context().toTraceId()).toBe(caller.context().toTraceId());
    child.finish();
    const decoded = decodeSpanLine(lines[lines.length - 1]);
    expect(decoded.ok && decoded.spans[0].parentSpanId).toBe(caller.context().toSpanId());
  });
});
