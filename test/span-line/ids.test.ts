import fc from 'fast-check';
import { isSpanId, isTraceId, SPAN_ID_PATTERN, TRACE_ID_PATTERN } from '../../src/span-line/ids';

const spanIdPattern = new RegExp(SPAN_ID_PATTERN);
const traceIdPattern = new RegExp(TRACE_ID_PATTERN);
const hexDigit = fc.constantFrom(...'0000000123456789abcdef');
/** Ids of 15–17 and 31–33 characters, often zeros, with at times one character swapped for a neighbour of the hex ranges. */
const nearId = fc
  .tuple(
    fc.constantFrom(15, 16, 16, 16, 17, 31, 32, 32, 32, 33),
    fc.array(hexDigit, { minLength: 33, maxLength: 33 }),
    fc.option(fc.tuple(fc.nat(32), fc.constantFrom(...'/:@AFG`g \u00e0')), { nil: undefined }),
  )
  .map(([length, digits, swap]) => {
    const chars = digits.slice(0, length);
    if (swap !== undefined && swap[0] < length) chars[swap[0]] = swap[1];
    return chars.join('');
  });

describe('the id checks: the patterns, as loops', () => {
  it('isSpanId and isTraceId say what SPAN_ID_PATTERN and TRACE_ID_PATTERN say', () => {
    fc.assert(
      fc.property(fc.oneof(nearId, fc.string(), fc.constant('0'.repeat(16)), fc.constant('f'.repeat(16) + '0'.repeat(16))), (id) => {
        expect(isSpanId(id)).toBe(spanIdPattern.test(id));
        expect(isTraceId(id)).toBe(traceIdPattern.test(id));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['00f067aa0ba902b7', true, true],
    ['0000000000000000', false, false],
    ['0000000000000001', true, true],
    ['00F067AA0BA902B7', false, false],
    ['4bf92f3577b34da6a3ce929d0e0e4736', false, true],
    ['4bf92f3577b34da60000000000000000', false, false],
    ['00000000000000000000000000000001', false, true],
    ['00f067aa0ba902b', false, false],
    ['00f067aa0ba902b7 ', false, false],
  ])('%s: span id %s, trace id %s', (id, span, trace) => {
    expect(isSpanId(id)).toBe(span);
    expect(isTraceId(id)).toBe(trace);
  });
});
