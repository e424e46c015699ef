// Found by the oversized drill: a stdout chunk that ended inside a multi-byte character turned it
// into U+FFFD on both sides of the cut, so a span line's emoji tag arrived changed.
import { LineSplitter } from '../../src/local/log-lines';

it('LineSplitter keeps a multi-byte character that a chunk boundary splits', () => {
  const line = `{"tag":"😀é€ and more 😀"}\n`;
  const bytes = Buffer.from(line + line, 'utf8');
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  for (let i = 0; i < bytes.length; i++) splitter.push(bytes.subarray(i, i + 1)); // every possible cut
  splitter.end();
  expect(lines).toEqual([line, line]);
});

it('a last line without a newline still ends whole', () => {
  const bytes = Buffer.from('tail 😀', 'utf8');
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  splitter.push(bytes.subarray(0, bytes.length - 2));
  splitter.push(bytes.subarray(bytes.length - 2));
  splitter.end();
  expect(lines).toEqual(['tail 😀']);
});
