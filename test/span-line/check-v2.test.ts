import fc from 'fast-check';
import { checkSpanLineV2 } from '../../src/span-line/check-v2';
import { encodeSpanLines } from '../../src/span-line/encode';
import { DEFAULT_COMPONENT, LIMITS } from '../../src/span-line/format';
import { spanLineV2Validator } from '../../src/span-line/schema-v2';
import type { FinishedSpan } from '../../src/span-line';

// The hand-written version-2 check against its definition: ajv's compiled schema-v2 gives the
// verdict, on lines the encoder writes and on those lines with any one part replaced, removed or
// added. Only the verdict is held equal (the detail texts differ).

const ajv = spanLineV2Validator();
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const BASE = 1764045116123456;

/** Valid parsed lines as the encoder writes them: a head with children, tags, logs, baggage, cut values. */
const lineArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    children: fc.integer({ min: 1, max: 6 }),
    tags: fc.dictionary(fc.constantFrom('k', 'work.index', 'error', 'x'), fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean()), { maxKeys: 3 }),
    log: fc.boolean(),
    ownBaggage: fc.boolean(),
    long: fc.boolean(),
    http: fc.boolean(),
  })
  .map((shape) => {
    const id = (n: number) => (n + 1).toString(16).padStart(16, '0');
    const head: FinishedSpan = {
      traceId: TRACE,
      spanId: id(0),
      parentSpanId: 'a2fb4a1d1a96d312',
      operation: 'lambda-execution',
      component: shape.ownBaggage ? 'other-component' : DEFAULT_COMPONENT,
      startMicros: BASE,
      durationMicros: 900,
      tags: {
        'span.kind': 'server',
        'aws.request_id': 'req-1',
        ...(shape.http ? { 'http.method': 'GET', 'http.path': '/p', 'http.status_code': 200 } : {}),
        ...(shape.long ? { long: 'y'.repeat(LIMITS.maxValueChars + 50) } : {}),
      },
      logs: shape.log ? [{ timestampMicros: BASE + 5, fields: { event: 'e', n: 1 } }] : [],
      baggage: { tenant: 'acme' },
    };
    const children: FinishedSpan[] = Array.from({ length: shape.children }, (_, i) => ({
      traceId: TRACE,
      spanId: id(i + 1),
      parentSpanId: i % 3 === 2 ? id(i) : id(0),
      operation: i % 2 === 0 ? 'child-work' : 'other',
      component: head.component,
      startMicros: BASE + 10 + i,
      durationMicros: 3 + i,
      tags: shape.tags,
      logs: shape.log && i === 0 ? [{ timestampMicros: BASE + 11, fields: { event: 'c' } }] : [],
      baggage: shape.ownBaggage && i === 1 ? { step: 's' } : head.baggage,
    }));
    const [line] = encodeSpanLines([...children, head], { levelled: shape.long });
    return JSON.parse(line) as Record<string, unknown>;
  });

/** Values that sit on the edges of what each field takes. */
const EDGE_VALUES: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1,
    2,
    1.5,
    -0.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER - 2,
    '',
    'x',
    '00f067aa0ba902b7',
    '00F067AA0BA902B7',
    '0000000000000000',
    '00f067aa0ba902b',
    '00f067aa0ba902b7 ',
    TRACE,
    `${TRACE.slice(0, 16)}0000000000000000`,
    `0000000000000000${TRACE.slice(16)}`,
    'y'.repeat(LIMITS.maxValueChars + 1),
    'y'.repeat(LIMITS.maxValueChars + 2),
    '😀'.repeat(LIMITS.maxValueChars + 1), // twice the UTF-16 units, as many code points as the limit allows
    '😀'.repeat(LIMITS.maxValueChars + 2),
    [],
    {},
    ['GET', '/p'],
    ['GET', '/p', 200],
    ['GET', '/p', '200'],
    ['GET', '/p', 200, 'x'],
    // What JSON.parse makes of 1e400: ajv's strict numbers refuse it.
    Infinity,
    -Infinity,
    ['GET', '/p', Infinity],
    { a: Infinity },
    [{ t: 1, f: { a: -Infinity } }],
    [Infinity],
    ['00f067aa0ba902b7', 0, 0, 1, 1, [0, Infinity]],
    [-1],
    [0.5],
    [0, 1],
    ['y'.repeat(LIMITS.maxValueChars + 2)],
    [null],
    ['GET'],
    [{ t: 1, f: {} }],
    [{ t: 1 }],
    [{ t: 1, f: { a: null } }],
    [{ t: 1, f: {}, x: 1 }],
    { a: 'b' },
    { a: 1 },
    { a: null },
    { a: [] },
    ['00f067aa0ba902b7', 0, 0, 1, 1],
    ['00f067aa0ba902b7', null, 0, -5, 1, [0, 'v'], [], { k: 'v' }],
    ['00f067aa0ba902b7', 0, 0, 1],
    ['00f067aa0ba902b7', '0000000000000000', 0, 1, 1],
    ['00f067aa0ba902b7', 0, 0, 1, 1, [0, null]],
    ['00f067aa0ba902b7', 0, 0, 1, 1, [], [], { k: 1 }],
    ['00f067aa0ba902b7', 0, 0, 1, 1, [], [], {}, 'ninth'],
];
const trickyValue: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.jsonValue({ maxDepth: 2 }));

/** Every path into a parsed line (object keys and array indexes). */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(value)) value.forEach((item, i) => out.push([...prefix, i], ...paths(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push([...prefix, key], ...paths(item, [...prefix, key]));
  return out;
}

type Edit = { kind: 'replace' | 'remove' | 'add'; pick: number; key: string; value: unknown };

function edited(line: Record<string, unknown>, edit: Edit): unknown {
  const copy = structuredClone(line);
  const all = paths(copy);
  if (edit.kind === 'add' || all.length === 0) {
    // A field the line may or may not know, on the line or on a nested object.
    const objects = [[], ...all].filter((p) => {
      const target = p.reduce<unknown>((at, step) => (at as Record<string | number, unknown>)[step], copy);
      return target !== null && typeof target === 'object' && !Array.isArray(target);
    });
    const where = objects[edit.pick % objects.length].reduce<unknown>((at, step) => (at as Record<string | number, unknown>)[step], copy) as Record<string, unknown>;
    Object.defineProperty(where, edit.key, { value: edit.value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  const path = all[edit.pick % all.length];
  const parent = path.slice(0, -1).reduce<unknown>((at, step) => (at as Record<string | number, unknown>)[step], copy) as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (edit.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = edit.value;
  return copy;
}

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<Edit['kind']>('replace', 'replace', 'replace', 'remove', 'add'),
  pick: fc.nat(),
  key: fc.constantFrom('level', 'timestamp', 'parent', 'n', 'comp', 'req', 'http', 'tags', 'logs', 'bag', 'keys', 'spans', 'trunc', 'extra', 't', 'f', '__proto__'),
  value: trickyValue,
});

const verdicts = (line: unknown) => ({ ajv: ajv(line), ours: checkSpanLineV2(line) === undefined });

describe('checkSpanLineV2', () => {
  it('accepts every line the encoder writes, as ajv does', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        expect(verdicts(line)).toEqual({ ajv: true, ours: true });
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with ajv on those lines with one part replaced, removed or added (property)', () => {
    let refused = 0;
    fc.assert(
      fc.property(lineArb, fc.array(editArb, { minLength: 1, maxLength: 3 }), (line, edits) => {
        const broken = edits.reduce<unknown>((at, edit) => edited(at as Record<string, unknown>, edit), line);
        const { ajv: valid, ours } = verdicts(broken);
        if (!valid) refused++;
        expect(ours).toBe(valid);
      }),
      { numRuns: 4000 },
    );
    expect(refused).toBeGreaterThan(1000); // the edits do break lines, not only reshuffle valid ones
  });

  it('agrees with ajv on every edge value in every field of the line, of an entry and of a log', () => {
    const lines = fc.sample(lineArb.filter((line) => Array.isArray(line.spans) && Array.isArray(line.logs)), { numRuns: 4, seed: 7 });
    const fields = ['level', 'timestamp', 'otspan', 'trace', 'id', 'parent', 'op', 't', 'dur', 'n', 'comp', 'req', 'http', 'tags', 'logs', 'bag', 'keys', 'spans', 'trunc', 'unknown'];
    let checked = 0;
    for (const line of lines) {
      for (const value of EDGE_VALUES) {
        const variants: unknown[] = [];
        for (const field of fields) variants.push({ ...line, [field]: value });
        const entries = line.spans as unknown[][];
        for (let item = 0; item < 9; item++) variants.push({ ...line, spans: [entries[0].slice(0, item).concat([value], entries[0].slice(item + 1)), ...entries.slice(1)] });
        for (const field of ['t', 'f', 'x']) variants.push({ ...line, logs: [{ ...(line.logs as object[])[0], [field]: value }] });
        for (const variant of variants) {
          expect([checked, verdicts(variant).ours]).toEqual([checked, verdicts(variant).ajv]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it('refuses a line whose number overflowed to Infinity in JSON.parse, as ajv does', () => {
    const line = (value: string) => JSON.parse(`{"otspan":2,"trace":"${TRACE}","id":"00f067aa0ba902b7","op":"x","t":1,"dur":1,${value}}`);
    for (const field of ['"http":["GET","/p",1e400]', '"tags":{"a":1e400}', '"logs":[{"t":0,"f":{"a":-1e400}}]', '"keys":["k"],"n":2,"spans":[["00f067aa0ba902b8",0,0,1,1,[0,1e400]]]']) {
      expect({ field, ...verdicts(line(field)) }).toEqual({ field, ajv: false, ours: false });
    }
  });

  it('agrees with ajv on any JSON at all', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        expect(checkSpanLineV2(value) === undefined).toBe(ajv(value));
      }),
      { numRuns: 500 },
    );
  });

  it('names where a refused line is wrong', () => {
    expect(checkSpanLineV2({ otspan: 2, trace: TRACE, id: '00f067aa0ba902b7', op: 'x', t: 1, dur: 1, spans: [['00f067aa0ba902b7', 0, 0, 1, -1]] })).toBe(
      '/spans/0/4 must be µs (an integer 0 to 2^53-1)',
    );
    expect(checkSpanLineV2({ otspan: 2, trace: TRACE, id: '00f067aa0ba902b7', op: 'x', t: 1, dur: 1, extra: 1 })).toBe('/ must not have the field "extra"');
  });
});
