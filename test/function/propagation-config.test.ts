import { validateHeaderName, validateHeaderValue } from 'node:http';
import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { ConfigError } from '../../src/common/env';
import { LogSpanContext } from '../../src/function/log-span-context';
import { LogTracer } from '../../src/function/log-tracer';
import { readPropagators, type PropagatorName } from '../../src/function/propagation';
import { decodeAll } from './helpers/lambda';
import { LOG_MODE_ENV, runTs } from './helpers/run-node';

describe('OTEL_PROPAGATORS', () => {
  test.each([
    [undefined, ['ottrace']],
    ['', ['ottrace']],
    ['tracecontext,baggage', ['tracecontext', 'baggage']],
    [' B3 , b3multi ,b3,', ['b3', 'b3multi']],
    ['ottrace,tracecontext', ['ottrace', 'tracecontext']],
    ['none', []],
  ])('%j -> %j', (value, expected) => {
    expect(readPropagators({ OTEL_PROPAGATORS: value })).toEqual(expected);
  });

  test.each([
    ['xray', 'OTEL_PROPAGATORS: unsupported propagator "xray" (supported: tracecontext, baggage, b3, b3multi, ottrace, or none)'],
    ['tracecontext,jaeger', 'OTEL_PROPAGATORS: unsupported propagator "jaeger"'],
    ['none,b3', 'OTEL_PROPAGATORS: none cannot be combined with b3'],
  ])('%j fails naming the variable', (value, message) => {
    expect(() => readPropagators({ OTEL_PROPAGATORS: value })).toThrow(ConfigError);
    expect(() => readPropagators({ OTEL_PROPAGATORS: value })).toThrow(message);
  });

  const context = new LogSpanContext('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', true, { tenant: 'acme' }, 'rojo=1');
  test.each([
    [['ottrace'], ['ot-tracer-traceid', 'ot-tracer-spanid', 'ot-tracer-sampled', 'ot-baggage-tenant']],
    [['tracecontext'], ['traceparent', 'tracestate']],
    [['baggage'], ['baggage']],
    [['b3'], ['b3']],
    [['b3multi'], ['x-b3-traceid', 'x-b3-spanid', 'x-b3-sampled']],
    [['tracecontext', 'baggage', 'b3'], ['traceparent', 'tracestate', 'baggage', 'b3']],
    [[], []],
  ] as Array<[PropagatorName[], string[]]>)('inject with %j writes exactly %j', (propagators, headers) => {
    const carrier: Record<string, string> = {};
    new LogTracer({ componentName: 'x', emit: () => undefined, propagators }).inject(context, FORMAT_HTTP_HEADERS, carrier);
    expect(Object.keys(carrier)).toEqual(headers);
  });

  test('hostile baggage from a W3C caller never makes an outgoing header Node refuses (nor a CR/LF injection)', () => {
    const tracer = new LogTracer({ componentName: 'x', emit: () => undefined, propagators: ['ottrace', 'baggage', 'tracecontext', 'b3', 'b3multi'] });
    const caller = tracer.extract(FORMAT_HTTP_HEADERS, {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      baggage: 'user%20id=1,crlf=a%0D%0AX-Evil%3A%201,euro=%E2%82%AC,plain=ok',
    }) as LogSpanContext;
    expect(caller.baggage).toEqual({ 'user id': '1', crlf: 'a\r\nX-Evil: 1', euro: '€', plain: 'ok' });
    const carrier: Record<string, string> = {};
    tracer.inject(caller, FORMAT_HTTP_HEADERS, carrier);
    for (const [name, value] of Object.entries(carrier)) {
      expect(() => validateHeaderName(name)).not.toThrow();
      expect(() => validateHeaderValue(name, value)).not.toThrow();
    }
    expect(Object.keys(carrier).filter((name) => name.startsWith('ot-baggage-'))).toEqual(['ot-baggage-plain']);
    // W3C baggage carries every item, percent-encoded.
    expect(carrier.baggage).toBe('user%20id=1,crlf=a%0D%0AX-Evil%3A%201,euro=%E2%82%AC,plain=ok');
  });

  test('a propagator name the tracer does not know fails at construction', () => {
    expect(() => new LogTracer({ componentName: 'x', propagators: ['xray' as PropagatorName] })).toThrow('unsupported propagator "xray"');
  });

  test('new roots: 128-bit when tracecontext is configured, 64-bit otherwise', () => {
    const root = (propagators: PropagatorName[]) => new LogTracer({ componentName: 'x', emit: () => undefined, propagators }).startSpan('r').context().toTraceId();
    expect(root(['tracecontext'])).toMatch(/^[0-9a-f]{32}$/);
    expect(root(['b3', 'tracecontext'])).toMatch(/^[0-9a-f]{32}$/);
    expect(root(['ottrace'])).toMatch(/^[0-9a-f]{16}$/);
    expect(root(['b3', 'b3multi', 'baggage'])).toMatch(/^[0-9a-f]{16}$/);
  });

  describe('read once per container (process), never per invocation', () => {
    const saved = process.env.OTEL_PROPAGATORS;
    afterEach(() => {
      if (saved === undefined) delete process.env.OTEL_PROPAGATORS;
      else process.env.OTEL_PROPAGATORS = saved;
    });

    test('a change of the variable after the first read changes nothing', () => {
      jest.isolateModules(() => {
        const { LogTracer: FreshTracer } = require('../../src/function/log-tracer') as typeof import('../../src/function/log-tracer');
        process.env.OTEL_PROPAGATORS = 'tracecontext';
        const first = new FreshTracer({ componentName: 'x', emit: () => undefined });
        process.env.OTEL_PROPAGATORS = 'b3';
        const second = new FreshTracer({ componentName: 'x', emit: () => undefined });
        expect([first.propagators, second.propagators]).toEqual([['tracecontext'], ['tracecontext']]);
      });
    });

    test('a bad value fails the tracer\'s construction (the cold start)', () => {
      jest.isolateModules(() => {
        const { LogTracer: FreshTracer } = require('../../src/function/log-tracer') as typeof import('../../src/function/log-tracer');
        process.env.OTEL_PROPAGATORS = 'tracecontext,xray';
        expect(() => new FreshTracer({ componentName: 'x' })).toThrow('OTEL_PROPAGATORS: unsupported propagator "xray"');
      });
    });
  });
});

describe('the demo handler in a fresh process (a cold container)', () => {
  const rootEvent = JSON.stringify({ version: '2.0', rawPath: '/compute', headers: { host: 'example.com' }, requestContext: { http: { method: 'GET', path: '/compute' } } });

  test('OTEL_PROPAGATORS=tracecontext,baggage: new roots carry 128-bit trace ids end to end', async () => {
    const run = await runTs('src/function/local-invoke.ts', [], { ...LOG_MODE_ENV, OTEL_PROPAGATORS: 'tracecontext,baggage' }, `${rootEvent}\n${rootEvent}\n`);
    expect(run.code).toBe(0);
    const spans = decodeAll(run.stdout.trim().split('\n'));
    expect(spans.map((span) => span.traceId)).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), expect.stringMatching(/^[0-9a-f]{32}$/)]);
    const bodies = run.stderr.trim().split('\n').map((line) => JSON.parse((JSON.parse(line) as { response: { body: string } }).response.body) as { traceId: string });
    expect(bodies.map((body) => body.traceId)).toEqual(spans.map((span) => span.traceId));
  });

  test('a bad OTEL_PROPAGATORS fails the cold start with a message naming it', async () => {
    const run = await runTs('src/function/local-invoke.ts', ['events/http-api-v2.json'], { ...LOG_MODE_ENV, OTEL_PROPAGATORS: 'jaeger' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('OTEL_PROPAGATORS: unsupported propagator "jaeger"');
    expect(run.stdout).toBe('');
  });
});
