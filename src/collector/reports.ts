// POST /api/v2/reports: what lightstep-tracer's proto transport sends with collector_encryption
// 'none' (src/imp/platform/node/transport_httpproto.js). The tracer counts a report delivered only
// on status 200 with a decodable ReportResponse, so every other answer makes it keep the spans.
import express, { type Request, type Response, type Router } from 'express';
import { accessTokenCheck } from './access-token';
import { decodeReportRequest, EMPTY_REPORT_RESPONSE, InvalidReportError, spansFromReport } from '../lightstep/wire';
import type { TraceStore } from './store';

export const REPORTS_PATH = '/api/v2/reports';
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;

export interface ReportInfo {
  component: string;
  spans: number;
  /** Spans not stored before (a redelivered report adds none). */
  inserted: number;
  /** Which wire: a LightStep report (POST /api/v2/reports) or an OTLP request (POST /v1/traces). */
  protocol: 'lightstep' | 'otlp';
}

export interface ReportsOptions {
  accessToken?: string;
  onReport?: (info: ReportInfo) => void;
}

export function reportsRouter(store: TraceStore, options: ReportsOptions = {}): Router {
  const tokenIsAccepted = accessTokenCheck(options.accessToken);
  const router = express.Router();

  router.post(
    REPORTS_PATH,
    // Any content type: the tracer sends application/octet-stream, curl users often don't.
    express.raw({ type: () => true, limit: MAX_REPORT_BYTES }),
    (req: Request, res: Response) => {
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        res.status(400).type('text/plain').send('empty body: expected a protobuf ReportRequest');
        return;
      }
      let spans;
      try {
        const report = decodeReportRequest(body);
        const presented = req.get('lightstep-access-token') ?? report.getAuth()?.getAccessToken();
        if (!tokenIsAccepted(presented)) {
          res.status(401).type('text/plain').send('access token not accepted');
          return;
        }
        spans = spansFromReport(report);
      } catch (err) {
        if (!(err instanceof InvalidReportError)) throw err;
        res.status(400).type('text/plain').send(err.message);
        return;
      }
      const inserted = store.addSpans(spans);
      options.onReport?.({ component: spans[0]?.component ?? '', spans: spans.length, inserted, protocol: 'lightstep' });
      res.status(200).type('application/octet-stream').send(EMPTY_REPORT_RESPONSE);
    },
  );
  return router;
}
