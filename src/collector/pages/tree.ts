// Orders a trace's spans for the waterfall: depth first from each root, siblings by start time.
import type { StoredSpan } from '../types';

export interface WaterfallRow {
  span: StoredSpan;
  depth: number;
  /** The span names a parent that is not in the trace (not received, or sent elsewhere). */
  parentMissing: boolean;
}

const byStart = (a: StoredSpan, b: StoredSpan) => a.startMicros - b.startMicros || a.spanId.localeCompare(b.spanId);

export function waterfallRows(spans: StoredSpan[]): WaterfallRow[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, StoredSpan[]>();
  const roots: StoredSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const list = children.get(span.parentSpanId) ?? [];
      list.push(span);
      children.set(span.parentSpanId, list);
    } else {
      roots.push(span);
    }
  }

  const rows: WaterfallRow[] = [];
  const visited = new Set<string>();
  const visit = (span: StoredSpan, depth: number) => {
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    rows.push({ span, depth, parentMissing: depth === 0 && span.parentSpanId !== undefined });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  roots.sort(byStart).forEach((root) => visit(root, 0));
  // Spans caught in a parent cycle are reachable from no root: still show them.
  spans.filter((s) => !visited.has(s.spanId)).sort(byStart).forEach((s) => visit(s, 0));
  return rows;
}
