/**
 * Peer: Datadog's dd-trace 6 in Lambda mode without the extension (AWS_LAMBDA_FUNCTION_NAME set,
 * no /opt/extensions/datadog-agent): flushInterval 0 and the LogExporter, which writes each
 * finished trace as a JSON line on stdout for the Datadog Forwarder to pick up. Kept external
 * to the bundle as Datadog's bundler guide says (it comes from the Datadog Lambda layer, here
 * node_modules). The spans are ours: `lambda-execution` with the traced() tags, joined to the
 * caller through `traceparent` (dd-trace extracts W3C trace context by default), and the same
 * children as every other 11-span handler.
 */
import './dd-trace-init';
import tracer from 'dd-trace';
import type { Context } from 'aws-lambda';
import { readHttpEvent } from '../../src/function/http-event';
import { CHILD_OPERATION, childSpansFromEnv, childTags, INVOCATION_OPERATION, invocationTags, untracedAnswer, workUnit } from './workload';

const children = childSpansFromEnv();
let checksum = 0;

export const handler = async (event: unknown, context: Context) => {
  const parent = tracer.extract('http_headers', readHttpEvent(event).headers ?? {});
  return tracer.trace(INVOCATION_OPERATION, { childOf: parent ?? undefined, tags: invocationTags(event, context) }, async (span) => {
    for (let i = 0; i < children; i++) tracer.trace(CHILD_OPERATION, { tags: childTags(i) }, () => (checksum += workUnit(i)));
    const result = await untracedAnswer(event, context);
    span?.setTag('http.status_code', result.statusCode);
    return result;
  });
};

export const workDone = (): number => checksum;
