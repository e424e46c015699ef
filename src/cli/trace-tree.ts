import type { TailSpan, TraceGroup } from './trace-assembler';

/** One span in a trace's tree, in display order. */
export interface TreeRow {
  tailSpan: TailSpan;
  depth: number;
  /** Tree drawing before the operation: '', '├─ ', '│  └─ ', … */
  prefix: string;
  /** The span has no parent: the trace's root. */
  root: boolean;
  /** The parent is not among these spans: shown before (its operation), or never seen here. */
  missingParent?: { spanId: string; shownAs?: string };
  late: boolean;
}

/**
 * Lays a trace's spans out as a tree: children under their parent, each level by start time.
 * A span whose parent is not among them starts a tree of its own (marked), so nothing is hidden.
 */
export function traceRows(group: TraceGroup): TreeRow[] {
  const byId = new Map(group.spans.map((s) => [s.span.spanId, s]));
  const children = new Map<string, TailSpan[]>();
  const tops: TailSpan[] = [];
  for (const s of group.spans) {
    const parent = s.span.parentSpanId;
    if (parent !== undefined && byId.has(parent) && parent !== s.span.spanId) {
      const siblings = children.get(parent);
      if (siblings) siblings.push(s);
      else children.set(parent, [s]);
    } else {
      tops.push(s);
    }
  }
  const rows: TreeRow[] = [];
  const visited = new Set<string>();
  const visit = (s: TailSpan, depth: number, prefix: string, continuation: string): void => {
    visited.add(s.span.spanId);
    const parent = s.span.parentSpanId;
    const row: TreeRow = { tailSpan: s, depth, prefix, root: parent === undefined, late: group.late };
    if (depth === 0 && parent !== undefined) row.missingParent = { spanId: parent, shownAs: group.shownBefore.get(parent) };
    rows.push(row);
    const kids = byStart(children.get(s.span.spanId) ?? []).filter((k) => !visited.has(k.span.spanId));
    kids.forEach((kid, i) => {
      const last = i === kids.length - 1;
      visit(kid, depth + 1, continuation + (last ? '└─ ' : '├─ '), continuation + (last ? '   ' : '│  '));
    });
  };
  for (const top of byStart(tops)) visit(top, 0, '', '');
  // Spans whose parents form a cycle (only forged ids can): shown as trees of their own.
  for (const s of byStart(group.spans)) if (!visited.has(s.span.spanId)) visit(s, 0, '', '');
  return rows;
}

function byStart(spans: TailSpan[]): TailSpan[] {
  return [...spans].sort((a, b) => a.span.startMicros - b.span.startMicros || (a.span.spanId < b.span.spanId ? -1 : 1));
}

export function isError(s: TailSpan): boolean {
  const error = s.span.tags.error;
  return error === true || error === 'true';
}
