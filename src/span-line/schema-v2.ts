import { LIMITS, SPAN_LINE_VERSION } from './format';
import { SPAN_ID_FORMAT as spanId, TRACE_ID_FORMAT as traceId } from './ids';
import { lazyValidator, micros, scalar } from './schema-parts';
import type { SpanValue } from './span';

const text = { type: 'string', maxLength: LIMITS.maxValueChars + 1 };
/** µs relative to the line's `t` (a straggler may have started before the head); the sum is checked in decode. */
const offset = { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
const logs = {
  type: 'array',
  items: {
    type: 'object',
    required: ['t', 'f'],
    properties: { t: offset, f: { type: 'object', additionalProperties: scalar } },
    additionalProperties: false,
  },
};
const baggage = { type: 'object', additionalProperties: { type: 'string' } };
/** [id, parent, op, start, dur, tags?, logs?, bag?]; parent: index (0 head, k entry k), hex id or null. */
const entry = {
  type: 'array',
  minItems: 5,
  maxItems: 8,
  items: [
    { type: 'string', format: spanId },
    { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', format: spanId }, { type: 'null' }] },
    { type: 'integer', minimum: 0 },
    offset,
    micros,
    { type: 'array', items: scalar },
    logs,
    baggage,
  ],
};

/** JSON Schema of a version-2 span line (the parsed object); what it cannot say (indexes, sums) decode checks. */
export const spanLineSchemaV2 = {
  $id: 'https://lambda-log-tracing/span-line/v2.json',
  type: 'object',
  required: ['otspan', 'trace', 'id', 'op', 't', 'dur'],
  properties: {
    level: { type: 'string' },
    timestamp: { type: 'string' },
    otspan: { const: SPAN_LINE_VERSION },
    trace: { type: 'string', format: traceId },
    id: { type: 'string', format: spanId },
    parent: { type: 'string', format: spanId },
    // An empty operation name is what the user set (startSpan('')): kept, never a reason to drop the span.
    op: text,
    t: micros,
    dur: micros,
    n: { type: 'integer', minimum: 2 },
    comp: { type: 'string', minLength: 1, maxLength: LIMITS.maxValueChars + 1 },
    req: text,
    http: { type: 'array', minItems: 2, maxItems: 3, items: [text, text, { type: 'number' }] },
    tags: { type: 'object', additionalProperties: scalar },
    logs,
    bag: baggage,
    keys: { type: 'array', items: text },
    spans: { type: 'array', minItems: 1, items: entry },
    trunc: { type: 'array', items: { type: 'integer', minimum: 0 } },
  },
  additionalProperties: false,
} as const;

export type EntryV2 = [
  id: string,
  parent: number | string | null,
  op: number,
  start: number,
  dur: number,
  tags?: SpanValue[],
  logs?: Array<{ t: number; f: Record<string, SpanValue> }>,
  bag?: Record<string, string>,
];

export interface SpanLineV2 {
  level?: string;
  timestamp?: string;
  otspan: 2;
  trace: string;
  id: string;
  parent?: string;
  op: string;
  t: number;
  dur: number;
  n?: number;
  comp?: string;
  req?: string;
  http?: [string, string, number?];
  tags?: Record<string, SpanValue>;
  logs?: Array<{ t: number; f: Record<string, SpanValue> }>;
  bag?: Record<string, string>;
  keys?: string[];
  spans?: EntryV2[];
  trunc?: number[];
}

/** The version-2 validator, compiled on first use: the definition the decoder's hand-written check (check-v2.ts) is held to in tests. */
export const spanLineV2Validator = lazyValidator<SpanLineV2>(spanLineSchemaV2);
