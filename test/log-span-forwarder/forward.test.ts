import { forwardLogEvents } from '../../src/log-span-forwarder/forward';
import { InMemoryExporter, type LineSink } from '../../src/log-span-forwarder/exporter';
import { decodeSpanLine, finishedSpanOf, SKIP_REASONS, type FinishedSpan, type SpanView } from '../../src/span-line';
import { GENUINE_SPANS, MIXED_LINES, MIXED_LOG_GROUP, MIXED_LOG_STREAM, mixedLogEvents } from '../../events/build-subscription-mixed';

const SOURCE = { owner: '123456789012', logGroup: MIXED_LOG_GROUP, logStream: MIXED_LOG_STREAM };

describe('forwardLogEvents', () => {
  it('forwards exactly the genuine span lines of a mixed stream and counts the rest by reason', () => {
    const exporter = new InMemoryExporter();
    const summary = forwardLogEvents(mixedLogEvents(), exporter, SOURCE);

    expect(exporter.exported).toEqual(GENUINE_SPANS.map((span) => ({
      ...span,
      // the encoder cut the 300-char tag of billing.charge
      tags: span.component === 'billing-worker' ? { ...span.tags, 'payment.note': 'x'.repeat(256) + '…' } : span.tags,
    })));
    const expected: Record<string, number> = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0]));
    for (const line of MIXED_LINES) if (line.outcome !== 'span') expected[line.outcome]++;
    expect(summary).toEqual({ received: MIXED_LINES.length, lines: 2, forwarded: 3, truncated: 1, skipped: expected, rejected: 0 });
    // Every reason is exercised by the sample event.
    for (const reason of SKIP_REASONS) expect(summary.skipped[reason]).toBeGreaterThan(0);
  });

  it('keeps received = span lines + skipped, and a bad line never drops its neighbours', () => {
    const events = mixedLogEvents();
    const exporter = new InMemoryExporter();
    const summary = forwardLogEvents([...events, ...events, { id: 'x', timestamp: 0, message: '' }], exporter, SOURCE);
    const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
    expect(summary.received).toBe(events.length * 2 + 1);
    expect(summary.lines + skipped).toBe(summary.received);
    expect(summary.lines).toBe(4);
    expect(exporter.exported).toHaveLength(6);
  });

  it('does not call the exporter when nothing is a span', () => {
    const exporter = new InMemoryExporter();
    const exportSpy = jest.spyOn(exporter, 'export');
    const summary = forwardLogEvents([{ id: '1', timestamp: 1, message: 'START RequestId: x' }], exporter);
    expect(summary.forwarded).toBe(0);
    expect(exportSpy).not.toHaveBeenCalled();
  });

  it('without the log group and stream, the invocation span lacks only what they tell', () => {
    const exporter = new InMemoryExporter();
    forwardLogEvents(mixedLogEvents(), exporter);
    const { 'faas.name': _name, 'faas.version': _version, ...rest } = GENUINE_SPANS[1].tags;
    expect(exporter.exported[1].tags).toEqual(rest);
  });

  it('agrees with decodeSpanLine on every sample line', () => {
    for (const line of MIXED_LINES) {
      const result = decodeSpanLine(line.message);
      expect([line.what, result.ok ? 'span' : result.reason]).toEqual([line.what, line.outcome]);
    }
  });
});

/** An exporter that takes lines through a LineSink (as LightStepExporter does), keeping FinishedSpans of what it took. */
class SinkExporter extends InMemoryExporter {
  readonly taken: FinishedSpan[] = [];
  lineEnds: boolean[] = [];
  /** Refuse the lines holding a span of this id (as LightStep's sink refuses an id the wire cannot carry). */
  refuseSpanId: string | undefined;
  throwOnSpanId: string | undefined;
  private line: FinishedSpan[] = [];
  private refused = false;

  lineSink(): LineSink {
    return {
      beginLine: () => {
        this.line = [];
        this.refused = false;
      },
      span: (view: SpanView) => {
        if (view.spanId === this.throwOnSpanId) throw new Error('sink broke');
        if (view.spanId === this.refuseSpanId) this.refused = true;
        this.line.push(finishedSpanOf(view));
      },
      endLine: (completed: boolean) => {
        this.lineEnds.push(completed);
        if (!completed || this.refused) return 'refused';
        this.taken.push(...this.line);
        return undefined;
      },
    };
  }
}

describe('forwardLogEvents into an exporter’s LineSink (no FinishedSpan per span)', () => {
  it('gives the sink the spans and the summary that export() gets', () => {
    const events = [...mixedLogEvents(), ...mixedLogEvents()];
    const plain = new InMemoryExporter();
    const expected = forwardLogEvents(events, plain, SOURCE);
    const sinking = new SinkExporter();
    const exportSpy = jest.spyOn(sinking, 'export');
    expect(forwardLogEvents(events, sinking, SOURCE)).toEqual(expected);
    expect(sinking.taken).toEqual(plain.exported);
    expect(exportSpy).not.toHaveBeenCalled();
    expect(sinking.lineEnds).toEqual(Array.from({ length: expected.lines }, () => true)); // ended: the lines the decoder took
  });

  it('a line the sink refuses is a bad_field; its neighbours go on', () => {
    const events = mixedLogEvents();
    const plain = new InMemoryExporter();
    const expected = forwardLogEvents(events, plain, SOURCE);
    const sinking = new SinkExporter();
    sinking.refuseSpanId = plain.exported[0].spanId;
    const refusedLine = plain.exported.filter((span) => span.traceId === plain.exported[0].traceId && span.component === plain.exported[0].component);
    const summary = forwardLogEvents(events, sinking, SOURCE);
    expect(summary.lines).toBe(expected.lines - 1);
    expect(summary.skipped.bad_field).toBe(expected.skipped.bad_field + 1);
    expect(summary.forwarded).toBe(expected.forwarded - refusedLine.length);
    expect(sinking.taken).toEqual(plain.exported.filter((span) => !refusedLine.includes(span)));
  });

  it('a sink that throws gets its line ended as not completed, and the error goes up', () => {
    const plain = new InMemoryExporter();
    forwardLogEvents(mixedLogEvents(), plain, SOURCE);
    const sinking = new SinkExporter();
    sinking.throwOnSpanId = plain.exported[0].spanId;
    expect(() => forwardLogEvents(mixedLogEvents(), sinking, SOURCE)).toThrow('sink broke');
    expect(sinking.lineEnds[sinking.lineEnds.length - 1]).toBe(false);
  });
});
