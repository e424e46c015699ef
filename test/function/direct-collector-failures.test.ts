import { demoWork, errorResponse } from '../../src/function/demo-work';
import { createDirectReporting } from '../../src/function/direct-reporting';
import { traced } from '../../src/function/traced';
import { lambdaContext } from './helpers/lambda';
import { startSilentCollector, startTokenEchoingCollector, type RunningServer } from './helpers/misbehaving-collectors';
import { runTs } from './helpers/run-node';

// Direct mode against collectors that misbehave: one that accepts and never answers (the
// invocation must still return the user's response in time), one that echoes the token.
// Each test's own timeout is far below lightstep-tracer's 30 s default, so a missing bound fails it.
const BOUNDED = 8000;

function direct(port: number, reportTimeoutMillis: number, accessToken = 'silent-test-token') {
  return createDirectReporting(
    { accessToken, collectorHost: '127.0.0.1', collectorPort: port, collectorEncryption: 'none', reportTimeoutMillis },
    'lambda_function',
  );
}

describe('a collector that accepts and never answers', () => {
  let collector: RunningServer;
  beforeEach(async () => {
    collector = await startSilentCollector();
  });
  afterEach(() => collector.close());

  test(
    'flush() fails after the report timeout instead of waiting for lightstep-tracer\'s 30 s',
    async () => {
      const reporting = direct(collector.port, 300);
      reporting.tracer.startSpan('lambda-execution').finish();
      await expect(reporting.flush()).rejects.toThrow('no answer within 300 ms');
      expect(collector.requests()).toBe(1);
    },
    BOUNDED,
  );

  test(
    'traced() stops waiting for the flush at the deadline minus the margin: the user\'s response, and a telemetry error',
    async () => {
      // A report timeout as long as lightstep-tracer's default: only traced()'s bound can save the invocation.
      const reporting = direct(collector.port, 30_000);
      const telemetryErrors: string[] = [];
      // What createDemoHandler builds, with the telemetry errors captured.
      const handler = traced(demoWork, {
        tracer: reporting.tracer,
        errorResponse,
        afterInvocation: reporting.flush,
        timeoutMarginMs: 50,
        onTelemetryError: (error) => telemetryErrors.push((error as Error).message),
      });
      const response = await handler({ queryStringParameters: { n: '3' } }, lambdaContext({ getRemainingTimeInMillis: () => 400 }));
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ ok: true });
      expect(telemetryErrors).toHaveLength(1);
      expect(telemetryErrors[0]).toMatch(/^afterInvocation did not finish within 350 ms \(50 ms before the deadline\)/);
    },
    BOUNDED,
  );

  test(
    'the deployed handler: LIGHTSTEP_REPORT_TIMEOUT_MILLIS reaches the tracer; the invocation answers 200 and says why on stderr',
    async () => {
      const run = await runTs('test/function/fixtures/direct-invocations.ts', [], {
        TRACE_REPORTING: 'direct',
        COMPONENT_NAME: 'lambda_function',
        LIGHTSTEP_ACCESS_TOKEN: 'silent-env-token',
        LIGHTSTEP_COLLECTOR_HOST: '127.0.0.1',
        LIGHTSTEP_COLLECTOR_PORT: String(collector.port),
        LIGHTSTEP_COLLECTOR_ENCRYPTION: 'none',
        LIGHTSTEP_REPORT_TIMEOUT_MILLIS: '300',
        INVOCATIONS: '1',
      });
      const summary = JSON.parse(run.stdout.trim()) as { statusCodes: number[]; durationsMs: number[] };
      expect(summary.statusCodes).toEqual([200]);
      // Measured inside the child, so its cold start (tsx, loading lightstep-tracer) does not count:
      // the invocation waited about the report timeout, nowhere near lightstep-tracer's 30 s.
      expect(summary.durationsMs[0]).toBeLessThan(BOUNDED);
      expect(run.stderr).toContain('traced: telemetry error: LightStep report failed:');
      expect(run.stderr).toContain('no answer within 300 ms');
      expect(run.stderr).not.toContain('silent-env-token');
    },
  );
});

describe('the access token never reaches a flush error', () => {
  // Random-looking, as LightStep's are: no piece of it occurs in an error message by chance.
  const TOKEN = 'Zq8rT2vKp9LmX4wB7nYc3HdF6sJg1Ua5Qe0Wt';

  /** Every 6-character piece of the token that the text contains. */
  function tokenPiecesIn(text: string): string[] {
    const found: string[] = [];
    for (let i = 0; i + 6 <= TOKEN.length; i++) if (text.includes(TOKEN.slice(i, i + 6))) found.push(TOKEN.slice(i, i + 6));
    return found;
  }

  test('a 403 whose body echoes the token, whole or across the error\'s body-excerpt cut', async () => {
    // Filler before the echo: none (whole token in the excerpt), then enough to put the cut inside it.
    const paddings = [0, 150, 170, 180, 190, 195];
    const collector = await startTokenEchoingCollector((n) => paddings[n % paddings.length]);
    try {
      const reporting = direct(collector.port, 2000, TOKEN);
      reporting.tracer.startSpan('lambda-execution').finish(); // re-buffered after each failed report
      const messages: string[] = [];
      for (let i = 0; i < paddings.length; i++) {
        const error = await reporting.flush().then(
          () => new Error('flush succeeded'),
          (e: Error) => e,
        );
        messages.push(error.message);
      }
      expect(collector.requests()).toBe(paddings.length);
      for (const message of messages) {
        expect(message).toContain('403');
        expect(tokenPiecesIn(message)).toEqual([]);
      }
      expect(messages[0]).toContain('invalid access token [redacted]');
    } finally {
      await collector.close();
    }
  });
});
