import { palette } from '../../src/cli/colors';
import { bar, renderTrace, traceJson } from '../../src/cli/render-trace';
import { TraceAssembler, type TailSpan, type TraceGroup } from '../../src/cli/trace-assembler';
import { decodeSpanLine } from '../../src/span-line';
import { spanLine } from './span-lines';

const T0 = 1764045116123456;

/** Spans through the real encoder and decoder, as tail gets them. */
function span(spanId: string, parentSpanId: string | undefined, operation: string, start: number, duration: number, extra: { tags?: Record<string, unknown>; traceId?: string } = {}): TailSpan {
  const decoded = decodeSpanLine(spanLine({ spanId, parentSpanId, operation, startMicros: T0 + start, durationMicros: duration, tags: extra.tags ?? {}, traceId: extra.traceId }));
  if (!decoded.ok) throw new Error(decoded.reason);
  return { span: decoded.spans[0], truncated: decoded.truncated.length > 0 };
}

function assemble(spans: TailSpan[], options: { waitMs?: number; now?: () => number } = {}): { groups: TraceGroup[]; assembler: TraceAssembler } {
  const groups: TraceGroup[] = [];
  const assembler = new TraceAssembler((g) => groups.push(g), { waitMs: options.waitMs ?? 2000, now: options.now });
  for (const s of spans) assembler.add(s);
  return { groups, assembler };
}

const plain = palette(false);
const A = '00000000000000a1';
const B = '00000000000000b1';
const C = '00000000000000c1';
const D = '00000000000000d1';

describe('TraceAssembler', () => {
  it('hands a trace over when its root arrives (children come first: spans are written when they finish)', () => {
    const { groups } = assemble([span(B, A, 'compute', 100, 1000), span(C, B, 'db.query', 200, 300), span(A, undefined, 'router', 0, 2500)]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ reason: 'root', late: false });
    expect(groups[0].spans.map((s) => s.span.operation)).toEqual(['compute', 'db.query', 'router']);
  });

  it('hands a rootless trace over after the quiet period, not before; each trace on its own clock', () => {
    let now = 0;
    const { groups, assembler } = assemble([span(B, A, 'lambda-execution', 0, 10)], { waitMs: 2000, now: () => now });
    now = 1000;
    assembler.add(span(C, B, 'compute', 1, 5)); // same trace: restarts its quiet period
    assembler.add(span(D, undefined, 'other', 0, 5, { traceId: '5b8aa5a2d2c872e8' })); // another trace, with its root
    expect(groups.map((g) => g.traceId)).toEqual(['5b8aa5a2d2c872e8']);
    now = 2999;
    assembler.tick();
    expect(groups).toHaveLength(1);
    now = 3000;
    assembler.tick();
    expect(groups).toHaveLength(2);
    expect(groups[1]).toMatchObject({ traceId: '4bf92f3577b34da6', reason: 'quiet' });
    expect(groups[1].spans).toHaveLength(2);
  });

  it('hands spans arriving after their trace over as late, and drops duplicates', () => {
    const { groups, assembler } = assemble([span(B, A, 'compute', 100, 1000), span(A, undefined, 'router', 0, 2500)]);
    assembler.add(span(B, A, 'compute', 100, 1000)); // redelivered
    assembler.add(span(C, B, 'late-child', 300, 10));
    assembler.flush();
    expect(assembler.duplicates).toBe(1);
    expect(groups).toHaveLength(2);
    expect(groups[1]).toMatchObject({ late: true, reason: 'end' });
    expect(groups[1].spans.map((s) => s.span.spanId)).toEqual([C]);
    expect(groups[1].shownBefore.get(B)).toBe('compute');
  });
});

describe('a trace as a tree', () => {
  it('indents children under their parent in start order, with markers for ERROR, truncated, root and a missing parent', () => {
    const { groups: rest, assembler } = assemble([
      span(C, B, 'db.query', 1500, 300, { tags: { note: 'x'.repeat(300) } }),
      span(D, B, 'compute', 100, 1200, { tags: { error: true } }),
      span(B, 'a2fb4a1d1a96d312', 'lambda-execution', 0, 2500),
    ]);
    assembler.flush();
    const lines = renderTrace(rest[0], { palette: plain, tags: false }).split('\n');
    expect(lines[0]).toBe('trace 4bf92f3577b34da6 · 2025-11-25T04:31:56.123Z · 3 spans · 2.50 ms · 1 error');
    expect(lines[1]).toMatch(/^ {2}lambda-execution +lambda_function +2\.50 ms +\[█{24}\] +↑ parent a2fb4a1d1a96d312 not in these logs$/);
    expect(lines[2]).toMatch(/^ {2}├─ compute +lambda_function +1\.20 ms +\[█{12}·{12}\] +ERROR$/);
    expect(lines[3]).toMatch(/^ {2}└─ db\.query +lambda_function +300 µs +\[·{14}█{3}·{7}\] +truncated$/);
    expect(lines.slice(4)).toEqual(['', '']);
    const root = renderTrace(assemble([span(A, undefined, 'router', 0, 900)]).groups[0], { palette: plain, tags: false });
    expect(root).toMatch(/\n {2}router +lambda_function +900 µs +\[█{24}\] +root\n/);
  });

  it('nests deeper levels with continuation lines, and marks late spans and the parent shown above', () => {
    const { groups, assembler } = assemble([
      span(D, C, 'leaf', 30, 10),
      span(C, B, 'mid', 20, 40),
      span('00000000000000e1', A, 'sibling', 70, 20),
      span(B, A, 'first', 10, 60),
      span(A, undefined, 'root-op', 0, 100),
    ]);
    const text = renderTrace(groups[0], { palette: plain, tags: false });
    const names = text.split('\n').slice(1, 6).map((l) => l.slice(2).split(/ +lambda_function/)[0]);
    expect(names).toEqual(['root-op', '├─ first', '│  └─ mid', '│     └─ leaf', '└─ sibling']);
    assembler.add(span('00000000000000f1', C, 'late-one', 50, 5));
    assembler.flush();
    const late = renderTrace(groups[1], { palette: plain, tags: false });
    expect(late).toContain('late: 1 more span after the trace was shown');
    expect(late).toMatch(/late-one .* late +↑ parent mid 00000000000000c1 shown above/);
  });

  it('shows tags with --tags, and --json gives one object per trace in tree order', () => {
    const { groups } = assemble([span(B, A, 'child', 10, 5, { tags: { 'http.status_code': 500, error: true } }), span(A, undefined, 'root-op', 0, 100)]);
    expect(renderTrace(groups[0], { palette: plain, tags: true })).toMatch(/child .*ERROR +http\.status_code=500 error=true/);
    const json = traceJson(groups[0]);
    expect(json.endsWith('\n') && !json.slice(0, -1).includes('\n')).toBe(true);
    const parsed = JSON.parse(json);
    expect(parsed).toMatchObject({ traceId: '4bf92f3577b34da6', late: false });
    expect(parsed.spans.map((s: { operation: string; depth: number; root: boolean }) => [s.operation, s.depth, s.root])).toEqual([
      ['root-op', 0, true],
      ['child', 1, false],
    ]);
    expect(parsed.spans[1]).toMatchObject({ spanId: B, parentSpanId: A, durationMicros: 5, truncated: false, parentMissing: false, tags: { error: true } });
  });

  it('colours only with a colour palette', () => {
    const { groups } = assemble([span(B, A, 'child', 10, 5, { tags: { error: true } }), span(A, undefined, 'root-op', 0, 100)]);
    expect(renderTrace(groups[0], { palette: plain, tags: true })).not.toMatch(/\x1b\[/);
    const coloured = renderTrace(groups[0], { palette: palette(true), tags: false });
    expect(coloured).toContain('\x1b[31mERROR\x1b[39m');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(renderTrace(groups[0], { palette: plain, tags: false }));
  });

  it('places the duration bar within the trace window', () => {
    const id = (s: string) => s;
    expect(bar(0, 100, 100, 10, id, id)).toBe('[██████████]');
    expect(bar(50, 10, 100, 10, id, id)).toBe('[·····█····]');
    expect(bar(99, 0, 100, 10, id, id)).toBe('[·········█]');
  });
});
