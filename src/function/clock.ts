import { performance } from 'node:perf_hooks';

// Date.now() has millisecond steps; spans inside one millisecond would all last 0 µs. So span
// times are an anchor (wall-clock milliseconds at performance.now() = 0) plus performance.now():
// microseconds since the epoch with sub-millisecond precision.
//
// The anchor is taken again at the start of every invocation (traced() calls reanchorClock()).
// A warm container lives for hours, and its monotonic clock drifts from wall time: Lambda
// freezes the VM between invocations, NTP slews the wall clock. performance.timeOrigin, fixed at
// process start, would put the spans of a long-lived container seconds off the caller's.
let anchorMillis = performance.timeOrigin;

/** Re-aligns span time with the wall clock (Date.now()); call once per invocation, before its spans. */
export function reanchorClock(): void {
  anchorMillis = Date.now() - performance.now();
}

/** Microseconds since the Unix epoch (fractional; the encoder rounds). */
export function nowMicros(): number {
  return (anchorMillis + performance.now()) * 1000;
}
