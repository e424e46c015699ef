// SERVICE_TRACER=otel: the same OpenTracing route code, traced by the OpenTelemetry SDK through
// @opentelemetry/shim-opentracing, propagating W3C trace context (traceparent, and baggage) and
// exporting OTLP/HTTP protobuf. The service runs locally: the SDK is a dev dependency.
import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TracerShim } from '@opentelemetry/shim-opentracing';
import type { Tracer } from 'opentracing';
import type { OtlpTarget } from '../otlp/target';
import { SERVICE_COMPONENT_NAME, type ServiceTracer } from './tracer';

/** W3C trace context and baggage, handed to the shim (no global propagator is set). */
export function w3cPropagator(): TextMapPropagator {
  return new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
}

/**
 * An OpenTracing tracer backed by the OpenTelemetry SDK. The OTLP exporter is given every
 * setting from `target` (src/otlp/target reads them), so it reads nothing from the environment
 * itself; it always speaks protobuf. Spans are batched and flushed after every /ot-gen, like the
 * LightStep tracer.
 */
export function createOtelServiceTracer(target: OtlpTarget): ServiceTracer {
  const exporter = new OTLPTraceExporter({
    url: target.url,
    headers: target.headers,
    compression: target.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
    timeoutMillis: target.timeoutMillis,
  });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_COMPONENT_NAME }),
    spanProcessors: [new BatchSpanProcessor(exporter, { exportTimeoutMillis: target.timeoutMillis })],
  });
  const propagator = w3cPropagator();
  const tracer: Tracer = new TracerShim(provider.getTracer(SERVICE_COMPONENT_NAME), { textMapPropagator: propagator, httpHeadersPropagator: propagator });
  // forceFlush rejects when an export failed (after the exporter's own retries).
  const flush = (): Promise<boolean> => provider.forceFlush().then(() => true, () => false);
  return {
    tracer,
    flush,
    async close() {
      await flush();
      await provider.shutdown().catch(() => undefined);
    },
  };
}
