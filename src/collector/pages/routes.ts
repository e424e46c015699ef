// The HTML pages: GET / (recent traces) and GET /traces/:traceId (waterfall).
import express, { type Router } from 'express';
import { normalizeTraceId } from '../api';
import type { TraceStore } from '../store';
import { html } from './html';
import { page } from './layout';
import { renderTraceList } from './trace-list';
import { renderTraceNotFound, renderTracePage } from './trace-page';

const TRACE_LIST_SIZE = 50;

export function pagesRouter(store: TraceStore): Router {
  const router = express.Router();

  router.get('/', (_req, res) => {
    res.type('html').send(renderTraceList(store.listTraces(TRACE_LIST_SIZE), Date.now() * 1000));
  });

  router.get('/traces/:traceId', (req, res) => {
    const traceId = normalizeTraceId(req.params.traceId);
    if (!traceId) {
      res.status(400).type('html').send(page('Bad trace id', html`<h1>Bad trace id</h1>
<p class="meta">A trace id is 16 or 32 hexadecimal characters.</p><p><a href="/">All recent traces</a></p>`).value);
      return;
    }
    const spans = store.getTrace(traceId);
    if (spans.length === 0) {
      res.status(404).type('html').send(renderTraceNotFound(traceId));
      return;
    }
    res.type('html').send(renderTracePage(traceId, spans));
  });

  return router;
}
