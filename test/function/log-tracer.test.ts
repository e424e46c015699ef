import { BinaryCarrier, FORMAT_BINARY, FORMAT_HTTP_HEADERS, FORMAT_TEXT_MAP, followsFrom, childOf } from 'opentracing';
import { decodeSpanLine, type FinishedSpan } from '../../src/span-line';
import { newId } from '../../src/function/ids';
import { nowMicros } from '../../src/function/clock';
import { LogTracer } from '../../src/function/log-tracer';
import { LogSpanContext } from '../../src/function/log-span-context';

function captured(): { tracer: LogTracer; spans: () => FinishedSpan[]; lines: string[] } {
  const lines: string[] = [];
  const tracer = new LogTracer({ componentName: 'unit_test', emit: (line) => lines.push(line) });
  return {
    tracer,
    lines,
    spans: () =>
      lines.flatMap((line) => {
        const decoded = decodeSpanLine(line);
        if (!decoded.ok) throw new Error(`undecodable line (${decoded.reason}): ${line}`);
        return decoded.spans;
      }),
  };
}

describe('ids and clock', () => {
  test('ids are 16 lowercase hex and do not repeat across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = newId();
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  test('microsecond clock agrees with Date.now and has sub-millisecond steps', () => {
    const micros = nowMicros();
    expect(Math.abs(micros / 1000 - Date.now())).toBeLessThan(1000);
    const samples = new Set<number>();
    for (let i = 0; i < 50; i++) samples.add(nowMicros() % 1000);
    expect(samples.size).toBeGreaterThan(1);
  });
});

describe('LogTracer spans', () => {
  test('a root span starts a new trace; children inherit the trace id and name their parent', () => {
    const { tracer, spans } = captured();
    const root = tracer.startSpan('root');
    const child = tracer.startSpan('child', { childOf: root });
    const follower = tracer.startSpan('follower', { references: [followsFrom(child.context())] });
    follower.finish();
    child.finish();
    root.finish();
    const [f, c, r] = spans();
    expect(r.parentSpanId).toBeUndefined();
    expect(c.traceId).toBe(r.traceId);
    expect(c.parentSpanId).toBe(r.spanId);
    expect(f.traceId).toBe(r.traceId);
    expect(f.parentSpanId).toBe(c.spanId);
    expect(new Set([r.spanId, c.spanId, f.spanId]).size).toBe(3);
    const other = tracer.startSpan('other-root');
    expect(other.context().toTraceId()).not.toBe(r.traceId);
  });

  test('CHILD_OF wins over an earlier FOLLOWS_FROM reference', () => {
    const { tracer, spans } = captured();
    const a = tracer.startSpan('a');
    const b = tracer.startSpan('b');
    tracer.startSpan('c', { references: [followsFrom(a.context()), childOf(b.context())] }).finish();
    expect(spans()[0].parentSpanId).toBe(b.context().toSpanId());
  });

  test('baggage is copied to children: a child item never reaches the parent', () => {
    const { tracer, spans } = captured();
    const root = tracer.startSpan('root');
    root.setBaggageItem('tenant', 'acme');
    const child = tracer.startSpan('child', { childOf: root });
    child.setBaggageItem('only-child', 'yes');
    expect(child.getBaggageItem('tenant')).toBe('acme');
    expect(root.getBaggageItem('only-child')).toBeUndefined();
    child.finish();
    root.finish();
    const [c, r] = spans();
    expect(c.baggage).toEqual({ tenant: 'acme', 'only-child': 'yes' });
    expect(r.baggage).toEqual({ tenant: 'acme' });
  });

  test('tags, logs with their own timestamps, startTime and finishTime (ms) are recorded', () => {
    const { tracer, spans } = captured();
    const start = Date.now() - 20;
    const span = tracer.startSpan('timed', { startTime: start, tags: { a: 1, b: 'x', c: false } });
    span.setTag('d', true).log({ event: 'step', n: 0 }, start + 5);
    span.setOperationName('renamed');
    span.finish(start + 12.5);
    const [s] = spans();
    expect(s.operation).toBe('renamed');
    expect(s.startMicros).toBe(start * 1000);
    expect(s.durationMicros).toBe(12_500);
    expect(s.tags).toEqual({ a: 1, b: 'x', c: false, d: true });
    expect(s.logs).toEqual([{ timestampMicros: (start + 5) * 1000, fields: { event: 'step', n: 0 } }]);
    expect(s.component).toBe('unit_test');
  });

  test('finish writes one line only, however often it is called', () => {
    const { tracer, lines } = captured();
    const span = tracer.startSpan('once');
    span.finish();
    span.finish();
    span.setTag('late', 1).log({ late: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('late');
  });

  test('an unsampled incoming context writes no line, for the span or its children', () => {
    const { tracer, lines } = captured();
    for (const sampled of ['false', '0', 'False']) {
      const parent = tracer.extract(FORMAT_HTTP_HEADERS, {
        'ot-tracer-traceid': 'aaaaaaaaaaaaaaaa',
        'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb',
        'ot-tracer-sampled': sampled,
      });
      expect(parent).not.toBeNull();
      const span = tracer.startSpan('unsampled', { childOf: parent! });
      tracer.startSpan('grandchild', { childOf: span }).finish();
      span.finish();
      const headers: Record<string, string> = {};
      tracer.inject(span, FORMAT_HTTP_HEADERS, headers);
      expect(headers['ot-tracer-sampled']).toBe('false'); // stays unsampled downstream
    }
    expect(lines).toHaveLength(0);
  });

  test('a throwing emit never reaches the caller', () => {
    const tracer = new LogTracer({
      componentName: 'x',
      emit: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => tracer.startSpan('s').finish()).not.toThrow();
  });

  test('componentName is required', () => {
    expect(() => new LogTracer({ componentName: '' })).toThrow(/componentName/);
  });
});

describe('LogTracer inject/extract', () => {
  test('inject writes LightStep headers; extract reads them back with any key case and multi-values', () => {
    const { tracer } = captured();
    const span = tracer.startSpan('s');
    span.setBaggageItem('user', 'u1');
    const headers: Record<string, string> = {};
    tracer.inject(span.context(), FORMAT_TEXT_MAP, headers);
    expect(headers).toEqual({
      'ot-tracer-traceid': span.context().toTraceId(),
      'ot-tracer-spanid': span.context().toSpanId(),
      'ot-tracer-sampled': 'true',
      'ot-baggage-user': 'u1',
    });
    const mixed = {
      'OT-Tracer-TraceId': [headers['ot-tracer-traceid'].toUpperCase()],
      'Ot-Tracer-SpanID': [headers['ot-tracer-spanid']],
      'OT-Baggage-User': ['u1', 'ignored-second-value'],
      Host: 'example.com',
    };
    const extracted = tracer.extract(FORMAT_HTTP_HEADERS, mixed) as LogSpanContext;
    expect(extracted.toTraceId()).toBe(span.context().toTraceId());
    expect(extracted.toSpanId()).toBe(span.context().toSpanId());
    expect(extracted.sampled).toBe(true);
    expect(extracted.baggage).toEqual({ user: 'u1' });
  });

  test('a 32-hex trace id is accepted (lowercased) and kept by children', () => {
    const { tracer, spans } = captured();
    const parent = tracer.extract(FORMAT_HTTP_HEADERS, {
      'ot-tracer-traceid': '1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F',
      'ot-tracer-spanid': '0f1e2d3c4b5a6978',
    });
    tracer.startSpan('child', { childOf: parent! }).finish();
    expect(spans()[0].traceId).toBe('1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f');
    expect(spans()[0].parentSpanId).toBe('0f1e2d3c4b5a6978');
  });

  test.each([
    ['no carrier', undefined],
    ['null', null],
    ['a string', 'ot-tracer-traceid'],
    ['no headers', {}],
    ['trace id only', { 'ot-tracer-traceid': 'aaaaaaaaaaaaaaaa' }],
    ['span id only', { 'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb' }],
    ['non-hex trace id', { 'ot-tracer-traceid': 'not-a-trace-id!!', 'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb' }],
    ['24-hex trace id', { 'ot-tracer-traceid': 'a'.repeat(24), 'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb' }],
    ['short span id', { 'ot-tracer-traceid': 'aaaaaaaaaaaaaaaa', 'ot-tracer-spanid': 'bbbb' }],
    ['number values', { 'ot-tracer-traceid': 12345, 'ot-tracer-spanid': 678 }],
    ['empty arrays', { 'ot-tracer-traceid': [], 'ot-tracer-spanid': [] }],
  ])('malformed context (%s) -> null, and a new root trace', (_label, carrier) => {
    const { tracer, spans } = captured();
    let extracted: unknown;
    expect(() => (extracted = tracer.extract(FORMAT_HTTP_HEADERS, carrier))).not.toThrow();
    expect(extracted).toBeNull();
    tracer.startSpan('root', extracted ? { childOf: extracted as LogSpanContext } : {}).finish();
    expect(spans()[0].parentSpanId).toBeUndefined();
  });

  test('FORMAT_BINARY is unsupported: inject is a no-op and extract returns null', () => {
    const { tracer } = captured();
    const carrier = new BinaryCarrier([1, 2, 3]);
    tracer.inject(tracer.startSpan('s'), FORMAT_BINARY, carrier);
    expect(carrier.buffer).toEqual([1, 2, 3]);
    expect(tracer.extract(FORMAT_BINARY, carrier)).toBeNull();
  });
});
