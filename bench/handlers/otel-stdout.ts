/**
 * Peer: the OpenTelemetry SDK with @dev7a/otlp-stdout-span-exporter, wired as that package's
 * README says (NodeTracerProvider, BatchSpanProcessor around the exporter, provider.register()),
 * plus the one thing every Lambda needs from a batching processor: forceFlush() before the
 * handler returns (a frozen container runs no timers). The spans are ours: `lambda-execution`
 * (kind SERVER, the traced() tags as attributes) joined to the caller through the W3C
 * `traceparent` header, and the same children as every other 11-span handler.
 */
import { OTLPStdoutSpanExporter } from '@dev7a/otlp-stdout-span-exporter';
import { propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Context } from 'aws-lambda';
import { readHttpEvent } from '../../src/function/http-event';
import { CHILD_OPERATION, childSpansFromEnv, childTags, INVOCATION_OPERATION, invocationTags, untracedAnswer, workUnit } from './workload';

const provider = new NodeTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new OTLPStdoutSpanExporter({ gzipLevel: 6 }))],
});
provider.register();
const tracer = trace.getTracer('lambda_function');
const children = childSpansFromEnv();
let checksum = 0;

export const handler = async (event: unknown, context: Context) => {
  const parent = propagation.extract(ROOT_CONTEXT, readHttpEvent(event).headers ?? {});
  const { 'span.kind': _kind, ...attributes } = invocationTags(event, context);
  try {
    return await tracer.startActiveSpan(INVOCATION_OPERATION, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
      try {
        for (let i = 0; i < children; i++) {
          const child = tracer.startSpan(CHILD_OPERATION, { attributes: childTags(i) });
          checksum += workUnit(i);
          child.end();
        }
        const result = await untracedAnswer(event, context);
        span.setAttribute('http.status_code', result.statusCode);
        return result;
      } finally {
        span.end();
      }
    });
  } finally {
    await provider.forceFlush();
  }
};

export const workDone = (): number => checksum;
