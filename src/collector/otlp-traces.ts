// POST /v1/traces: OTLP/HTTP, as the OpenTelemetry exporters send it (protobuf or JSON, gzip or
// not). Answers as the specification says: 200 with an ExportTraceServiceResponse (a partial
// success names the spans refused), 400 with a google.rpc.Status for a body that is no request,
// 415 for another content type; the body format of the answer is the request's.
import express, { type Request, type Response, type Router } from 'express';
import { decodeOtlpTraceRequest, encodeOtlpErrorStatus, encodeOtlpTraceResponse, InvalidOtlpRequestError, type OtlpBodyFormat } from '../otlp/wire/decode';
import { accessTokenCheck } from './access-token';
import { MAX_REPORT_BYTES, type ReportsOptions } from './reports';
import type { TraceStore } from './store';

export const OTLP_TRACES_PATH = '/v1/traces';

const CONTENT_TYPES: Record<OtlpBodyFormat, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };
/** google.rpc.Code INVALID_ARGUMENT, UNAUTHENTICATED. */
const INVALID_ARGUMENT = 3;
const UNAUTHENTICATED = 16;

function formatOf(req: Request): OtlpBodyFormat | undefined {
  const type = (req.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

export function otlpTracesRouter(store: TraceStore, options: ReportsOptions = {}): Router {
  const tokenIsAccepted = accessTokenCheck(options.accessToken);
  const router = express.Router();
  router.post(
    OTLP_TRACES_PATH,
    // Any content type reaches the handler (it answers 415 itself); gzip and deflate are inflated here.
    express.raw({ type: () => true, limit: MAX_REPORT_BYTES }),
    (req: Request, res: Response) => {
      const format = formatOf(req);
      if (format === undefined) {
        res.status(415).type('text/plain').send('expected Content-Type application/x-protobuf or application/json (OTLP/HTTP)');
        return;
      }
      const answer = (status: number, body: Buffer) => res.status(status).type(CONTENT_TYPES[format]).send(body);
      // LightStep's OTLP endpoint takes the project token in this header; any token unless one is configured.
      if (!tokenIsAccepted(req.get('lightstep-access-token'))) {
        answer(401, encodeOtlpErrorStatus(format, UNAUTHENTICATED, 'access token not accepted'));
        return;
      }
      const body: unknown = req.body;
      let decoded;
      try {
        decoded = decodeOtlpTraceRequest(Buffer.isBuffer(body) ? body : Buffer.alloc(0), format);
      } catch (err) {
        if (!(err instanceof InvalidOtlpRequestError)) throw err;
        answer(400, encodeOtlpErrorStatus(format, INVALID_ARGUMENT, err.message));
        return;
      }
      const inserted = store.addSpans(decoded.spans);
      options.onReport?.({ component: decoded.spans[0]?.component ?? '', spans: decoded.spans.length, inserted, protocol: 'otlp' });
      answer(200, encodeOtlpTraceResponse(format, decoded));
    },
  );
  return router;
}
