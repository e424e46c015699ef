import {
  COMPONENT_TAG,
  decodeReportRequest,
  ProtoWriter,
  spansFromReport,
  writeReportHeader,
  writeSpanField,
  writeSpanViewField,
  type ReportSender,
  type SpanToReport,
} from '../../src/lightstep/wire';
import { decodeSpanLineInto, encodeSpanLines, encodeSpanLineV1, finishedSpanOf, lineSourceOf, type SpanView } from '../../src/span-line';
import { randomSpans, seededRandom } from './random-spans';

const sender: ReportSender = { reporterId: '00f067aa0ba902b7', tags: [[COMPONENT_TAG, 'lambda_function']], accessToken: 'view-token' };
const SOURCE = lineSourceOf('/aws/lambda/orders', '2026/12/01/[7]0123456789abcdef');
/** Keys a JavaScript record lists first, in numeric order (a flat list keeps line order). */
const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/;

/** Spans grouped into invocations: 1–12 spans sharing a trace and component, children of the first. */
function invocations(seed: number, count: number): Array<SpanToReport & { baggage: Record<string, string> }> {
  const random = seededRandom(seed);
  const spans = randomSpans(seed, count, { protoKeys: true });
  let head = { ...spans[0], baggage: spans[0].baggage ?? {} };
  let left = 0;
  return spans.map((span, i) => {
    if (left === 0) {
      head = { ...span, component: i % 3 === 0 ? 'lambda_function' : `worker-${i % 2}`, baggage: span.baggage ?? {} };
      left = Math.floor(random() * 12);
      return head;
    }
    left--;
    const baggage = random() < 0.7 ? head.baggage : (span.baggage ?? {});
    return { ...span, traceId: head.traceId, component: head.component, parentSpanId: random() < 0.8 ? head.spanId : span.parentSpanId, baggage };
  });
}

/** The line's spans through both writers: the view's bytes, and writeSpanField's of finishedSpanOf(view). */
function bothWays(line: string): { direct: Buffer; viaFinishedSpan: Buffer; integerKeys: boolean; spans: number } {
  const direct = new ProtoWriter(64);
  const viaFinishedSpan = new ProtoWriter(64);
  let integerKeys = false;
  const result = decodeSpanLineInto(line, SOURCE, {
    span: (view: SpanView) => {
      const span = finishedSpanOf(view);
      if (Object.keys(span.tags).some((key) => INTEGER_LIKE.test(key))) integerKeys = true;
      writeSpanViewField(direct, view);
      writeSpanField(viaFinishedSpan, span);
    },
  });
  if (!result.ok) throw new Error(`line refused: ${result.reason} ${result.detail ?? ''}`);
  return { direct: Buffer.from(direct.view()), viaFinishedSpan: Buffer.from(viaFinishedSpan.view()), integerKeys, spans: result.spans };
}

const report = (fields: Buffer) => spansFromReport(decodeReportRequest(Buffer.concat([writeReportHeader(sender), fields])));

describe('writeSpanViewField: report bytes straight from a decoded line', () => {
  it.each([1, 2, 3, 4, 5, 6])('writes what writeSpanField writes for the view as a FinishedSpan (version 2, seed %i)', (seed) => {
    const lines = encodeSpanLines(invocations(seed, 300));
    let multiSpanLines = 0;
    let compared = 0;
    for (const line of lines) {
      const { direct, viaFinishedSpan, integerKeys, spans } = bothWays(line);
      if (spans > 1) multiSpanLines++;
      // A record puts integer-like keys first; the flat list keeps the line's order: same tags, other order.
      if (integerKeys) expect(report(direct)).toEqual(report(viaFinishedSpan));
      else {
        expect(direct.equals(viaFinishedSpan)).toBe(true);
        compared++;
      }
    }
    expect(multiSpanLines).toBeGreaterThan(5);
    expect(compared).toBeGreaterThan(lines.length / 2);
  });

  it.each([7, 8])('and for version-1 lines (seed %i)', (seed) => {
    for (const span of randomSpans(seed, 150, { protoKeys: true })) {
      const { direct, viaFinishedSpan } = bothWays(encodeSpanLineV1({ ...span, baggage: span.baggage ?? {} }));
      expect(direct.equals(viaFinishedSpan)).toBe(true);
    }
  });

  it('writes a flat tag list in line order with every type, and shared baggage as baggage.<key> tags', () => {
    const line = encodeSpanLines([
      { traceId: '4bf92f3577b34da6', spanId: '00f067aa0ba902b7', operation: 'lambda-execution', component: 'lambda_function', startMicros: 1_796_000_000_000_000, durationMicros: 900, tags: {}, logs: [], baggage: { tenant: 'acme', 'é': 'ü' } },
      { traceId: '4bf92f3577b34da6', spanId: '00f067aa0ba902b8', parentSpanId: '00f067aa0ba902b7', operation: 'child', component: 'lambda_function', startMicros: 1_796_000_000_000_100, durationMicros: 30, tags: { b: 1, a: 'x', z: false, d: 0.5 }, logs: [{ timestampMicros: 1_796_000_000_000_110, fields: { event: 'e' } }], baggage: { tenant: 'acme', 'é': 'ü' } },
    ])[0];
    const { direct } = bothWays(line);
    const child = report(direct).find((span) => span.spanId === '00f067aa0ba902b8');
    expect(child).toMatchObject({
      spanId: '00f067aa0ba902b8',
      parentSpanId: '00f067aa0ba902b7',
      operation: 'child',
      tags: { b: 1, a: 'x', z: false, d: 0.5, 'baggage.tenant': 'acme', 'baggage.é': 'ü' },
      logs: [{ timestampMicros: 1_796_000_000_000_110, fields: { event: 'e' } }],
    });
  });

  it('an entry naming a key twice (never written by the encoder) gets one tag, the last value', () => {
    const line =
      '{"otspan":2,"trace":"4bf92f3577b34da6","id":"00f067aa0ba902b7","op":"lambda-execution","t":1796000000000000,"dur":900,"n":2,' +
      '"keys":["child","k"],"spans":[["00f067aa0ba902b8",0,0,10,20,[1,"first",1,"last"]]]}';
    const { direct, viaFinishedSpan } = bothWays(line);
    expect(direct.equals(viaFinishedSpan)).toBe(true);
    expect(report(direct).find((span) => span.spanId === '00f067aa0ba902b8')?.tags).toEqual({ k: 'last' });
  });
});
