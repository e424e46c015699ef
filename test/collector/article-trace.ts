// Reports the article's trace shape with the real lightstep-tracer: `router` (node-service) →
// N `service-egress` → each one `lambda-execution` reported by a second tracer (lambda_function)
// as a child of the egress span's injected context. Timestamps are explicit, so the waterfall
// has a known shape.
import * as opentracing from 'opentracing';
import { flush, idsOf, tracerFor } from './lightstep';

export interface ArticleTrace {
  traceId: string;
  routerId: string;
  egressIds: string[];
  /** lambdaIds[i] is the child of egressIds[i]. */
  lambdaIds: string[];
}

export async function reportArticleTrace(port: number, calls = 3, failingCall = -1): Promise<ArticleTrace> {
  const service = tracerFor(port, 'node-service');
  const lambda = tracerFor(port, 'lambda_function');
  const t0 = Date.now() - 500;

  const router = service.startSpan('router', { startTime: t0, tags: { 'http.method': 'GET', 'http.url': `/ot-gen?count=${calls}` } });
  const egressIds: string[] = [];
  const lambdaIds: string[] = [];
  let end = t0;
  for (let i = 0; i < calls; i++) {
    const egressStart = t0 + 2 + i * 4;
    const egress = service.startSpan('service-egress', { childOf: router, startTime: egressStart, tags: { 'call.index': i } });
    const headers: Record<string, string> = {};
    service.inject(egress.context(), opentracing.FORMAT_HTTP_HEADERS, headers);

    const lambdaStart = egressStart + 9;
    const lambdaDuration = 40 + i * 17;
    const exec = lambda.startSpan('lambda-execution', {
      childOf: lambda.extract(opentracing.FORMAT_HTTP_HEADERS, headers)!,
      startTime: lambdaStart,
      tags: { 'aws.request_id': `req-${i}`, 'faas.coldstart': i === 0, 'faas.name': 'ot-demo' },
    });
    exec.log({ event: 'work done', items: i + 1 }, lambdaStart + lambdaDuration - 2);
    const failed = i === failingCall;
    if (failed) {
      exec.setTag('error', true);
      exec.log({ event: 'error', message: 'demo failure requested' }, lambdaStart + lambdaDuration - 1);
    }
    exec.finish(lambdaStart + lambdaDuration);

    const egressEnd = lambdaStart + lambdaDuration + 6;
    if (failed) {
      egress.setTag('error', true);
      egress.log({ event: 'error', message: 'remote request failed: 500' }, egressEnd);
    } else {
      egress.log({ event: 'remote request ok', status: 200 }, egressEnd);
    }
    egress.finish(egressEnd);
    end = Math.max(end, egressEnd);
    egressIds.push(idsOf(egress).spanId);
    lambdaIds.push(idsOf(exec).spanId);
  }
  router.finish(end + 3);

  const errs = [await flush(lambda), await flush(service)];
  if (errs.some((e) => e !== null)) throw new Error(`flush failed: ${errs.map(String).join(', ')}`);
  const { traceId, spanId } = idsOf(router);
  return { traceId, routerId: spanId, egressIds, lambdaIds };
}
