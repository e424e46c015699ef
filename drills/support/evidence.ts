// What a drill leaves for the secrets check: every row of the store, the trace pages as served,
// CLI output. Written to the drill's artifact folder.
import type { TraceStore } from '../../src/collector/store';
import { writeArtifact } from './drill';

/** Every stored span, trace by trace, as JSON (the rows, decoded). */
export function dumpStore(store: TraceStore, dir: string, name = 'store.json'): { traces: number; spans: number } {
  const traces = store.listTraces(Number.MAX_SAFE_INTEGER);
  const rows = traces.map((trace) => ({ ...trace, spans: store.getTrace(trace.traceId) }));
  writeArtifact(dir, name, JSON.stringify(rows));
  return { traces: traces.length, spans: rows.reduce((sum, t) => sum + t.spans.length, 0) };
}

/** The list page, some trace pages and the JSON API, as a browser or curl gets them. */
export async function savePages(collectorUrl: string, traceIds: readonly string[], dir: string): Promise<number> {
  const paths = ['/', '/api/traces?limit=1000', ...traceIds.slice(0, 5).flatMap((id) => [`/traces/${id}`, `/api/traces/${id}`])];
  let saved = 0;
  for (const [i, path] of paths.entries()) {
    const response = await fetch(collectorUrl + path);
    writeArtifact(dir, `page-${i}.txt`, `GET ${path} → ${response.status}\n${await response.text()}`);
    saved++;
  }
  return saved;
}
