import { LogTextReader } from '../../src/cli/log-text-reader';
import { decodeSpanLine } from '../../src/span-line';
import { pythonIndented, samEvent, spanLine } from './span-lines';

const STREAM = '2026/11/25/[$LATEST]f897b8fa94329363';
const line = spanLine({ spanId: '00f067aa0ba902b7', parentSpanId: 'a2fb4a1d1a96d312', tags: { 'faas.coldstart': true, note: 'x'.repeat(300) } });

/** Feeds lines one at a time; records after which input line each message came out. */
function feed(lines: string[]): Array<{ after: number; message: string }> {
  const reader = new LogTextReader();
  const out: Array<{ after: number; message: string }> = [];
  lines.forEach((l, i) => reader.push(l).forEach((message) => out.push({ after: i, message })));
  reader.end().forEach((message) => out.push({ after: lines.length, message }));
  return out;
}

describe('LogTextReader', () => {
  it('puts a span line that sam re-indented (2 spaces, \\u escapes) back together byte for byte, as soon as it closes', () => {
    expect(line).toContain('…'); // the encoder cut the long tag: a non-ASCII mark Python escapes
    const event = samEvent(STREAM, '2026-11-25T04:31:56.123000', line);
    const input = [`${STREAM} 2026-11-25T04:31:56.100000 START RequestId: 8f5a Version: $LATEST`, ...event, `${STREAM} 2026-11-25T04:31:56 END RequestId: 8f5a`];
    const out = feed(input);
    expect(out.map((o) => o.message)).toEqual(['START RequestId: 8f5a Version: $LATEST', line, 'END RequestId: 8f5a']);
    expect(out[1].after).toBe(event.length); // streamed at its closing brace, not at the next event
    expect(decodeSpanLine(out[1].message).ok).toBe(true);
  });

  it("reads aws logs tail's detailed, short and json formats", () => {
    const detailed = [`2026-11-25T04:31:56.123000+00:00 ${STREAM} ${line}`, `2026-11-25T04:31:56.130000+00:00 ${STREAM} END RequestId: 8f5a`];
    expect(feed(detailed).map((o) => o.message)).toEqual([line, 'END RequestId: 8f5a']);
    expect(feed([`2026-11-25T04:31:56 ${line}`]).map((o) => o.message)).toEqual([line]);
    // --format json: the header alone, a trailing space, then the JSON indented by 4 on the next lines.
    const json = [`2026-11-25T04:31:56.123000+00:00 ${STREAM} `, ...pythonIndented(line, 4), `2026-11-25T04:31:57+00:00 ${STREAM} REPORT RequestId: 8f5a`];
    expect(feed(json).map((o) => o.message)).toEqual([line, 'REPORT RequestId: 8f5a']);
  });

  it('reads raw span lines, sam --output json events, and ignores colour codes and blank lines', () => {
    const other = spanLine({ spanId: '00f067aa0ba902b8' });
    const samJson = JSON.stringify({ logStreamName: STREAM, timestamp: 1764045116123, message: other, ingestionTime: 1764045116200, eventId: '3791' });
    const coloured = `\x1b[36m${STREAM}\x1b[0m \x1b[33m2026-11-25T04:31:56.123000\x1b[0m ${line}`;
    expect(feed([line, '', samJson, coloured, 'plain text\r']).map((o) => o.message)).toEqual([line, other, line, 'plain text']);
  });

  it('does not let a span line cut short swallow the lines after it', () => {
    const cut = line.slice(0, 120);
    const out = feed([cut, line, `${STREAM} 2026-11-25T04:31:56.123000 ${cut}`, `${STREAM} 2026-11-25T04:31:57.000000 END`]);
    expect(out.map((o) => o.message)).toEqual([cut, line, cut, 'END']);
    expect(decodeSpanLine(out[0].message)).toMatchObject({ ok: false, reason: 'truncated' });
  });
});
