// The collector's trace store: spans in SQLite, one row per (trace key, span id), so a redelivered
// report changes nothing. The trace key (column trace_id) is the lower 64 bits of the trace id,
// all LightStep's wire carries; an OTLP span's full 128-bit id is kept beside it (trace_id_128),
// so one trace whose spans came by both wires is one trace here, as on LightStep. A per-trace
// summary row is kept up to date on insert, which keeps the recent-traces list a single indexed
// read however many spans are stored.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isErrorSpan, traceKey, type StoredSpan, type TraceSummary } from './types';

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

/**
 * Schema versions (PRAGMA user_version): 0, the first, had 64-bit trace ids only; 1 adds the
 * 128-bit id of OTLP spans and their resource. Old files are migrated in place: their trace_id
 * already is the key, and their spans had no 128-bit id.
 */
const SCHEMA_VERSION = 1;
const MIGRATIONS: Record<number, string> = {
  1: `ALTER TABLE spans ADD COLUMN trace_id_128 TEXT;
      ALTER TABLE spans ADD COLUMN resource TEXT;
      ALTER TABLE traces ADD COLUMN trace_id_128 TEXT;`,
};

interface SpanRow {
  trace_id: string;
  trace_id_128: string | null;
  resource: string | null;
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
  trace_id_128: string | null;
  start_micros: number;
  end_micros: number;
  span_count: number;
  error_count: number;
}

function rowToSpan(row: SpanRow): StoredSpan {
  const span: StoredSpan = {
    traceId: row.trace_id_128 ?? row.trace_id,
    spanId: row.span_id,
    operation: row.operation,
    component: row.component,
    startMicros: row.start_micros,
    durationMicros: row.duration_micros,
    tags: JSON.parse(row.tags),
    logs: JSON.parse(row.logs),
  };
  if (row.parent_span_id) span.parentSpanId = row.parent_span_id;
  if (row.resource) span.resource = JSON.parse(row.resource);
  return span;
}

export class TraceStore {
  private readonly db: Database.Database;
  private readonly insertSpan: Database.Statement;
  private readonly upgradeSpanId: Database.Statement;
  private readonly upgradeTraceId: Database.Statement;
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
    this.migrate();

    this.insertSpan = this.db.prepare(
      `INSERT OR IGNORE INTO spans
         (trace_id, span_id, parent_span_id, operation, component, start_micros, duration_micros, is_error, tags, logs, trace_id_128, resource)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertTrace = this.db.prepare(
      `INSERT INTO traces (trace_id, start_micros, end_micros, span_count, error_count, trace_id_128)
       VALUES (?, ?, ?, 1, ?, ?)
       ON CONFLICT (trace_id) DO UPDATE SET
         start_micros = min(start_micros, excluded.start_micros),
         end_micros   = max(end_micros, excluded.end_micros),
         span_count   = span_count + 1,
         error_count  = error_count + excluded.error_count,
         trace_id_128 = coalesce(trace_id_128, excluded.trace_id_128)`,
    );
    // A span first stored from a LightStep report and then delivered over OTLP (a forwarder with
    // both sinks on one collector) keeps its first copy, and learns its 128-bit id.
    this.upgradeSpanId = this.db.prepare('UPDATE spans SET trace_id_128 = ? WHERE trace_id = ? AND span_id = ? AND trace_id_128 IS NULL');
    this.upgradeTraceId = this.db.prepare('UPDATE traces SET trace_id_128 = ? WHERE trace_id = ? AND trace_id_128 IS NULL');
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
        const key = traceKey(s.traceId);
        const full = s.traceId.length === 32 ? s.traceId.toLowerCase() : null;
        const result = this.insertSpan.run(
          key, s.spanId, s.parentSpanId ?? null, s.operation, s.component,
          s.startMicros, s.durationMicros, isError, JSON.stringify(s.tags), JSON.stringify(s.logs),
          full, s.resource ? JSON.stringify(s.resource) : null,
        );
        if (result.changes === 0) {
          // already stored: redelivery
          if (full !== null) {
            this.upgradeSpanId.run(full, key, s.spanId);
            this.upgradeTraceId.run(full, key);
          }
          continue;
        }
        inserted++;
        this.upsertTrace.run(key, s.startMicros, s.startMicros + s.durationMicros, isError, full);
      }
      return inserted;
    });
  }

  /** Stores spans not seen before; returns how many were new. */
  addSpans(spans: StoredSpan[]): number {
    return this.insertAll(spans);
  }

  /** The trace's spans by start time, found by the id's lower 64 bits; [] when unknown. */
  getTrace(traceId: string): StoredSpan[] {
    return this.selectTrace.all(traceKey(traceId)).map(rowToSpan);
  }

  /** Up to `limit` traces, the latest-starting first. */
  listTraces(limit: number): TraceSummary[] {
    return this.selectRecent.all(limit).map((row) => {
      const root = this.selectRoot.get(row.trace_id);
      return {
        traceId: row.trace_id_128 ?? row.trace_id,
        rootOperation: root?.operation ?? '',
        rootComponent: root?.component ?? '',
        spanCount: row.span_count,
        durationMicros: row.end_micros - row.start_micros,
        startMicros: row.start_micros,
        errorCount: row.error_count,
      };
    });
  }

  /** Brings a file written by an older collector (or a new one) to SCHEMA_VERSION. */
  private migrate(): void {
    // SCHEMA creates the first version's tables, so a new file goes through every migration too.
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let next = version + 1; next <= SCHEMA_VERSION; next++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[next]);
        this.db.pragma(`user_version = ${next}`);
      })();
    }
    if (version > SCHEMA_VERSION) throw new Error(`collector store schema version ${version} is newer than this collector's (${SCHEMA_VERSION}): use a newer collector or another COLLECTOR_DB`);
  }

  countSpans(): number {
    return this.selectCount.get()!.n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
