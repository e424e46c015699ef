import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../scripts/build';

/**
 * The invocation every mode handles: the HTTP API v2 sample event (events/http-api-v2.json) as
 * the service's plain call makes it, i.e. without the `n` that asks the demo for a compute
 * child span, so the demo handler writes exactly one span. The caller's context comes in the
 * format each tracer reads by default, so every one makes a child span of the same caller:
 * `native` carries LightStep's ot-tracer-* headers only (what this project's service sends,
 * 64-bit ids); `w3c` adds the same ids as a W3C `traceparent`, which the OpenTelemetry SDK and
 * dd-trace extract (and ours would prefer, with its 128-bit trace id).
 */
export type EventFlavour = 'native' | 'w3c';

export function benchEvent(flavour: EventFlavour = 'native'): Record<string, unknown> {
  const event = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', 'http-api-v2.json'), 'utf8')) as Record<string, unknown> & {
    headers: Record<string, string>;
  };
  delete event.queryStringParameters;
  delete event.body;
  event.rawQueryString = '';
  event.isBase64Encoded = false;
  delete event.headers['content-length'];
  if (flavour === 'w3c') {
    const traceId = event.headers['ot-tracer-traceid'].padStart(32, '0');
    event.headers.traceparent = `00-${traceId}-${event.headers['ot-tracer-spanid']}-01`;
  }
  return event;
}

export type BenchEventFiles = Record<EventFlavour, string>;

/** Both flavours of the bench event in temporary files, for the workers. */
export function writeBenchEvents(): BenchEventFiles {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-event-'));
  const files = { native: path.join(dir, 'native.json'), w3c: path.join(dir, 'w3c.json') };
  for (const flavour of ['native', 'w3c'] as const) writeFileSync(files[flavour], JSON.stringify(benchEvent(flavour)));
  return files;
}
