import { capSpan, hasKeys, micros, type CappedLog } from './caps';
import { DEFAULT_COMPONENT, LIMITS, SPAN_LINE_LEVEL, SPAN_LINE_VERSION, type LineSource } from './format';
import type { SpanToEncode, SpanValue } from './span';

export type { SpanToEncode } from './span';

export interface LineOptions {
  /** What the reader will know from the log group and stream: invocation tags equal to it are left out. */
  source?: LineSource;
  /** Lead each line with level and timestamp (see levelRequired). */
  levelled?: boolean;
}

/** A span after the caps: what its part of a line is written from. */
interface Prepared {
  span: SpanToEncode;
  op: string;
  comp: string;
  start: number;
  dur: number;
  tags: Record<string, SpanValue> | undefined;
  logs: CappedLog[] | undefined;
  bag: Record<string, string> | undefined;
  truncated: boolean;
}

const NO_OPTIONS: LineOptions = {};

/**
 * Turns the finished spans of an invocation into version-2 span lines (no trailing newlines):
 * one line per trace and component, split further only past LIMITS.maxLineChars. Never throws
 * on user values. The last span of each line (the invocation span, which finishes last) is its head.
 */
export function encodeSpanLines(spans: readonly SpanToEncode[], options: LineOptions = NO_OPTIONS): string[] {
  const lines: string[] = [];
  for (const group of groupByTraceAndComponent(spans)) encodeGroup(group.map(prepare), options, lines);
  return lines;
}

/** One span as one version-2 line. */
export function encodeSpanLine(span: SpanToEncode, options: LineOptions = NO_OPTIONS): string {
  const lines: string[] = [];
  encodeGroup([prepare(span)], options, lines);
  return lines[0];
}

function groupByTraceAndComponent(spans: readonly SpanToEncode[]): SpanToEncode[][] {
  if (spans.length === 0) return [];
  const first = spans[0];
  let same = true;
  for (let i = 1; i < spans.length && same; i++) same = spans[i].traceId === first.traceId && spans[i].component === first.component;
  if (same) return [spans as SpanToEncode[]];
  const groups = new Map<string, SpanToEncode[]>();
  for (const span of spans) {
    const key = span.traceId + '\n' + span.component;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [span]);
    else group.push(span);
  }
  return [...groups.values()];
}

function prepare(span: SpanToEncode): Prepared {
  const { op, comp, tags, logs, bag, truncated } = capSpan(span);
  return { span, op, comp, start: micros(span.startMicros), dur: micros(span.durationMicros), tags, logs, bag, truncated };
}

/** Still too large after the per-value caps: keep identity, timing and the error flag, drop what is bulky. */
function reduced(p: Prepared): Prepared {
  const error = p.tags?.error;
  const tags = error === undefined ? undefined : (Object.assign(Object.create(null), { error }) as Record<string, SpanValue>);
  return { ...p, tags, logs: undefined, bag: undefined, truncated: true };
}

function encodeGroup(group: Prepared[], options: LineOptions, out: string[]): void {
  const line = encodeLine(group, options);
  if (line.length <= LIMITS.maxLineChars || group.length === 1) {
    out.push(line);
    return;
  }
  const half = group.length >> 1;
  encodeGroup(group.slice(0, half), options, out);
  encodeGroup(group.slice(half), options, out);
}

function encodeLine(group: Prepared[], options: LineOptions): string {
  let head = group[group.length - 1];
  let headPart = encodeHead(head, group.length, options);
  if (headPart.length > LIMITS.maxSpanChars) {
    head = reduced(head);
    headPart = encodeHead(head, group.length, options);
  }
  if (group.length === 1) return headPart + (head.truncated ? ',"trunc":[0]}' : '}');

  const refs = new Map<string, number>();
  refs.set(head.span.spanId, 0);
  for (let i = 0; i < group.length - 1; i++) refs.set(group[i].span.spanId, i + 1);
  const keys = new Map<string, number>();
  const headBag = head.bag === undefined ? '' : JSON.stringify(head.bag);
  let truncated = head.truncated ? '0' : '';
  let entries = '';
  for (let i = 0; i < group.length - 1; i++) {
    let p = group[i];
    const keysBefore = keys.size;
    let entry = encodeEntry(p, head.start, refs, keys, headBag);
    if (entry.length > LIMITS.maxSpanChars) {
      forgetKeysFrom(keys, keysBefore);
      p = reduced(p);
      entry = encodeEntry(p, head.start, refs, keys, headBag);
    }
    if (p.truncated) truncated += (truncated === '' ? '' : ',') + (i + 1);
    entries += (i === 0 ? '' : ',') + entry;
  }
  let line = headPart;
  if (keys.size > 0) line += ',"keys":' + JSON.stringify([...keys.keys()]);
  line += ',"spans":[' + entries + ']';
  if (truncated !== '') line += ',"trunc":[' + truncated + ']';
  return line + '}';
}

/** The line up to (not including) keys, spans, trunc and the closing brace. */
function encodeHead(p: Prepared, count: number, options: LineOptions): string {
  const span = p.span;
  let line = options.levelled
    ? `{"level":"${SPAN_LINE_LEVEL}","timestamp":"${new Date((p.start + p.dur) / 1000).toISOString()}","otspan":${SPAN_LINE_VERSION}`
    : `{"otspan":${SPAN_LINE_VERSION}`;
  line += ',"trace":"' + span.traceId + '","id":"' + span.spanId + '"';
  if (span.parentSpanId !== undefined) line += ',"parent":"' + span.parentSpanId + '"';
  line += ',"op":' + JSON.stringify(p.op) + ',"t":' + p.start + ',"dur":' + p.dur;
  if (count > 1) line += ',"n":' + count;
  if (p.comp !== DEFAULT_COMPONENT) line += ',"comp":' + JSON.stringify(p.comp);
  const tags = p.tags;
  if (tags !== undefined && isInvocationSpan(tags)) line += invocationParts(tags, options.source);
  else if (tags !== undefined && hasKeys(tags)) line += ',"tags":' + JSON.stringify(tags);
  if (p.logs !== undefined) line += ',"logs":' + relativeLogs(p.logs, p.start);
  if (p.bag !== undefined) line += ',"bag":' + JSON.stringify(p.bag);
  return line;
}

/**
 * The invocation span's request id, its HTTP method, path and status as one array, and the tags
 * left that the reader cannot imply (in one pass: no copy of the tags to delete from).
 */
function invocationParts(tags: Record<string, SpanValue>, source: LineSource | undefined): string {
  let out = ',"req":' + JSON.stringify(tags['aws.request_id']);
  const method = tags['http.method'];
  const path = tags['http.path'];
  const status = tags['http.status_code'];
  const http = typeof method === 'string' && typeof path === 'string';
  const httpStatus = http && typeof status === 'number';
  if (http) out += ',"http":[' + JSON.stringify(method) + ',' + JSON.stringify(path) + (httpStatus ? ',' + status + ']' : ']');
  const functionName = source?.functionName;
  const functionVersion = source?.functionVersion;
  let rest = '';
  for (const key in tags) {
    const value = tags[key];
    switch (key) {
      case 'aws.request_id':
      case 'span.kind':
        continue;
      case 'faas.coldstart':
        if (value === false) continue;
        break;
      case 'faas.name':
        if (functionName !== undefined && value === functionName) continue;
        break;
      case 'faas.version':
        if (functionVersion !== undefined && value === functionVersion) continue;
        break;
      case 'http.method':
      case 'http.path':
        if (http) continue;
        break;
      case 'http.status_code':
        if (httpStatus) continue;
        break;
    }
    rest += (rest === '' ? ',"tags":{' : ',') + JSON.stringify(key) + ':' + JSON.stringify(value);
  }
  return rest === '' ? out : out + rest + '}';
}

/** The invocation span as traced() starts it: its request id and the tags the reader can imply. */
function isInvocationSpan(tags: Record<string, SpanValue>): boolean {
  return typeof tags['aws.request_id'] === 'string' && tags['span.kind'] === 'server' && typeof tags['faas.coldstart'] === 'boolean';
}

/** [id, parent, op, start, dur, tags?, logs?, bag?] (op an index into keys), optional parts present up to the last one needed. */
function encodeEntry(p: Prepared, base: number, refs: Map<string, number>, keys: Map<string, number>, headBag: string): string {
  const span = p.span;
  const parentId = span.parentSpanId;
  const ref = parentId === undefined ? undefined : refs.get(parentId);
  // By place when the parent is in the line; a span naming itself (never a LogTracer span) by id.
  const parent = parentId === undefined ? 'null' : ref !== undefined && parentId !== span.spanId ? ref : '"' + parentId + '"';
  let entry = '["' + span.spanId + '",' + parent + ',' + keyIndex(keys, p.op) + ',' + (p.start - base) + ',' + p.dur;
  const tags = p.tags === undefined ? '' : flatTags(p.tags, keys);
  const logs = p.logs === undefined ? '' : relativeLogs(p.logs, base);
  const bag = p.bag === undefined ? (headBag === '' ? '' : '{}') : JSON.stringify(p.bag);
  const ownBag = bag !== headBag && bag !== '' ? bag : '';
  if (ownBag !== '') entry += ',' + (tags || '[]') + ',' + (logs || '[]') + ',' + ownBag;
  else if (logs !== '') entry += ',' + (tags || '[]') + ',' + logs;
  else if (tags !== '') entry += ',' + tags;
  return entry + ']';
}

function flatTags(tags: Record<string, SpanValue>, keys: Map<string, number>): string {
  let out = '';
  for (const key in tags) {
    const value = tags[key];
    out += (out === '' ? '[' : ',') + keyIndex(keys, key) + ',' + (typeof value === 'string' ? JSON.stringify(value) : String(value));
  }
  return out === '' ? '' : out + ']';
}

/** The string's place in the line's `keys` (operation names and tag keys), added on first use. */
function keyIndex(keys: Map<string, number>, key: string): number {
  let index = keys.get(key);
  if (index === undefined) keys.set(key, (index = keys.size));
  return index;
}

function relativeLogs(logs: CappedLog[], base: number): string {
  let out = '';
  for (const log of logs) out += (out === '' ? '[' : ',') + '{"t":' + (log.t - base) + ',"f":' + JSON.stringify(log.f) + '}';
  return out + ']';
}

/** Drops the keys an entry added after `size` (its oversized attempt). */
function forgetKeysFrom(keys: Map<string, number>, size: number): void {
  for (const [key, index] of keys) if (index >= size) keys.delete(key);
}
