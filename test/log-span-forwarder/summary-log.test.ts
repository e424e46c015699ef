import * as fc from 'fast-check';
import { emptySummary } from '../../src/log-span-forwarder/forward';
import { buildSummaryLine, METRIC_NAMESPACE } from '../../src/log-span-forwarder/summary-log';
import { decodeSpanLine, matchesSpanLineFilter, SKIP_REASONS } from '../../src/span-line';

function sampleSummary() {
  const summary = emptySummary();
  summary.received = 17;
  summary.lines = 3;
  summary.forwarded = 12; // one invocation line of 10 spans and two lines of one
  summary.truncated = 1;
  summary.skipped.not_json = 6;
  summary.skipped.not_span = 5;
  summary.skipped.truncated = 1;
  summary.skipped.bad_field = 1;
  summary.skipped.unsupported_version = 1;
  return summary;
}

describe('buildSummaryLine', () => {
  it('is valid compact JSON for any counts and any source or rejection text (the line is written as text)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.string(), fc.option(fc.string()), fc.boolean(), (received, lines, group, message, failed) => {
        const summary = emptySummary();
        summary.received = received;
        summary.lines = lines;
        summary.skipped.not_json = received;
        const written = buildSummaryLine(summary, { sourceLogGroup: group, flushFailed: failed, rejectionMessage: message ?? undefined, timestamp: 1 });
        const parsed = JSON.parse(written);
        expect(JSON.stringify(parsed)).toBe(written); // compact, nothing JSON would write differently
        expect(parsed).toMatchObject({ SourceLogGroup: group, LinesReceived: received, SpanLines: lines, Skipped_not_json: received, FlushFailed: failed ? 1 : 0 });
        expect(parsed.RejectionMessage).toBe(message ? message : undefined);
      }),
    );
  });

  const line = buildSummaryLine(sampleSummary(), { sourceLogGroup: '/aws/lambda/fn', flushFailed: false, timestamp: 1715681730000 });
  const record = JSON.parse(line);

  it('is one Embedded Metric Format line whose every declared metric has a value', () => {
    expect(line).not.toContain('\n');
    const [directive] = record._aws.CloudWatchMetrics;
    expect(record._aws.Timestamp).toBe(1715681730000);
    expect(directive.Namespace).toBe(METRIC_NAMESPACE);
    for (const dimensions of directive.Dimensions) for (const name of dimensions) expect(typeof record[name]).toBe('string');
    for (const metric of directive.Metrics) {
      expect(metric.Unit).toBe('Count');
      expect(typeof record[metric.Name]).toBe('number');
    }
  });

  it('carries the counts, skipped by reason', () => {
    expect(record).toMatchObject({
      SourceLogGroup: '/aws/lambda/fn',
      LinesReceived: 17,
      SpanLines: 3,
      SpansAttempted: 12,
      SpansForwarded: 12,
      SpansTruncated: 1,
      LinesSkipped: 14,
      Skipped_not_json: 6,
      Skipped_not_span: 5,
      Skipped_too_large: 0,
      FlushFailed: 0,
    });
    expect(SKIP_REASONS.reduce((sum, r) => sum + record[`Skipped_${r}`], 0)).toBe(14);
  });

  it('never looks like a span line (no feedback loop through the forwarder)', () => {
    expect(line).not.toContain('otspan');
    expect(decodeSpanLine(line)).toMatchObject({ ok: false, reason: 'not_span' });
    expect(matchesSpanLineFilter(line)).toBe(false);
  });

  it('flags a failed flush, and counts none of its spans as forwarded (they were attempted only)', () => {
    const failed = JSON.parse(buildSummaryLine(sampleSummary(), { sourceLogGroup: 'g', flushFailed: true }));
    expect(failed).toMatchObject({ FlushFailed: 1, SpansForwarded: 0, SpansAttempted: 12, LinesReceived: 17, LinesSkipped: 14 });
  });
});
