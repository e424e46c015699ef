import * as collectorPb from 'lightstep-tracer/lib/imp/generated_proto/collector_pb';
import {
  COMPONENT_TAG,
  decodeReportRequest,
  encodeReportRequest,
  InvalidIdError,
  spansFromReport,
  toCollectorSpan,
  writeReportHeader,
  writeReportRequest,
  writeSpanField,
  ProtoWriter,
  type ReportSender,
  type SpanToReport,
  type WireSpan,
  type WireValue,
} from '../../src/lightstep/wire';
import { randomSpans } from './random-spans';

const sender: ReportSender = { reporterId: '00f067aa0ba902b7', tags: [[COMPONENT_TAG, 'lambda_function']], accessToken: 'writer-token' };

/** collector_pb's bytes for the same report: encode.ts's protos, ReportRequest.serializeBinary. */
function collectorPbBytes(spans: readonly SpanToReport[], reporter = sender): Buffer {
  return Buffer.from(
    encodeReportRequest({ component: 'lambda_function', accessToken: reporter.accessToken, reporterId: BigInt(`0x${reporter.reporterId}`).toString(), spans }),
  );
}

/** The bytes of one span as the writer writes it, without the ReportRequest field's key and length. */
function spanBytes(span: SpanToReport): Buffer {
  const w = new ProtoWriter(16);
  writeSpanField(w, span);
  const bytes = w.view();
  let at = 1;
  while (bytes[at] & 0x80) at++;
  return Buffer.from(bytes.subarray(at + 1));
}

function firstDifference(a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `${a.length} vs ${b.length} bytes, first difference at ${i}: ${a.subarray(i, i + 12).toString('hex')} vs ${b.subarray(i, i + 12).toString('hex')}`;
}

describe('report writer: the bytes of collector_pb, without its objects', () => {
  const seeds = [1, 2, 3, 4, 5];

  it.each(seeds)('writes byte for byte what collector_pb serializes, span by span (seed %i, 250 random spans)', (seed) => {
    const spans = randomSpans(seed, 250, { protoKeys: true, oddTimes: true });
    spans.forEach((span, index) => {
      const expected = Buffer.from(toCollectorSpan(span).serializeBinary());
      const written = spanBytes(span);
      if (!written.equals(expected)) throw new Error(`seed ${seed}, span ${index}: ${firstDifference(written, expected)}`);
    });
  });

  it.each(seeds)('writes the whole ReportRequest as collector_pb does (seed %i)', (seed) => {
    const spans = randomSpans(seed * 1000, 200, { protoKeys: true, oddTimes: true });
    const written = writeReportRequest(sender, spans);
    const expected = collectorPbBytes(spans);
    expect(written.equals(expected) ? 'equal' : firstDifference(written, expected)).toBe('equal');
  });

  it('covers the cases a random run might miss: typed 0/false/"", extremes, empty logs, 128-bit ids, astral text', () => {
    const base: SpanToReport = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'ffffffffffffffff',
      parentSpanId: '0000000000000001',
      operation: '😀 𝄞 中文 é'.repeat(20),
      component: 'lambda_function',
      startMicros: 1_715_681_730_123_456,
      durationMicros: 8345,
      tags: {
        zero: 0,
        no: false,
        empty: '',
        minusZero: -0,
        maxSafe: Number.MAX_SAFE_INTEGER,
        minSafe: Number.MIN_SAFE_INTEGER,
        beyondSafe: 2 ** 53,
        tiny: 5e-324,
        huge: Number.MAX_VALUE,
        negative: -(2 ** 63),
        '': 'empty key',
        'ü😀': 'astral 😀',
        long: 'x'.repeat(20_000),
      },
      logs: [
        { timestampMicros: 0, fields: {} },
        { timestampMicros: 1_000_000, fields: { attempt: 0, ok: false, note: '' } },
      ],
      baggage: { tenant: 'acme', '': '' },
    };
    const cases: SpanToReport[] = [
      base,
      { ...base, parentSpanId: undefined, logs: [], tags: {}, baggage: undefined },
      { ...base, traceId: '00000000000000000000000000000001', operation: '', durationMicros: 0, startMicros: 0 },
      { ...base, traceId: 'FFFFFFFFFFFFFFFF', spanId: 'ABCDEF0123456789' }, // upper case, as BigInt reads it
      { ...base, traceId: '1', spanId: '00ff' }, // shorter than 16 hex
      { ...base, startMicros: 1.5, durationMicros: -3 },
      { ...base, durationMicros: Number.MAX_SAFE_INTEGER, startMicros: Number.MAX_SAFE_INTEGER },
    ];
    // Lengths around the one-byte and two-byte varint limits (127, 16383 bytes), in 1-byte and
    // 3-byte characters: the writer reserves length bytes and moves content that needs more or fewer.
    for (const chars of [41, 42, 43, 44, 127, 128, 5461, 5462, 16383, 16384]) {
      for (const char of ['a', '€', '😀']) {
        const textOf = char.repeat(Math.ceil(chars / char.length)).slice(0, chars - (chars % char.length));
        cases.push({ ...base, operation: textOf, tags: { [textOf]: textOf }, logs: [{ timestampMicros: 1, fields: { k: textOf } }], baggage: undefined });
      }
    }
    for (const [index, span] of cases.entries()) {
      const expected = Buffer.from(toCollectorSpan(span).serializeBinary());
      expect([index, spanBytes(span).equals(expected) ? 'equal' : firstDifference(spanBytes(span), expected)]).toEqual([index, 'equal']);
    }
    expect(writeReportRequest(sender, cases).equals(collectorPbBytes(cases))).toBe(true);
  });

  it('writes ids of every length and around every varint group boundary (2^7, 2^28, 2^35, 2^56, 2^63) as collector_pb does', () => {
    const values: bigint[] = [1n, 0x7fn, 0x80n];
    for (const bit of [14n, 21n, 28n, 35n, 42n, 49n, 56n, 63n]) values.push((1n << bit) - 1n, 1n << bit, (1n << bit) + 1n);
    values.push((1n << 64n) - 1n, 0x0123456789abcdefn);
    const ids: string[] = [];
    for (const value of values) {
      const hex = value.toString(16);
      // As few digits as the value needs, padded to 16, and as the lower half of a 128-bit id.
      ids.push(hex, hex.padStart(16, '0'), 'f'.repeat(16) + hex.padStart(16, '0'));
    }
    for (let length = 1; length <= 16; length++) ids.push('9'.repeat(length));
    const spans: SpanToReport[] = ids.map((id, i) => ({
      traceId: id,
      spanId: ids[(i + 1) % ids.length],
      parentSpanId: ids[(i + 2) % ids.length],
      operation: 'ids',
      component: 'lambda_function',
      startMicros: 1_715_681_730_123_456,
      durationMicros: 1,
      tags: {},
      logs: [],
    }));
    for (const [index, span] of spans.entries()) {
      const expected = Buffer.from(toCollectorSpan(span).serializeBinary());
      expect([index, span.traceId, spanBytes(span).equals(expected) ? 'equal' : firstDifference(spanBytes(span), expected)]).toEqual([index, span.traceId, 'equal']);
    }
    for (const reporterId of ['1', '00000000ffffffff', '0fffffffffffffff', 'ffffffffffffffff']) {
      const reporter = { ...sender, reporterId };
      expect([reporterId, writeReportRequest(reporter, spans.slice(0, 3)).equals(collectorPbBytes(spans.slice(0, 3), reporter))]).toEqual([reporterId, true]);
    }
  });

  it('writes a report of no spans, and a header of many tags and a long token, as collector_pb does', () => {
    expect(writeReportRequest(sender, []).equals(collectorPbBytes([]))).toBe(true);
    const tags: Array<[string, string]> = Array.from({ length: 300 }, (_, i) => [`tag.${i}`, `value ${i} ${'€'.repeat(i % 7)}`]);
    const reporter = new collectorPb.Reporter();
    reporter.setReporterId(BigInt('0xffffffffffffffff').toString());
    reporter.setTagsList(
      tags.map(([key, value]) => {
        const kv = new collectorPb.KeyValue();
        kv.setKey(key);
        kv.setStringValue(value);
        return kv;
      }),
    );
    const auth = new collectorPb.Auth();
    auth.setAccessToken('t'.repeat(300));
    const request = new collectorPb.ReportRequest();
    request.setReporter(reporter);
    request.setAuth(auth);
    const header = writeReportHeader({ reporterId: 'ffffffffffffffff', tags, accessToken: 't'.repeat(300) });
    expect(header.equals(Buffer.from(request.serializeBinary()))).toBe(true);
  });

  it('writes a lone surrogate as U+FFFD (valid UTF-8), where collector_pb drops it or writes invalid UTF-8', () => {
    // The span-line decoder already replaces them; LightStep refuses spans with invalid UTF-8.
    const span: SpanToReport = { ...randomSpans(9, 1)[0], operation: 'a\uD800b', tags: { end: 'x\uD83D', low: '\uDE00y' }, logs: [], baggage: undefined };
    const decoded = collectorPb.Span.deserializeBinary(spanBytes(span));
    expect(decoded.getOperationName()).toBe('a\uFFFDb');
    expect(decoded.getTagsList().map((kv) => kv.getStringValue())).toEqual(['x\uFFFD', '\uFFFDy']);
    const replaced: SpanToReport = { ...span, operation: 'a\uFFFDb', tags: { end: 'x\uFFFD', low: '\uFFFDy' } };
    expect(spanBytes(span).equals(Buffer.from(toCollectorSpan(replaced).serializeBinary()))).toBe(true);
  });

  it('refuses the ids hexIdToWire refuses, with its messages, writing nothing', () => {
    const span = randomSpans(10, 1)[0];
    const w = new ProtoWriter(16);
    const cases: Array<[Partial<SpanToReport>, string]> = [
      [{ traceId: 'XYZ' }, 'trace id is not hex'],
      [{ traceId: '' }, 'trace id is not hex'],
      [{ spanId: 'zz' }, 'span id is not hex'],
      [{ spanId: '0000000000000000' }, 'span id is 0'],
      [{ traceId: '0000000000000000' }, 'trace id is 0'],
      [{ traceId: '4bf92f3577b34da60000000000000000' }, 'trace id is 0 in its lower 64 bits'],
      [{ parentSpanId: '0000000000000000' }, 'parent span id is 0'],
    ];
    for (const [change, message] of cases) {
      expect(() => writeSpanField(w, { ...span, ...change })).toThrow(new InvalidIdError(message));
      expect(() => toCollectorSpan({ ...span, ...change })).toThrow(new InvalidIdError(message));
      expect(w.pos).toBe(0);
    }
    // Stricter than hexIdToWire, which reads any length and only the lower half of 32 digits:
    // more than 64 bits, or a non-hex upper half, is not an id either.
    expect(() => writeSpanField(w, { ...span, parentSpanId: '12345678901234567' })).toThrow(new InvalidIdError('parent span id is not hex'));
    expect(() => writeSpanField(w, { ...span, traceId: 'g000000000000000' + '0000000000000001' })).toThrow(new InvalidIdError('trace id is not hex'));
    expect(w.pos).toBe(0);
  });

  it('is read back by the embedded collector’s decoder: ids, parent, times, typed tags and logs, baggage as tags', () => {
    const spans = randomSpans(11, 300);
    const decoded = spansFromReport(decodeReportRequest(writeReportRequest(sender, spans)));
    // -0 is a safe integer, sent as int 0.
    const plusZero = (record: Record<string, WireValue>) =>
      Object.fromEntries(Object.entries(record).map(([key, value]) => [key, Object.is(value, -0) ? 0 : value]));
    const expected: WireSpan[] = spans.map((span) => {
      const tags = plusZero(span.tags);
      for (const key in span.baggage) tags[`baggage.${key}`] = span.baggage[key];
      const stored: WireSpan = {
        traceId: span.traceId.slice(-16),
        spanId: span.spanId,
        operation: span.operation,
        component: 'lambda_function',
        startMicros: span.startMicros,
        durationMicros: span.durationMicros,
        tags,
        logs: span.logs.map((log) => ({ timestampMicros: log.timestampMicros, fields: plusZero(log.fields) })),
      };
      if (span.parentSpanId !== undefined) stored.parentSpanId = span.parentSpanId;
      return stored;
    });
    expect(decoded).toEqual(expected);
  });
});
