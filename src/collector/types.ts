import type { WireLog, WireSpan, WireValue } from '../lightstep/wire';

/** The lower 64 bits of a 16- or 32-hex trace id: the key both wires share. */
export function traceKey(traceId: string): string {
  return traceId.toLowerCase().slice(-16).padStart(16, '0');
}

// The collector knows only what arrives on the wire: a stored span is the span as LightStep's
// report format or an OTLP request carries it (component '' when the reporter sent none).

/** A tag or log-field value as stored: the wire's type is kept. */
export type StoredValue = WireValue;

export type StoredLog = WireLog;

/**
 * A span as stored. The trace is keyed by the lower 64 bits of its id (what LightStep's wire
 * carries), so the halves of one trace that came by either wire meet: `traceId` is 16 hex from a
 * LightStep report, 32 hex from OTLP.
 */
export interface StoredSpan extends WireSpan {
  /** OTLP's resource attributes (service.name is the component); absent for LightStep reports. */
  resource?: Record<string, StoredValue>;
}

/** One row of the recent-traces list. */
export interface TraceSummary {
  /** 32 hex when any of its spans came with a 128-bit id, else 16 hex. */
  traceId: string;
  rootOperation: string;
  rootComponent: string;
  spanCount: number;
  /** From the earliest start to the latest end of any span in the trace. */
  durationMicros: number;
  /** The earliest span start, microseconds since the Unix epoch. */
  startMicros: number;
  /** Spans tagged error=true (boolean or the string 'true'). */
  errorCount: number;
}

/** A span is an error span when tagged error=true; lightstep-tracer sends every tag as a string. */
export function isErrorSpan(tags: Record<string, StoredValue>): boolean {
  return tags.error === true || tags.error === 'true';
}
