import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Tracer } from 'opentracing';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { otGenHandler } from './ot-gen';

export interface ServiceAppOptions {
  tracer: Tracer;
  /** Reports finished spans after each /ot-gen; resolves whether that worked. */
  flush: () => Promise<boolean>;
  lambdaUrl: string;
  maxCount: number;
  /** Base URL of the trace page; the response's traceUrl is `<base>/traces/<traceId>`. */
  tracePageBaseUrl?: string;
  /** Access and error logs. Default: pino to stdout. */
  logger?: Logger;
  callTimeoutMs?: number;
}

/** The service's Express app, without a listening socket (startService listens). */
export function createServiceApp(options: ServiceAppOptions): Express {
  const logger = options.logger ?? pino();
  const base = options.tracePageBaseUrl?.replace(/\/$/, '');
  const app = express();
  app.disable('x-powered-by');
  app.use(pinoHttp({ logger }));

  app.get('/', (_req, res) => {
    res.json({ service: 'node-service', try: '/ot-gen?count=3' });
  });
  app.get(
    '/ot-gen',
    otGenHandler({
      tracer: options.tracer,
      flush: options.flush,
      lambdaUrl: options.lambdaUrl,
      maxCount: options.maxCount,
      callTimeoutMs: options.callTimeoutMs,
      traceUrl: (traceId) => (base ? `${base}/traces/${traceId}` : null),
    }),
  );
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found: try GET /ot-gen?count=3' });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    req.log.error({ err }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
