import { randomFillSync } from 'node:crypto';

// One randomFillSync per 512 ids: a pooled draw costs ~53 ns where crypto.randomBytes(8) per span
// cost ~4 µs (measured, DESIGN.md), most of a span's whole emission budget.
const ID_BYTES = 8;
const IDS_PER_POOL = 512;
const pool = Buffer.allocUnsafe(ID_BYTES * IDS_PER_POOL);
let offset = pool.length; // empty: the first call fills it

const ZERO_ID = '0000000000000000';

/** A new 64-bit id from a cryptographic random source: 16 lowercase hex characters, never all zero. */
export function newId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  // An all-zero id means "no id" to most tracers; the odds are 2^-64, the check is one compare.
  return id === ZERO_ID ? newId() : id;
}
