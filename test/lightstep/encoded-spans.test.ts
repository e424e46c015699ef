import { COMPONENT_TAG, decodeReportRequest, EncodedSpans, InvalidIdError, spansFromReport, writeReportHeader, writeReportRequest } from '../../src/lightstep/wire';
import { randomSpans } from './random-spans';

const sender = { reporterId: '0000000000000abc', tags: [[COMPONENT_TAG, 'random']] as Array<[string, string]>, accessToken: 'cut-token' };
const header = writeReportHeader(sender);

function filled(count: number, seed = 1): { spans: ReturnType<typeof randomSpans>; encoded: EncodedSpans } {
  const spans = randomSpans(seed, count);
  const encoded = new EncodedSpans(64); // small, so it grows many times
  for (const span of spans) encoded.add(span);
  return { spans, encoded };
}

describe('EncodedSpans: span fields kept as bytes, cut into reports', () => {
  it('cuts by span count, in order, every span once', () => {
    const { spans, encoded } = filled(10);
    const ranges = encoded.cut(header.length, { maxSpans: 3, maxBytes: Infinity });
    expect(ranges).toEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 9 },
      { from: 9, to: 10 },
    ]);
    const ids = ranges.flatMap((range) => spansFromReport(decodeReportRequest(Buffer.concat(encoded.reportChunks(header, range)))).map((s) => s.spanId));
    expect(ids).toEqual(spans.map((s) => s.spanId));
  });

  it('cuts by bytes: each report within the limit, header included; a span larger than the limit goes alone', () => {
    const { spans, encoded } = filled(400, 2);
    const maxBytes = 8 * 1024;
    const ranges = encoded.cut(header.length, { maxSpans: 4096, maxBytes });
    expect(ranges.length).toBeGreaterThan(5);
    let next = 0;
    for (const range of ranges) {
      expect(range.from).toBe(next);
      expect(range.to).toBeGreaterThan(range.from); // never an empty report
      next = range.to;
      const report = Buffer.concat(encoded.reportChunks(header, range));
      // The whole report is what collector_pb serializes for these spans.
      expect(report.equals(writeReportRequest(sender, spans.slice(range.from, range.to)))).toBe(true);
      if (range.to - range.from > 1) expect(report.length).toBeLessThanOrEqual(maxBytes);
      else if (report.length > maxBytes) expect(writeReportRequest(sender, spans.slice(range.from, range.to)).length).toBeGreaterThan(maxBytes);
      // Full: the next span would not have fit.
      if (range.to < spans.length) expect(writeReportRequest(sender, spans.slice(range.from, range.to + 1)).length).toBeGreaterThan(maxBytes);
    }
    expect(next).toBe(spans.length);
    expect(ranges.some((range) => range.to - range.from === 1 && Buffer.concat(encoded.reportChunks(header, range)).length > maxBytes)).toBe(true);
  });

  it('sends a first span larger than the limit alone too', () => {
    const { spans, encoded } = filled(3, 4);
    const ranges = encoded.cut(header.length, { maxSpans: 10, maxBytes: 1 });
    expect(ranges).toEqual(spans.map((_, i) => ({ from: i, to: i + 1 })));
  });

  it('has no report for no spans', () => {
    expect(new EncodedSpans().cut(header.length, { maxSpans: 10, maxBytes: 1000 })).toEqual([]);
  });

  it('takes back a refused span whole, and rolls back to a count', () => {
    const { spans, encoded } = filled(5, 3);
    const bytes = encoded.bytes;
    expect(() => encoded.add({ ...spans[0], spanId: '0000000000000000' })).toThrow(InvalidIdError);
    expect([encoded.count, encoded.bytes]).toEqual([5, bytes]);
    encoded.rollback(2);
    expect(encoded.count).toBe(2);
    encoded.add(spans[4]);
    const [range] = encoded.cut(header.length, { maxSpans: 10, maxBytes: Infinity });
    expect(Buffer.concat(encoded.reportChunks(header, range)).equals(writeReportRequest(sender, [spans[0], spans[1], spans[4]]))).toBe(true);
    encoded.rollback(0);
    expect([encoded.count, encoded.bytes]).toEqual([0, 0]);
  });
});
