import type { ValidateFunction } from 'ajv';
import { isSpanId, isTraceId, SPAN_ID_FORMAT, TRACE_ID_FORMAT } from './ids';

/** What the schemas of both versions share. */
export const scalar = { type: ['string', 'number', 'boolean'] };
// Beyond 2^53-1 µs a number is not exact in JSON, and lightstep's encoder rejects the report.
export const micros = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER };

/**
 * A validator compiled on first use (then a plain function call per line): the function imports
 * this package for the encoder and never pays for ajv's load and compile.
 */
export function lazyValidator<T>(schema: object): () => ValidateFunction<T> {
  let compiled: ValidateFunction<T> | undefined;
  return () => {
    if (compiled === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { default: Ajv } = require('ajv') as typeof import('ajv');
      // strictTuples off: version 2's entries are tuples with optional trailing items.
      compiled = new Ajv({ allErrors: false, strict: true, strictTuples: false, allowUnionTypes: true })
        .addFormat(SPAN_ID_FORMAT, { type: 'string', validate: isSpanId })
        .addFormat(TRACE_ID_FORMAT, { type: 'string', validate: isTraceId })
        .compile<T>(schema);
    }
    return compiled;
  };
}
