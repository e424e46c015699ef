/**
 * The version-2 schema (schema-v2.ts) as one hand-written pass over a parsed line, for the
 * forwarder's per-line loop: ajv's compiled check of the same schema took about half as long as
 * JSON.parse of the line, this pass about a third less than ajv's (docs/forwarder.md). The
 * schema stays the format's definition: a property test holds this check to ajv's verdict on valid lines and on
 * lines broken in every field (test/span-line/check-v2.test.ts).
 */
import { LIMITS } from './format';
import { isSpanId, isTraceId } from './ids';

const MAX_TEXT = LIMITS.maxValueChars + 1;
const MAX_MICROS = Number.MAX_SAFE_INTEGER;

/** Why the parsed line does not fit the version-2 schema (a JSON pointer and what is wrong), or undefined when it does. */
export function checkSpanLineV2(line: unknown): string | undefined {
  if (!isRecord(line)) return '/ must be an object';
  // Required fields first (ajv's order of checks differs; only the verdict is held equal).
  if (line.otspan !== 2) return '/otspan must be 2';
  if (!isTraceIdText(line.trace)) return '/trace must be a trace id';
  if (!isSpanIdText(line.id)) return '/id must be a span id';
  if (!isText(line.op)) return '/op must be a string of at most the value limit';
  if (!isMicros(line.t)) return '/t must be µs (an integer 0 to 2^53-1)';
  if (!isMicros(line.dur)) return '/dur must be µs (an integer 0 to 2^53-1)';
  for (const key in line) {
    const value = line[key];
    switch (key) {
      case 'otspan':
      case 'trace':
      case 'id':
      case 'op':
      case 't':
      case 'dur':
        break;
      case 'level':
      case 'timestamp':
        if (typeof value !== 'string') return `/${key} must be a string`;
        break;
      case 'parent':
        if (!isSpanIdText(value)) return '/parent must be a span id';
        break;
      case 'n':
        if (!isInteger(value) || value < 2) return '/n must be an integer of at least 2';
        break;
      case 'comp':
        if (!isText(value) || (value as string).length === 0) return '/comp must be a non-empty string of at most the value limit';
        break;
      case 'req':
        if (!isText(value)) return '/req must be a string of at most the value limit';
        break;
      case 'http':
        if (!Array.isArray(value) || value.length < 2 || value.length > 3 || !isText(value[0]) || !isText(value[1]) || (value.length === 3 && !isFiniteNumber(value[2]))) {
          return '/http must be [method, path, status?]';
        }
        break;
      case 'tags':
        if (!isScalarRecord(value)) return '/tags must be an object of strings, numbers and booleans';
        break;
      case 'logs': {
        const problem = logsProblem(value, '/logs');
        if (problem !== undefined) return problem;
        break;
      }
      case 'bag':
        if (!isStringRecord(value)) return '/bag must be an object of strings';
        break;
      case 'keys':
        if (!Array.isArray(value)) return '/keys must be an array';
        for (let i = 0; i < value.length; i++) if (!isText(value[i])) return `/keys/${i} must be a string of at most the value limit`;
        break;
      case 'spans': {
        if (!Array.isArray(value) || value.length === 0) return '/spans must be a non-empty array';
        for (let i = 0; i < value.length; i++) {
          const problem = entryProblem(value[i], i);
          if (problem !== undefined) return problem;
        }
        break;
      }
      case 'trunc':
        if (!Array.isArray(value)) return '/trunc must be an array';
        for (let i = 0; i < value.length; i++) if (!isInteger(value[i]) || value[i] < 0) return `/trunc/${i} must be an integer of at least 0`;
        break;
      default:
        return `/ must not have the field ${JSON.stringify(key.slice(0, 40))}`;
    }
  }
  return undefined;
}

/** [id, parent, op, start, dur, tags?, logs?, bag?] */
function entryProblem(entry: unknown, i: number): string | undefined {
  if (!Array.isArray(entry) || entry.length < 5 || entry.length > 8) return `/spans/${i} must be an array of 5 to 8 items`;
  if (!isSpanIdText(entry[0])) return `/spans/${i}/0 must be a span id`;
  const parent = entry[1];
  if (parent !== null && !(isInteger(parent) && parent >= 0) && !isSpanIdText(parent)) return `/spans/${i}/1 must be a span index, a span id or null`;
  const op = entry[2];
  if (!isInteger(op) || op < 0) return `/spans/${i}/2 must be a key index`;
  const offset = entry[3];
  if (!isInteger(offset) || offset < -MAX_MICROS || offset > MAX_MICROS) return `/spans/${i}/3 must be µs after /t`;
  if (!isMicros(entry[4])) return `/spans/${i}/4 must be µs (an integer 0 to 2^53-1)`;
  if (entry.length > 5) {
    const tags = entry[5];
    if (!Array.isArray(tags)) return `/spans/${i}/5 must be an array`;
    for (let j = 0; j < tags.length; j++) if (!isScalar(tags[j])) return `/spans/${i}/5/${j} must be a string, number or boolean`;
  }
  if (entry.length > 6) {
    const problem = logsProblem(entry[6], `/spans/${i}/6`);
    if (problem !== undefined) return problem;
  }
  if (entry.length > 7 && !isStringRecord(entry[7])) return `/spans/${i}/7 must be an object of strings`;
  return undefined;
}

function logsProblem(logs: unknown, at: string): string | undefined {
  if (!Array.isArray(logs)) return `${at} must be an array`;
  for (let i = 0; i < logs.length; i++) {
    const log: unknown = logs[i];
    if (!isRecord(log)) return `${at}/${i} must be an object`;
    for (const key in log) if (key !== 't' && key !== 'f') return `${at}/${i} must have only t and f`;
    const t = log.t;
    if (!isInteger(t) || t < -MAX_MICROS || t > MAX_MICROS) return `${at}/${i}/t must be µs after /t`;
    if (!isScalarRecord(log.f)) return `${at}/${i}/f must be an object of strings, numbers and booleans`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, a finite number or a boolean (a number JSON.parse read as Infinity, like 1e400, is not: ajv's strict numbers). */
function isScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value));
}

function isFiniteNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

function isScalarRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (!isScalar(value[key])) return false;
  return true;
}

function isStringRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isMicros(value: unknown): boolean {
  return isInteger(value) && value >= 0 && value <= MAX_MICROS;
}

/** A string of at most MAX_TEXT characters as JSON Schema counts them (code points: a surrogate pair is one). */
function isText(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (value.length <= MAX_TEXT) return true;
  // Longer in UTF-16 units: count code points only now (rare: the encoder caps values).
  let points = 0;
  for (const _ of value) if (++points > MAX_TEXT) return false;
  return true;
}

function isSpanIdText(value: unknown): boolean {
  return typeof value === 'string' && isSpanId(value);
}

function isTraceIdText(value: unknown): boolean {
  return typeof value === 'string' && isTraceId(value);
}
