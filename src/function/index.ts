// The function-side public API: trace your own Lambda handlers with span lines on stdout.
export { LogTracer, type LogTracerOptions } from './log-tracer';
export { LogSpan } from './log-span';
export { LogSpanContext } from './log-span-context';
export { hasInvocationScopes, type InvocationScopes } from './invocation-scope';
export { traced, DEFAULT_OPERATION_NAME, DEFAULT_TIMEOUT_MARGIN_MS, type TracedHandler, type TracedOptions } from './traced';
export {
  extractContext,
  injectContext,
  readPropagators,
  createPropagation,
  PROPAGATORS_VARIABLE,
  PROPAGATOR_NAMES,
  DEFAULT_PROPAGATORS,
  TRACE_ID_HEADER,
  SPAN_ID_HEADER,
  SAMPLED_HEADER,
  type Propagation,
  type PropagatorName,
} from './propagation';
export { MASK, DEFAULT_MASK_WORDS, MASK_KEYS_VARIABLE, MAX_CACHED_KEYS } from './secret-mask';
export { readHttpEvent, type HttpRequest } from './http-event';
export { writeStdoutLine } from '../common/sync-stdout';
export { reanchorClock } from './clock';
export { createDemoHandler } from './demo-handler';
export { demoWork, type JsonResponse } from './demo-work';
