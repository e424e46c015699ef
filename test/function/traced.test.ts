import type { Span } from 'opentracing';
import { DEFAULT_TIMEOUT_MARGIN_MS, traced } from '../../src/function/traced';
import { createDemoHandler } from '../../src/function/demo-handler';
import { demoWork, errorResponse } from '../../src/function/demo-work';
import { LogTracer } from '../../src/function/log-tracer';
import { capturingTracer, decodeAll, lambdaContext, loadEvent } from './helpers/lambda';

const EVENTS = [
  { file: 'apigw-rest-v1.json', caller: { trace: '5b8aa5a2d2c872e8', span: '9d2c5f1b3a4e6f70' }, method: 'POST', status: 200 },
  { file: 'http-api-v2.json', caller: { trace: '7a3b9c1d2e4f5a6b', span: '4e1f0a9b8c7d6e5f' }, method: 'POST', status: 200 },
  { file: 'function-url.json', caller: { trace: '1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f', span: '0f1e2d3c4b5a6978' }, method: 'GET', status: 500 },
];

describe('the demo handler (createDemoHandler) with each API event shape', () => {
  const { tracer, lines } = capturingTracer();
  const handler = createDemoHandler(tracer);
  const coldStarts: unknown[] = [];

  test.each(EVENTS)('$file: lambda-execution is the caller span\'s child, tagged, compute is its child', async (sample) => {
    lines.length = 0;
    const response = await handler(loadEvent(sample.file) as never, lambdaContext());
    expect(response.statusCode).toBe(sample.status);
    const [compute, execution] = decodeAll(lines);
    coldStarts.push(execution.tags['faas.coldstart']);
    expect(execution.operation).toBe('lambda-execution');
    expect(execution.component).toBe('lambda_function');
    expect(execution.traceId).toBe(sample.caller.trace);
    expect(execution.parentSpanId).toBe(sample.caller.span);
    expect(execution.tags).toMatchObject({
      'span.kind': 'server',
      'aws.request_id': 'c0ffee00-0000-4000-8000-000000000001',
      'faas.name': 'demo-function',
      'faas.version': '7',
      'http.method': sample.method,
      'http.path': '/compute',
      'http.status_code': sample.status,
    });
    expect(compute.operation).toBe('compute');
    expect(compute.parentSpanId).toBe(execution.spanId);
    expect(compute.traceId).toBe(sample.caller.trace);
    if (sample.status === 200) {
      expect(JSON.parse(response.body)).toEqual({ ok: true, traceId: sample.caller.trace, spanId: execution.spanId });
      expect(execution.tags.error).toBeUndefined();
    }
  });

  test('faas.coldstart is true on the first invocation in the process only', async () => {
    // A fresh module registry is a fresh container: this test holds whatever order the file runs in.
    let fresh!: typeof import('../../src/function/demo-handler');
    jest.isolateModules(() => {
      fresh = require('../../src/function/demo-handler') as typeof import('../../src/function/demo-handler');
    });
    const captured = capturingTracer();
    const coldHandler = fresh.createDemoHandler(captured.tracer);
    for (let i = 0; i < 3; i++) await coldHandler(loadEvent('http-api-v2.json') as never, lambdaContext());
    const executions = decodeAll(captured.lines).filter((span) => span.operation === 'lambda-execution');
    expect(executions.map((span) => span.tags['faas.coldstart'])).toEqual([true, false, false]);
    // The same holds for the handler above in this file's own registry: only its first call was cold.
    expect(coldStarts.filter((cold) => cold === true).length).toBeLessThanOrEqual(1);
  });

  test('REST v1 baggage arrives from mixed-case OT-Baggage-* headers; base64 v2 body is decoded', async () => {
    lines.length = 0;
    await handler(loadEvent('apigw-rest-v1.json') as never, lambdaContext());
    await handler(loadEvent('http-api-v2.json') as never, lambdaContext());
    const [restCompute, restExecution, v2Compute] = decodeAll(lines);
    expect(restExecution.baggage).toEqual({ customer: 'acme' });
    expect(restCompute.tags['demo.n']).toBe(50); // from the v1 JSON body
    expect(v2Compute.tags['demo.n']).toBe(20); // from the base64 v2 body
  });

  test('only multiValueHeaders carry the context (REST v1): still joined to the caller', async () => {
    lines.length = 0;
    const event = loadEvent('apigw-rest-v1.json');
    event.headers = { Host: 'example.com' };
    await handler(event as never, lambdaContext());
    expect(decodeAll(lines)[1].parentSpanId).toBe('9d2c5f1b3a4e6f70');
  });
});

describe('failures', () => {
  test('"fail": true in the body -> 500 JSON, error=true and an error log on lambda-execution and compute', async () => {
    const { tracer, lines } = capturingTracer();
    const handler = traced(demoWork, { tracer, errorResponse });
    const event = { ...loadEvent('http-api-v2.json'), body: JSON.stringify({ fail: true }), isBase64Encoded: false };
    const response = await handler(event as never, lambdaContext());
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ ok: false, error: 'failure requested by the caller' });
    const [compute, execution] = decodeAll(lines);
    expect(compute.tags.error).toBe(true);
    expect(execution.tags.error).toBe(true);
    expect(execution.logs).toHaveLength(1);
    expect(execution.logs[0].fields).toMatchObject({
      event: 'error',
      message: 'failure requested by the caller',
      'error.kind': 'RequestedFailure',
    });
    expect(String(execution.logs[0].fields.stack)).toContain('RequestedFailure');
    expect(lines).toHaveLength(1); // the invocation's spans, written together when it settled
    expect(lines[0]).not.toContain('"trunc"'); // a routine error does not count as a truncated line
  });

  test('without errorResponse the error is rethrown unchanged, after the span line is out', async () => {
    const { tracer, lines } = capturingTracer();
    const thrown = new TypeError('boom');
    const handler = traced(async () => {
      throw thrown;
    }, { tracer });
    await expect(handler({}, lambdaContext())).rejects.toBe(thrown);
    const [execution] = decodeAll(lines);
    expect(execution.tags.error).toBe(true);
    expect(execution.logs[0].fields).toMatchObject({ event: 'error', message: 'boom', 'error.kind': 'TypeError' });
  });

  test.each([
    ['no headers at all', {}],
    ['headers null', { headers: null }],
    ['garbage trace headers', { headers: { 'ot-tracer-traceid': 'zzz', 'ot-tracer-spanid': '!!' } }],
    ['not an object', 'just a string'],
    ['malformed JSON body', { headers: {}, body: '{"fail": tru' }],
  ])('%s -> a new root trace and a 200, never a crash', async (_label, event) => {
    const { tracer, lines } = capturingTracer();
    const handler = traced(demoWork, { tracer, errorResponse });
    const response = await handler(event as never, lambdaContext());
    expect(response.statusCode).toBe(200);
    const spans = decodeAll(lines);
    const execution = spans.find((span) => span.operation === 'lambda-execution')!;
    expect(execution.parentSpanId).toBeUndefined();
  });

  test('telemetry failures never break the handler: throwing emit, throwing extract, failing afterInvocation', async () => {
    const telemetryErrors: unknown[] = [];
    const brokenEmit = new LogTracer({
      componentName: 'x',
      emit: () => {
        throw new Error('stdout closed');
      },
    });
    const brokenExtract = new LogTracer({ componentName: 'x', emit: () => undefined });
    brokenExtract.extract = () => {
      throw new Error('extract exploded');
    };
    for (const tracer of [brokenEmit, brokenExtract]) {
      const handler = traced(async () => ({ statusCode: 200 }), {
        tracer,
        afterInvocation: () => Promise.reject(new Error('flush failed')),
        onTelemetryError: (error) => telemetryErrors.push(error),
      });
      const event = { headers: { 'ot-tracer-traceid': 'aaaaaaaaaaaaaaaa', 'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb' } };
      await expect(handler(event, lambdaContext())).resolves.toEqual({ statusCode: 200 });
    }
    expect(telemetryErrors.map((error) => (error as Error).message)).toEqual(['flush failed', 'extract exploded', 'flush failed']);
  });
});

describe('timeout guard', () => {
  test('spans still open near the deadline are finished with error=true and a timeout log', async () => {
    let released!: () => void;
    const release = new Promise<void>((resolve) => (released = resolve));
    const lines: string[] = [];
    let guardFired!: () => void;
    const fired = new Promise<void>((resolve) => (guardFired = resolve));
    const tracer = new LogTracer({
      componentName: 'lambda_function',
      emit: (line) => {
        lines.push(line);
        if (line.includes('"op":"lambda-execution"')) guardFired();
      },
    });
    const handler = traced(
      async (_event: unknown, _context, span: Span) => {
        const t = span.tracer();
        t.startSpan('done-before', { childOf: span }).finish();
        const hanging = t.startSpan('db-query', { childOf: span });
        t.startSpan('nested-wait', { childOf: hanging });
        await release; // hangs past the deadline
        hanging.finish(); // too late: already finished by the guard
        return { statusCode: 200 };
      },
      { tracer, timeoutMarginMs: 50 },
    );
    const invocation = handler({}, lambdaContext({ getRemainingTimeInMillis: () => 80 }));
    await fired; // the guard fired while the handler was still pending
    const spans = decodeAll(lines);
    expect(spans.map((s) => s.operation)).toEqual(['done-before', 'nested-wait', 'db-query', 'lambda-execution']);
    for (const span of spans.slice(1)) {
      expect(span.tags.error).toBe(true);
      expect(span.logs[span.logs.length - 1].fields.event).toBe('timeout');
    }
    expect(spans[0].tags.error).toBeUndefined();
    released();
    await expect(invocation).resolves.toEqual({ statusCode: 200 });
    expect(lines).toHaveLength(1); // one line, written by the guard: nothing twice when the handler settles late
    expect(decodeAll(lines)).toHaveLength(4);
  });

  test('a handler that settles in time clears the guard: no timeout lines afterwards', async () => {
    const { tracer, lines } = capturingTracer();
    const handler = traced(async () => 'ok', { tracer, timeoutMarginMs: 50 });
    await handler({}, lambdaContext({ getRemainingTimeInMillis: () => 70 }));
    await new Promise((resolve) => setTimeout(resolve, 60)); // past the moment the guard would have fired
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('timeout');
  });

  test('the guard also covers a tracer without invocation scopes (the invocation span itself)', async () => {
    const { tracer: inner, lines } = capturingTracer();
    // A plain opentracing.Tracer facade over LogTracer: traced() cannot see its open spans.
    const facade = {
      startSpan: inner.startSpan.bind(inner),
      extract: (format: string, carrier: unknown) => inner.extract(format, carrier),
      inject: inner.inject.bind(inner),
    } as unknown as LogTracer;
    let release!: () => void;
    const handler = traced(() => new Promise<string>((resolve) => (release = () => resolve('late'))), {
      tracer: facade,
      timeoutMarginMs: 50,
    });
    const invocation = handler({}, lambdaContext({ getRemainingTimeInMillis: () => 60 }));
    while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(decodeAll(lines)[0].tags.error).toBe(true);
    release();
    await invocation;
  });
});

describe('the timeout guard, on a fake clock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A context whose remaining time counts down on the (fake) clock. */
  function countdown(ms: number) {
    const deadline = Date.now() + ms;
    return lambdaContext({ getRemainingTimeInMillis: () => deadline - Date.now() });
  }

  test(`fires ${DEFAULT_TIMEOUT_MARGIN_MS} ms before the deadline by default, not earlier`, async () => {
    expect(DEFAULT_TIMEOUT_MARGIN_MS).toBe(50);
    const { tracer, lines } = capturingTracer();
    const invocation = traced(() => new Promise<string>(() => undefined), { tracer })({}, countdown(1000));
    await jest.advanceTimersByTimeAsync(1000 - DEFAULT_TIMEOUT_MARGIN_MS - 1);
    expect(lines).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(decodeAll(lines).map((span) => [span.operation, span.tags.error])).toEqual([['lambda-execution', true]]);
    void invocation;
  });

  test('starts afterInvocation when it fires, while the handler still hangs', async () => {
    const { tracer, lines } = capturingTracer();
    let flushes = 0;
    const invocation = traced(() => new Promise<string>(() => undefined), {
      tracer,
      afterInvocation: () => {
        flushes++;
      },
    })({}, countdown(500));
    await jest.advanceTimersByTimeAsync(500 - DEFAULT_TIMEOUT_MARGIN_MS);
    expect(lines).toHaveLength(1);
    expect(flushes).toBe(1); // direct mode's flush gets its chance before Lambda kills the process
    void invocation;
  });

  test('is cleared when the handler settles: it never fires afterwards (no second afterInvocation, no timeout line)', async () => {
    const { tracer, lines } = capturingTracer();
    let flushes = 0;
    const handler = traced(async () => 'ok', {
      tracer,
      afterInvocation: () => {
        flushes++;
      },
    });
    await handler({}, countdown(200));
    expect(flushes).toBe(1);
    expect(jest.getTimerCount()).toBe(0); // nothing left armed
    await jest.advanceTimersByTimeAsync(1000);
    expect(flushes).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('timeout');
  });
});
