// Seeded random spans for the report writer's tests: every run sees the same spans, and a
// failure names the seed and the span's index, so it can be reproduced alone.
import type { SpanToReport, WireLog, WireValue } from '../../src/lightstep/wire';

/** mulberry32: small, fast, good enough to pick test cases. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SpanShape {
  /** Keys the collector's decoder (main) cannot keep as plain properties ('__proto__'). */
  protoKeys?: boolean;
  /** Fractional and negative times and durations (rounded and clamped by the encoders). */
  oddTimes?: boolean;
}

const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-/:{}"\\\n\t';
/** 2-byte, 3-byte and 4-byte UTF-8 (astral: surrogate pairs in UTF-16). */
const NON_ASCII = ['é', 'ß', 'Ω', 'ж', '€', '中', '文', '\u2028', '\uFFFD', '\uFEFF', '😀', '𝄞', '🏳️‍🌈', '\u0000', '\u007F', '\u0080', '\u07FF', '\u0800', '\uFFFF'];
const INTEGERS = [0, 1, -1, 127, 128, -128, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 16383, 16384];
const DOUBLES = [0.5, -0.75, 0.1, 1e300, -1e-300, 5e-324, 2 ** 53, 2 ** 60, -(2 ** 63), 2 ** 64, 1.7976931348623157e308, 123456.789];
const IDS = ['0000000000000001', 'ffffffffffffffff', '8000000000000000', '00000000ffffffff', '0000000100000000', '000000000000007f', '0000000000000080'];

export function randomSpans(seed: number, count: number, shape: SpanShape = {}): SpanToReport[] {
  const random = seededRandom(seed);
  const int = (below: number): number => Math.floor(random() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number): boolean => random() < p;

  /** Up to `max` characters (whole ones: a surrogate pair is never cut). */
  const text = (max = Infinity): string => {
    const roll = random();
    const length = Math.min(max, roll < 0.1 ? 0 : roll < 0.7 ? int(20) : roll < 0.99 ? 20 + int(200) : 16000 + int(2000));
    let out = '';
    const mixed = chance(0.3);
    for (let i = 0; i < length; i++) out += mixed && chance(0.3) ? pick(NON_ASCII) : ASCII[int(ASCII.length)];
    return out;
  };
  const key = (): string => (shape.protoKeys && chance(0.02) ? '__proto__' : chance(0.03) ? '' : text(40));
  const hex16 = (): string => {
    if (chance(0.15)) return pick(IDS);
    let out = '';
    for (let i = 0; i < 16; i++) out += '0123456789abcdef'[int(16)];
    return out === '0000000000000000' ? '0000000000000001' : out;
  };
  const value = (): WireValue => {
    switch (int(6)) {
      case 0:
      case 1:
        return text();
      case 2:
        return chance(0.5) ? pick(INTEGERS) : int(2 ** 31) - 2 ** 30;
      case 3:
        return chance(0.5) ? pick(DOUBLES) * (chance(0.5) ? -1 : 1) : (random() - 0.5) * 10 ** int(12);
      case 4:
        return chance(0.5);
      default:
        return pick(['', 0, false, -0]);
    }
  };
  const record = <T>(entries: number, make: () => T): Record<string, T> => {
    const out: Record<string, T> = {};
    for (let i = 0; i < entries; i++) {
      // defineProperty: '__proto__' as an own key, as JSON.parse makes it.
      Object.defineProperty(out, key(), { value: make(), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  const micros = (): number => {
    if (chance(0.05)) return pick([0, 999_999, 1_000_000, Number.MAX_SAFE_INTEGER]);
    const base = 1_700_000_000_000_000 + int(100_000_000_000);
    return shape.oddTimes && chance(0.2) ? base + pick([0.5, 0.49, -0.5, 0.999]) : base;
  };

  const spans: SpanToReport[] = [];
  for (let i = 0; i < count; i++) {
    const logs: WireLog[] = [];
    const logCount = chance(0.6) ? 0 : int(4);
    for (let l = 0; l < logCount; l++) logs.push({ timestampMicros: micros(), fields: record(chance(0.2) ? 0 : int(6), value) });
    let duration = chance(0.1) ? 0 : chance(0.05) ? Number.MAX_SAFE_INTEGER : int(10_000_000);
    if (shape.oddTimes && chance(0.1)) duration = pick([-5, 0.4, 0.5, 1.5, -0.4]);
    const span: SpanToReport = {
      traceId: chance(0.3) ? (chance(0.2) ? '0000000000000000' : hex16()) + hex16() : hex16(),
      spanId: hex16(),
      operation: chance(0.05) ? '' : text(chance(0.9) ? 60 : 20_000),
      component: 'random',
      startMicros: micros(),
      durationMicros: duration,
      tags: record(int(12), value),
      logs,
    };
    if (chance(0.7)) span.parentSpanId = hex16();
    if (chance(0.3)) span.baggage = record(1 + int(3), () => text(30));
    spans.push(span);
  }
  return spans;
}
