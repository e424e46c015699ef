import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { traced } from '../../src/function/traced';
import { LogTracer } from '../../src/function/log-tracer';
import { LIMITS, lineSourceOf } from '../../src/span-line';
import { decodeAll, lambdaContext } from './helpers/lambda';
import { LOG_MODE_ENV, runTs } from './helpers/run-node';

function capture(options: Partial<ConstructorParameters<typeof LogTracer>[0]> = {}) {
  const lines: string[] = [];
  const tracer = new LogTracer({ componentName: 'lambda_function', emit: (line) => lines.push(line), ...options });
  return { tracer, lines };
}

describe('an invocation is one line', () => {
  test('children are held and written with the invocation span when it finishes', async () => {
    const { tracer, lines } = capture();
    let linesWhileRunning = -1;
    const handler = traced(
      async (_event: unknown, _context, span) => {
        for (let i = 0; i < 3; i++) tracer.startSpan('child', { childOf: span, tags: { i } }).finish();
        linesWhileRunning = lines.length;
        return { statusCode: 200 };
      },
      { tracer },
    );
    await handler({}, lambdaContext());
    expect(linesWhileRunning).toBe(0);
    expect(lines).toHaveLength(1);
    const spans = decodeAll(lines);
    expect(spans.map((s) => s.operation)).toEqual(['child', 'child', 'child', 'lambda-execution']);
    expect(spans.slice(0, 3).map((s) => s.parentSpanId)).toEqual([spans[3].spanId, spans[3].spanId, spans[3].spanId]);
    expect(JSON.parse(lines[0])).toMatchObject({ op: 'lambda-execution', n: 4 });
  });

  test('a span left open is not waited for: the line is out when the handler settles, the straggler gets its own', async () => {
    const { tracer, lines } = capture();
    let straggler: ReturnType<LogTracer['startSpan']> | undefined;
    const handler = traced(
      async (_event: unknown, _context, span) => {
        tracer.startSpan('done', { childOf: span }).finish();
        straggler = tracer.startSpan('background', { childOf: span });
        return 'ok';
      },
      { tracer },
    );
    await handler({}, lambdaContext());
    expect(decodeAll(lines).map((s) => s.operation)).toEqual(['done', 'lambda-execution']);
    straggler!.finish();
    expect(lines).toHaveLength(2);
    expect(decodeAll(lines.slice(1))).toEqual([expect.objectContaining({ operation: 'background', parentSpanId: decodeAll(lines)[1].spanId })]);
  });

  test('outside an invocation every span is a line of its own at finish', () => {
    const { tracer, lines } = capture();
    const parent = tracer.startSpan('parent');
    tracer.startSpan('child', { childOf: parent }).finish();
    expect(lines).toHaveLength(1);
    parent.finish();
    expect(lines).toHaveLength(2);
  });

  test('a long invocation writes every LIMITS.maxBufferedSpans spans, so memory and a crash\'s loss stay bounded', async () => {
    const { tracer, lines } = capture();
    const total = LIMITS.maxBufferedSpans * 2 + 5;
    const counts: number[] = [];
    const handler = traced(
      async (_event: unknown, _context, span) => {
        for (let i = 0; i < total; i++) {
          tracer.startSpan('item', { childOf: span }).finish();
          counts.push(lines.length);
        }
        return 'ok';
      },
      { tracer },
    );
    await handler({}, lambdaContext());
    expect(counts[LIMITS.maxBufferedSpans - 2]).toBe(0);
    expect(counts[LIMITS.maxBufferedSpans - 1]).toBe(1);
    expect(lines).toHaveLength(3);
    const spans = decodeAll(lines);
    expect(spans).toHaveLength(total + 1);
    const root = spans.find((s) => s.operation === 'lambda-execution')!;
    for (const span of spans) if (span !== root) expect(span.parentSpanId).toBe(root.spanId);
  });

  test('an unsampled invocation writes nothing, and the next one is written whole', async () => {
    const { tracer, lines } = capture();
    const handler = traced(
      async (_event: unknown, _context, span) => {
        tracer.startSpan('child', { childOf: span }).finish();
        return 'ok';
      },
      { tracer },
    );
    const headers: Record<string, string> = {};
    const unsampled = tracer.startSpan('caller');
    tracer.inject(unsampled.context(), FORMAT_HTTP_HEADERS, headers);
    await handler({ headers: { ...headers, 'ot-tracer-sampled': 'false' } }, lambdaContext());
    expect(lines).toHaveLength(0);
    await handler({}, lambdaContext());
    expect(decodeAll(lines).map((s) => s.operation)).toEqual(['child', 'lambda-execution']);
  });
});

describe('what the runtime tells the tracer', () => {
  const lambdaEnv = {
    AWS_LAMBDA_FUNCTION_NAME: 'orders',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders',
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/12/01/[$LATEST]4f2a',
  };
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  async function invokeWith(env: Record<string, string>): Promise<string[]> {
    Object.assign(process.env, env);
    const { tracer, lines } = capture();
    await traced(async () => ({ statusCode: 200 }), { tracer })({}, lambdaContext({ functionName: 'orders', functionVersion: '$LATEST' }));
    return lines;
  }

  test('Text format: no level; the name and version the log group and stream tell are left out, and restored from them', async () => {
    const [line] = await invokeWith(lambdaEnv);
    const parsed = JSON.parse(line);
    expect(parsed.level).toBeUndefined();
    expect(parsed.tags?.['faas.name']).toBeUndefined();
    const [span] = decodeAll([line], lineSourceOf(lambdaEnv.AWS_LAMBDA_LOG_GROUP_NAME, lambdaEnv.AWS_LAMBDA_LOG_STREAM_NAME));
    expect(span.tags).toMatchObject({ 'faas.name': 'orders', 'faas.version': '$LATEST', 'span.kind': 'server' });
  });

  test('JSON format at WARN: the line leads with level FATAL and a timestamp, so the filter keeps it', async () => {
    const [line] = await invokeWith({ ...lambdaEnv, AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    expect(line.startsWith('{"level":"FATAL","timestamp":"')).toBe(true);
    expect(Number.isNaN(Date.parse(JSON.parse(line).timestamp))).toBe(false);
  });

  test('JSON format at INFO: no level needed (a level-less line counts as INFO)', async () => {
    const [line] = await invokeWith({ ...lambdaEnv, AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' });
    expect(line.startsWith('{"otspan":2,')).toBe(true);
  });
});

describe('a process that dies mid-invocation', () => {
  test.each(['exit', 'uncaught'])('still writes the finished spans it held (%s)', async (how) => {
    const run = await runTs('test/function/fixtures/exit-mid-invocation.ts', [how], LOG_MODE_ENV);
    expect(run.code).not.toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('{"otspan"'));
    expect(decodeAll(lines).map((s) => s.operation)).toEqual(['before-exit-1', 'before-exit-2']);
  });
});

describe('tag keys', () => {
  test('a __proto__ tag is a tag like any other', () => {
    const { tracer, lines } = capture();
    tracer.startSpan('odd').setTag('__proto__', 'kept').setTag('ok', 1).finish();
    const [span] = decodeAll(lines);
    expect(Object.keys(span.tags)).toEqual(['__proto__', 'ok']);
    expect(span.tags['__proto__']).toBe('kept');
  });
});
