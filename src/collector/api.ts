// The JSON API: GET /api/traces?limit=N and GET /api/traces/:traceId.
import express, { type Router } from 'express';
import type { TraceStore } from './store';

export const DEFAULT_TRACE_LIST_LIMIT = 20;
export const MAX_TRACE_LIST_LIMIT = 1000;

/**
 * A trace id as a user may paste it → the stored 16-hex form, or undefined when not hex.
 * A 32-hex id keeps its lower 64 bits, as the tracer's wire format does.
 */
export function normalizeTraceId(raw: string): string | undefined {
  if (!/^[0-9a-f]{1,32}$/i.test(raw)) return undefined;
  return raw.toLowerCase().slice(-16).padStart(16, '0');
}

/** `?limit=` → a number in 1..MAX, the default when absent, or an error message. */
export function parseLimit(raw: unknown): { limit: number } | { error: string } {
  if (raw === undefined) return { limit: DEFAULT_TRACE_LIST_LIMIT };
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return { error: 'limit must be a positive integer' };
  const limit = Number(raw);
  if (limit < 1 || limit > MAX_TRACE_LIST_LIMIT) {
    return { error: `limit must be between 1 and ${MAX_TRACE_LIST_LIMIT}` };
  }
  return { limit };
}

export function apiRouter(store: TraceStore): Router {
  const router = express.Router();

  router.get('/api/traces', (req, res) => {
    const parsed = parseLimit(req.query.limit);
    if ('error' in parsed) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    res.json({ traces: store.listTraces(parsed.limit) });
  });

  router.get('/api/traces/:traceId', (req, res) => {
    const traceId = normalizeTraceId(req.params.traceId);
    if (!traceId) {
      res.status(400).json({ error: 'trace id must be hexadecimal (16 or 32 characters)' });
      return;
    }
    const spans = store.getTrace(traceId);
    if (spans.length === 0) {
      res.status(404).json({ error: 'trace not found', traceId });
      return;
    }
    res.json({ spans });
  });

  return router;
}
