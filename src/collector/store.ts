// The collector's trace store: spans in SQLite, one row per (trace id, span id), so a redelivered
// report changes nothing. A per-trace summary row is kept up to date on insert, which keeps the
// recent-traces list a single indexed read however many spans are stored.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isErrorSpan, type StoredSpan, type TraceSummary } from './types';

export const DEFAULT_DB_PATH = '.local/collector.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS spans (
  trace_id        TEXT    NOT NULL,
  span_id         TEXT    NOT NULL,
  parent_span_id  TEXT,
  operation       TEXT    NOT NULL,
  component       TEXT    NOT NULL,
  start_micros    INTEGER NOT NULL,
  duration_micros INTEGER NOT NULL,
  is_error        INTEGER NOT NULL,
  tags            TEXT    NOT NULL,
  logs            TEXT    NOT NULL,
  PRIMARY KEY (trace_id, span_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS traces (
  trace_id     TEXT    PRIMARY KEY,
  start_micros INTEGER NOT NULL,
  end_micros   INTEGER NOT NULL,
  span_count   INTEGER NOT NULL,
  error_count  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_micros DESC);
`;

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  operation: string;
  component: string;
  start_micros: number;
  duration_micros: number;
  tags: string;
  logs: string;
}

interface TraceRow {
  trace_id: string;
  start_micros: number;
  end_micros: number;
  span_count: number;
  error_count: number;
}

function rowToSpan(row: SpanRow): StoredSpan {
  const span: StoredSpan = {
    traceId: row.trace_id,
    spanId: row.span_id,
    operation: row.operation,
    component: row.component,
    startMicros: row.start_micros,
    durationMicros: row.duration_micros,
    tags: JSON.parse(row.tags),
    logs: JSON.parse(row.logs),
  };
  if (row.parent_span_id) span.parentSpanId = row.parent_span_id;
  return span;
}

export class TraceStore {
  private readonly db: Database.Database;
  private readonly insertSpan: Database.Statement;
  private readonly upsertTrace: Database.Statement;
  private readonly selectTrace: Database.Statement<[string], SpanRow>;
  private readonly selectRecent: Database.Statement<[number], TraceRow>;
  private readonly selectRoot: Database.Statement<[string], { operation: string; component: string }>;
  private readonly selectCount: Database.Statement<[], { n: number }>;
  private readonly insertAll: (spans: StoredSpan[]) => number;

  /** `dbPath` ':memory:' for tests; a file path is created with its directory. */
  constructor(dbPath: string = DEFAULT_DB_PATH) {
    if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
    this.db = new Database(dbPath);
    if (dbPath !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);

    this.insertSpan = this.db.prepare(
      `INSERT OR IGNORE INTO spans
         (trace_id, span_id, parent_span_id, operation, component, start_micros, duration_micros, is_error, tags, logs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertTrace = this.db.prepare(
      `INSERT INTO traces (trace_id, start_micros, end_micros, span_count, error_count)
       VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (trace_id) DO UPDATE SET
         start_micros = min(start_micros, excluded.start_micros),
         end_micros   = max(end_micros, excluded.end_micros),
         span_count   = span_count + 1,
         error_count  = error_count + excluded.error_count`,
    );
    this.selectTrace = this.db.prepare(
      'SELECT * FROM spans WHERE trace_id = ? ORDER BY start_micros, span_id',
    );
    this.selectRecent = this.db.prepare(
      'SELECT * FROM traces ORDER BY start_micros DESC, trace_id LIMIT ?',
    );
    // The root: the earliest span with no parent, or whose parent never arrived.
    this.selectRoot = this.db.prepare(
      `SELECT operation, component FROM spans AS s
       WHERE s.trace_id = ?
         AND (s.parent_span_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM spans AS p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))
       ORDER BY s.start_micros, s.span_id LIMIT 1`,
    );
    this.selectCount = this.db.prepare('SELECT count(*) AS n FROM spans');

    // One transaction per report: 10,000 spans commit once, and a failure stores none of them.
    this.insertAll = this.db.transaction((spans: StoredSpan[]) => {
      let inserted = 0;
      for (const s of spans) {
        const isError = isErrorSpan(s.tags) ? 1 : 0;
        const result = this.insertSpan.run(
          s.traceId, s.spanId, s.parentSpanId ?? null, s.operation, s.component,
          s.startMicros, s.durationMicros, isError, JSON.stringify(s.tags), JSON.stringify(s.logs),
        );
        if (result.changes === 0) continue; // already stored: redelivery
        inserted++;
        this.upsertTrace.run(s.traceId, s.startMicros, s.startMicros + s.durationMicros, isError);
      }
      return inserted;
    });
  }

  /** Stores spans not seen before; returns how many were new. */
  addSpans(spans: StoredSpan[]): number {
    return this.insertAll(spans);
  }

  /** The trace's spans by start time; [] when unknown. */
  getTrace(traceId: string): StoredSpan[] {
    return this.selectTrace.all(traceId.toLowerCase()).map(rowToSpan);
  }

  /** Up to `limit` traces, the latest-starting first. */
  listTraces(limit: number): TraceSummary[] {
    return this.selectRecent.all(limit).map((row) => {
      const root = this.selectRoot.get(row.trace_id);
      return {
        traceId: row.trace_id,
        rootOperation: root?.operation ?? '',
        rootComponent: root?.component ?? '',
        spanCount: row.span_count,
        durationMicros: row.end_micros - row.start_micros,
        startMicros: row.start_micros,
        errorCount: row.error_count,
      };
    });
  }

  countSpans(): number {
    return this.selectCount.get()!.n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
