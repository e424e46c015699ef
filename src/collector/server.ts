// The embedded collector: accepts lightstep-tracer's real reports and OTLP/HTTP trace exports,
// stores them, and serves them back as JSON and as a trace page.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRouter } from './api';
import { pagesRouter } from './pages/routes';
import { otlpTracesRouter } from './otlp-traces';
import { MAX_REPORT_BYTES, reportsRouter, type ReportInfo } from './reports';
import { DEFAULT_DB_PATH, TraceStore } from './store';

export interface CollectorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** SQLite file (created with its directory) or ':memory:'. Default .local/collector.sqlite. */
  dbPath?: string;
  /** When set, reports presenting another token get 401. Default: any token is accepted. */
  accessToken?: string;
  /** Called after each stored report (e.g. to log a line). */
  onReport?: (info: ReportInfo) => void;
}

export interface RunningCollector {
  /** http://HOST:PORT */
  url: string;
  port: number;
  store: TraceStore;
  /** Stops listening, drops kept-alive connections, closes the store. */
  close(): Promise<void>;
}

/** Body-parser failures (too large, bad encoding) as short text answers the tracer can log. */
function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const status = (err as { status?: unknown }).status;
  if (status === 413) {
    res.status(413).type('text/plain').send(`report too large (limit ${MAX_REPORT_BYTES} bytes)`);
  } else if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).type('text/plain').send(`bad request: ${(err as Error).message}`);
  } else {
    res.status(500).type('text/plain').send('internal error');
  }
}

export function createCollectorApp(store: TraceStore, opts: CollectorOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(reportsRouter(store, { accessToken: opts.accessToken, onReport: opts.onReport }));
  app.use(otlpTracesRouter(store, { accessToken: opts.accessToken, onReport: opts.onReport }));
  app.use(apiRouter(store));
  app.use(pagesRouter(store));
  app.use(errorHandler);
  return app;
}

export async function startCollector(opts: CollectorOptions = {}): Promise<RunningCollector> {
  const host = opts.host ?? '127.0.0.1';
  const store = new TraceStore(opts.dbPath ?? DEFAULT_DB_PATH);
  const app = createCollectorApp(store, opts);

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(opts.port ?? 0, host);
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    store.close();
    throw err;
  }

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => {
          store.close();
          if (err) reject(err);
          else resolve();
        });
        // Tracers keep their sockets alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
