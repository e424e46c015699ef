/** In-process timing loops for the emit scenario: warm up, then time a fixed number of iterations. */
export interface Timing {
  name: string;
  /** Nanoseconds per operation (mean over the timed iterations). */
  nsPerOp: number;
  ops: number;
}

export function timeLoop(name: string, iterations: number, body: (i: number) => void): Timing {
  const warmup = Math.min(10_000, Math.ceil(iterations / 10));
  for (let i = 0; i < warmup; i++) body(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const elapsed = Number(process.hrtime.bigint() - start);
  return { name, nsPerOp: elapsed / iterations, ops: iterations };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Times `body` in bursts with an untimed pause between them, so a pipe reader keeps up: a
 * function emits a handful of spans per invocation, not a flood, and a full pipe would measure
 * the reader instead of the writer.
 */
export function timeBursts(name: string, bursts: number, burstSize: number, body: (i: number) => void, pauseMs = 1): Timing {
  for (let i = 0; i < burstSize * 10; i++) body(i);
  Atomics.wait(pause, 0, 0, pauseMs * 5);
  let elapsed = 0n;
  for (let b = 0; b < bursts; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < burstSize; i++) body(i);
    elapsed += process.hrtime.bigint() - start;
    Atomics.wait(pause, 0, 0, pauseMs);
  }
  return { name, nsPerOp: Number(elapsed) / (bursts * burstSize), ops: bursts * burstSize };
}
