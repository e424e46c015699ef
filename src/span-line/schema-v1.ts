import { LIMITS } from './format';
import { SPAN_ID_FORMAT as spanId, TRACE_ID_FORMAT as traceId } from './ids';
import { lazyValidator, micros, scalar } from './schema-parts';

/** JSON Schema of a version-1 span line (the parsed object). */
export const spanLineSchemaV1 = {
  $id: 'https://lambda-log-tracing/span-line/v1.json',
  type: 'object',
  required: ['level', 'otspan', 'op', 'dur', 'comp', 'trace', 'span', 'start'],
  properties: {
    level: { type: 'string' },
    otspan: { const: 1 },
    // An empty operation name is what the user set (startSpan('')): kept, never a reason to drop the span.
    op: { type: 'string', maxLength: LIMITS.maxValueChars + 1 },
    dur: micros,
    comp: { type: 'string', minLength: 1, maxLength: LIMITS.maxValueChars + 1 },
    trace: { type: 'string', format: traceId },
    span: { type: 'string', format: spanId },
    parent: { type: 'string', format: spanId },
    start: micros,
    tags: { type: 'object', additionalProperties: scalar },
    logs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['t', 'f'],
        properties: { t: micros, f: { type: 'object', additionalProperties: scalar } },
        additionalProperties: false,
      },
    },
    bag: { type: 'object', additionalProperties: { type: 'string' } },
    trunc: { const: 1 },
  },
  additionalProperties: false,
} as const;

export interface SpanLineV1 {
  level: string;
  otspan: 1;
  op: string;
  dur: number;
  comp: string;
  trace: string;
  span: string;
  parent?: string;
  start: number;
  tags?: Record<string, string | number | boolean>;
  logs?: Array<{ t: number; f: Record<string, string | number | boolean> }>;
  bag?: Record<string, string>;
  trunc?: 1;
}

/** The version-1 validator, compiled on first use. */
export const spanLineV1Validator = lazyValidator<SpanLineV1>(spanLineSchemaV1);
