import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../scripts/build';

/**
 * The invocation every mode handles: the HTTP API v2 sample event (events/http-api-v2.json) as
 * the service's plain call makes it, i.e. without the `n` that asks the demo for a compute
 * child span, so the demo handler writes exactly one span. It carries the caller's context
 * twice: LightStep's ot-tracer-* headers (ours) and the same ids as a W3C `traceparent` (what
 * the OpenTelemetry SDK and dd-trace extract by default), so every tracer makes a child span.
 */
export function benchEvent(): Record<string, unknown> {
  const event = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', 'http-api-v2.json'), 'utf8')) as Record<string, unknown> & {
    headers: Record<string, string>;
  };
  delete event.queryStringParameters;
  delete event.body;
  event.rawQueryString = '';
  event.isBase64Encoded = false;
  delete event.headers['content-length'];
  const traceId = event.headers['ot-tracer-traceid'].padStart(32, '0');
  event.headers.traceparent = `00-${traceId}-${event.headers['ot-tracer-spanid']}-01`;
  return event;
}

/** The bench event in a temporary file, for the workers. */
export function writeBenchEvent(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(benchEvent()));
  return file;
}
