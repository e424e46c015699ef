import { ConfigError, setting, type Env } from '../../common/env';
import { newId } from '../ids';
import { LogSpanContext, NO_BAGGAGE } from '../log-span-context';
import { B3_HEADERS, b3DeniesWithoutIds, extractB3Multi, extractB3Single, injectB3Multi, injectB3Single } from './b3';
import { BAGGAGE_HEADER, extractW3cBaggage, injectW3cBaggage } from './baggage';
import { findHeaders, selectHeaders } from './headers';
import { extractOtBaggage, extractOtTrace, injectOtTrace, OT_BAGGAGE_PREFIX, OT_TRACE_HEADERS } from './ottrace';
import { extractW3c, injectW3c, TRACEPARENT_HEADER, TRACESTATE_HEADER } from './w3c';

export { TRACE_ID_HEADER, SPAN_ID_HEADER, SAMPLED_HEADER, injectOtTrace } from './ottrace';
export type { HeaderCarrier } from './headers';

/** OpenTelemetry's variable for the propagation formats (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/). */
export const PROPAGATORS_VARIABLE = 'OTEL_PROPAGATORS';
export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'ottrace'] as const;
export type PropagatorName = (typeof PROPAGATOR_NAMES)[number];
/** LightStep's format, as before OTEL_PROPAGATORS was read: a LightStep-traced service downstream keeps joining. */
export const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['ottrace'];

type Injector = (context: LogSpanContext, carrier: Record<string, string>) => void;
const INJECTORS: Record<PropagatorName, Injector> = {
  tracecontext: injectW3c,
  baggage: injectW3cBaggage,
  b3: injectB3Single,
  b3multi: injectB3Multi,
  ottrace: injectOtTrace,
};

/** How a tracer writes contexts into outgoing headers, and how it mints trace ids. */
export interface Propagation {
  readonly propagators: readonly PropagatorName[];
  /** Writes the context into the carrier in every configured format, in the configured order. */
  inject(context: LogSpanContext, carrier: unknown): void;
  /** A new root's trace id: 128-bit (32 hex) when tracecontext is configured (W3C ids are 128-bit), else 64-bit as LightStep's. */
  newTraceId(): string;
}

/**
 * OTEL_PROPAGATORS: a comma-separated list of tracecontext, baggage, b3, b3multi, ottrace, or
 * `none` alone; unset or empty means ottrace. Names are trimmed and compared lowercase; repeats
 * count once. Anything else fails (the cold start) with a message naming the variable.
 */
export function readPropagators(env: Env): readonly PropagatorName[] {
  const raw = setting(env, PROPAGATORS_VARIABLE);
  if (raw === undefined) return DEFAULT_PROPAGATORS;
  const names: PropagatorName[] = [];
  let none = false;
  for (const part of raw.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'none') none = true;
    else if (!(PROPAGATOR_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError(
        `${PROPAGATORS_VARIABLE}: unsupported propagator ${JSON.stringify(name.slice(0, 40))} (supported: ${PROPAGATOR_NAMES.join(', ')}, or none)`,
      );
    } else if (!names.includes(name as PropagatorName)) names.push(name as PropagatorName);
  }
  if (none && names.length > 0) throw new ConfigError(`${PROPAGATORS_VARIABLE}: none cannot be combined with ${names.join(', ')}`);
  return none ? [] : names.length === 0 ? DEFAULT_PROPAGATORS : names;
}

export function createPropagation(propagators: readonly PropagatorName[]): Propagation {
  for (const name of propagators) {
    if (!Object.hasOwn(INJECTORS, name)) throw new Error(`unsupported propagator ${JSON.stringify(String(name))} (supported: ${PROPAGATOR_NAMES.join(', ')})`);
  }
  const injectors = propagators.map((name) => INJECTORS[name]);
  const newTraceId = propagators.includes('tracecontext') ? newTraceId128 : newId;
  return {
    propagators: [...propagators],
    inject(context, carrier) {
      if (carrier === null || typeof carrier !== 'object') return;
      for (const injector of injectors) injector(context, carrier as Record<string, string>);
    },
    newTraceId,
  };
}

let fromEnvironment: Propagation | undefined;

/** OTEL_PROPAGATORS of this process, read on first use and never again (once per container, not per invocation). */
export function propagationFromEnvironment(): Propagation {
  return (fromEnvironment ??= createPropagation(readPropagators(process.env)));
}

// Every header any format reads, prepared once.
const TRACING_HEADERS = selectHeaders([TRACEPARENT_HEADER, ...B3_HEADERS, ...OT_TRACE_HEADERS], [TRACESTATE_HEADER, BAGGAGE_HEADER], [OT_BAGGAGE_PREFIX]);

/**
 * The caller's context from a header map, whatever OTEL_PROPAGATORS says (it governs what is
 * written, not what is understood): W3C traceparent (with tracestate), else B3 single `b3`, else
 * B3 multi `x-b3-*`, else LightStep's `ot-tracer-*`. A malformed or zero-id header falls through
 * to the next format; null when none is usable (the caller starts a new root). A B3 deny without
 * ids (`b3: 0`) gives an unsampled context of fresh ids, so nothing records the invocation and
 * the deny travels on. Baggage comes from `baggage` and `ot-baggage-*` (on the same key,
 * `baggage` wins, as traceparent does). Names any case, single or multi-value. Never throws.
 */
export function extractContext(carrier: unknown, newTraceId: () => string = newId): LogSpanContext | null {
  const headers = findHeaders(carrier, TRACING_HEADERS);
  if (headers === null) return null;
  const ids = extractW3c(headers) ?? extractB3Single(headers) ?? extractB3Multi(headers) ?? extractOtTrace(headers);
  if (ids === null) return b3DeniesWithoutIds(headers) ? new LogSpanContext(newTraceId(), newId(), false) : null;
  const otBaggage = extractOtBaggage(headers);
  const w3cBaggage = extractW3cBaggage(headers);
  const baggage = otBaggage === undefined ? w3cBaggage : w3cBaggage === undefined ? otBaggage : Object.assign(otBaggage, w3cBaggage);
  return new LogSpanContext(ids.traceId, ids.spanId, ids.sampled, baggage ?? NO_BAGGAGE, ids.traceState);
}

/** Writes the context in the formats OTEL_PROPAGATORS names (default: ottrace). */
export function injectContext(context: LogSpanContext, carrier: unknown, propagation: Propagation = propagationFromEnvironment()): void {
  propagation.inject(context, carrier);
}

/** 32 hex: the lower half from the id source (never zero, as LightStep's wire needs), so never all zero (as W3C forbids). */
function newTraceId128(): string {
  return newId() + newId();
}
