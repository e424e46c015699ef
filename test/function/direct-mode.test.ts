import { traced } from '../../src/function/traced';
import { startLoopbackCollector } from './helpers/loopback-collector';
import { lambdaContext } from './helpers/lambda';
import { runTs } from './helpers/run-node';

// TRACE_REPORTING=direct: the same handler reporting through the real lightstep-tracer, flushed
// per invocation, against a loopback stand-in for the collector.
describe('direct mode', () => {
  let collector: Awaited<ReturnType<typeof startLoopbackCollector>>;
  beforeEach(async () => {
    collector = await startLoopbackCollector();
  });
  afterEach(() => collector.close());

  const env = () => ({
    TRACE_REPORTING: 'direct',
    COMPONENT_NAME: 'lambda_function',
    LIGHTSTEP_ACCESS_TOKEN: 'direct-test-token',
    LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
    LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
    LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
    INVOCATIONS: '30',
  });

  test('30 invocations: every span reported before each returns, one kept-alive socket, no process warning', async () => {
    const run = await runTs('test/function/fixtures/direct-invocations.ts', [], env());
    const summary = JSON.parse(run.stdout.trim()) as { statusCodes: number[]; warnings: string[] };
    expect(summary.warnings).toEqual([]);
    expect(run.stderr).toBe('');
    expect(summary.statusCodes).toEqual(new Array(30).fill(200));
    // flushed before returning: one report per invocation, each with that invocation's spans
    expect(collector.reports).toHaveLength(30);
    for (const report of collector.reports) {
      expect(report.operations).toEqual(['compute', 'lambda-execution']);
      expect(report.component).toBe('lambda_function');
      expect(report.token).toBe('direct-test-token');
    }
    expect(collector.reports[29].socketCount).toBe(1); // keep-alive kept, listener leak gone
  });

  test('control: the stock lightstep-tracer transport prints MaxListenersExceededWarning on the same run', async () => {
    const run = await runTs('test/function/fixtures/direct-invocations.ts', [], { ...env(), STOCK_TRANSPORT: '1' });
    const summary = JSON.parse(run.stdout.trim()) as { warnings: string[] };
    expect(summary.warnings.some((warning) => warning.startsWith('MaxListenersExceededWarning'))).toBe(true);
  });
});

describe('direct mode in process: the real lightstep-tracer behind traced()', () => {
  test('a malformed caller header never reaches lightstep-tracer (it would poison every later report)', async () => {
    const collector = await startLoopbackCollector();
    try {
      const { createDirectReporting } = await import('../../src/function/direct-reporting');
      const direct = createDirectReporting(
        { accessToken: 'in-process-token', collectorHost: '127.0.0.1', collectorPort: collector.port, collectorEncryption: 'none', reportTimeoutMillis: 2000 },
        'lambda_function',
      );
      const telemetryErrors: unknown[] = [];
      const handler = traced(async (_event: unknown, _context, span) => span.context().toTraceId(), {
        tracer: direct.tracer,
        afterInvocation: direct.flush,
        onTelemetryError: (error) => telemetryErrors.push(error),
      });
      const garbage = { headers: { 'OT-Tracer-TraceId': 'not-hex-at-all!!', 'OT-Tracer-SpanId': 'bbbbbbbbbbbbbbbb' } };
      const good = { headers: { 'OT-Tracer-TraceId': 'AAAAAAAAAAAAAAAA', 'OT-Tracer-SpanId': ['bbbbbbbbbbbbbbbb'] } };
      const newRootTrace = await handler(garbage, lambdaContext());
      const joinedTrace = await handler(good, lambdaContext());
      expect(newRootTrace).toMatch(/^[0-9a-f]{16}$/);
      expect(newRootTrace).not.toBe('not-hex-at-all!!');
      expect(joinedTrace).toBe('aaaaaaaaaaaaaaaa'); // mixed case, multi-value: normalised before LightStep sees it
      expect(telemetryErrors).toEqual([]);
      expect(collector.reports.map((report) => report.operations)).toEqual([['lambda-execution'], ['lambda-execution']]);
    } finally {
      await collector.close();
    }
  });
});

test('a kept-alive socket that died between invocations costs no report: sent again on a fresh socket', async () => {
  const collector = await startLoopbackCollector({ killOneReusedSocket: true });
  try {
    const { createDirectReporting } = await import('../../src/function/direct-reporting');
    const direct = createDirectReporting(
      { accessToken: 'retry-token', collectorHost: '127.0.0.1', collectorPort: collector.port, collectorEncryption: 'none', reportTimeoutMillis: 2000 },
      'lambda_function',
    );
    for (const operation of ['first', 'second', 'third']) {
      direct.tracer.startSpan(operation).finish();
      await direct.flush(); // rejects if the report was lost
    }
    expect(collector.killedRequests()).toBe(1);
    expect(collector.reports.map((report) => report.operations)).toEqual([['first'], ['second'], ['third']]);
  } finally {
    await collector.close();
  }
});
