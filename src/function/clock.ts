import { performance } from 'node:perf_hooks';

// Date.now() has millisecond steps; spans inside one millisecond would all last 0 µs.
// timeOrigin + now() gives microseconds since the epoch with sub-millisecond precision.
const origin = performance.timeOrigin;

/** Microseconds since the Unix epoch (fractional; the encoder rounds). */
export function nowMicros(): number {
  return (origin + performance.now()) * 1000;
}
