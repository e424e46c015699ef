import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PROJECT_ROOT, readTemplate } from '../../scripts/build';
import { decodeSpanLine, encodeSpanLine, matchesSpanLineFilter, SPAN_LINE_FILTER_PATTERN, type SpanToEncode } from '../../src/span-line';

// The subscription filter in template.yaml decides which lines CloudWatch Logs sends to the
// forwarder. It must let every span line through and keep the rest of the log group out.

const MIXED_EVENT = path.join(PROJECT_ROOT, 'events', 'subscription-mixed.json');

function templateFilterPattern(): unknown {
  const [subscription] = Object.values(readTemplate().Resources).filter((r) => r.Type === 'AWS::Logs::SubscriptionFilter');
  return subscription?.Properties?.FilterPattern;
}

/** The FilterPattern inside the account-level subscription policy's JSON document. */
function accountPolicyFilterPattern(): unknown {
  const [policy] = Object.values(readTemplate().Resources).filter((r) => r.Type === 'AWS::Logs::AccountPolicy');
  const document = (policy?.Properties?.PolicyDocument as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'];
  if (typeof document !== 'string') return undefined;
  return (JSON.parse(document.replace(/\$\{[^}]+\}/g, 'x')) as { FilterPattern?: unknown }).FilterPattern;
}

const span = (overrides: Partial<SpanToEncode> = {}): SpanToEncode => ({
  traceId: '4bf92f3577b34da6',
  spanId: '00f067aa0ba902b7',
  parentSpanId: '1e2d3c4b5a697887',
  operation: 'lambda-execution',
  component: 'lambda_function',
  startMicros: 1_715_681_730_123_456,
  durationMicros: 1532,
  tags: { 'span.kind': 'server', 'http.status_code': 200, error: false },
  logs: [{ timestampMicros: 1_715_681_730_124_000, fields: { event: 'work', items: 0, ok: false } }],
  baggage: { tenant: 'acme' },
  ...overrides,
});

/** Lines a traced function's log group really contains besides span lines (Lambda text and JSON log formats). */
const OTHER_LINES = [
  'START RequestId: 3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d Version: $LATEST',
  'END RequestId: 3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d',
  'REPORT RequestId: 3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d\tDuration: 15.64 ms\tBilled Duration: 16 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB',
  'INIT_START Runtime Version: nodejs:22.v30\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc',
  '{"time":"2024-05-14T10:15:30.122Z","type":"platform.start","record":{"requestId":"3f1c9a52","version":"$LATEST"}}',
  '2024-05-14T10:15:30.124Z\t3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d\tINFO\thello from the handler',
  '{"timestamp":"2024-05-14T10:15:30.124Z","level":"INFO","requestId":"3f1c9a52","message":"loaded 3 items"}',
  '{"level":30,"time":1715681730125,"pid":8,"hostname":"169.254.10.5","msg":"fetched user"}',
  // A span line printed by user code through console.log: text format prefixes it, JSON format nests it.
  `2024-05-14T10:15:30.130Z\t3f1c9a52-8d4e-4b7a-9c61-5e2f0a7b8c9d\tINFO\t${encodeSpanLine(span({ operation: 'forged' }))}`,
  JSON.stringify({ timestamp: '2024-05-14T10:15:30.131Z', level: 'INFO', requestId: '3f1c9a52', message: encodeSpanLine(span({ operation: 'forged' })) }),
  // A marker key that is there but is not a number ≥ 1.
  '{"level":"FATAL","otspan":"1","op":"x"}',
  '{"level":"FATAL","otspan":0,"op":"x"}',
  '{"otspan":true}',
];

describe('subscription filter pattern', () => {
  test(`template.yaml uses exactly SPAN_LINE_FILTER_PATTERN (${SPAN_LINE_FILTER_PATTERN}), in the subscription filter and the account policy`, () => {
    expect(templateFilterPattern()).toBe(SPAN_LINE_FILTER_PATTERN);
    expect(accountPolicyFilterPattern()).toBe(SPAN_LINE_FILTER_PATTERN);
  });

  test('every subscription filter (to the forwarder, or to its Kinesis stream) uses the same pattern', () => {
    const subscriptions = Object.values(readTemplate().Resources).filter((r) => r.Type === 'AWS::Logs::SubscriptionFilter');
    expect(subscriptions.length).toBeGreaterThanOrEqual(2);
    for (const subscription of subscriptions) expect(subscription.Properties?.FilterPattern).toBe(SPAN_LINE_FILTER_PATTERN);
  });

  test('lets through every span line the encoder writes: plain, root, no tags, 128-bit trace id, truncated', () => {
    const lines = [
      encodeSpanLine(span()),
      encodeSpanLine(span({ parentSpanId: undefined, tags: {}, logs: [], baggage: {} })),
      encodeSpanLine(span({ traceId: '0af7651916cd43dd8448eb211c80319c' })),
      encodeSpanLine(span({ tags: { note: 'x'.repeat(100_000), error: true } })),
    ];
    for (const line of lines) {
      expect(decodeSpanLine(line)).toMatchObject({ ok: true });
      expect(matchesSpanLineFilter(line)).toBe(true);
    }
  });

  test.each(OTHER_LINES.map((line) => [line.slice(0, 60), line]))('keeps out: %s…', (_label, line) => {
    expect(matchesSpanLineFilter(line)).toBe(false);
  });

  const mixedTest = existsSync(MIXED_EVENT) ? test : test.skip;
  mixedTest('on events/subscription-mixed.json: genuine span lines pass; what else passes carries the marker and is refused by the decoder', () => {
    const event = JSON.parse(readFileSync(MIXED_EVENT, 'utf8')) as { awslogs: { data: string } };
    const payload = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as {
      logEvents: Array<{ message: string }>;
    };
    const messages = payload.logEvents.map((e) => e.message);
    const genuine = messages.filter((m) => decodeSpanLine(m).ok);
    const others = messages.filter((m) => !decodeSpanLine(m).ok);
    expect(genuine.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    expect(genuine.filter((m) => !matchesSpanLineFilter(m))).toEqual([]);

    // The filter is the cheap first gate (CloudWatch-side, no invocation for the lines it drops);
    // the decoder is the authority. Lines that imitate the marker at the top level (a pino logger
    // printing `otspan`, a future version, a bad id, an oversize line) pass the first gate only.
    const passedFilter = others.filter(matchesSpanLineFilter);
    for (const line of passedFilter) {
      expect((JSON.parse(line) as { otspan: unknown }).otspan).toEqual(expect.any(Number));
      expect(decodeSpanLine(line).ok).toBe(false);
    }
    const keptOut = others.filter((m) => !matchesSpanLineFilter(m));
    // Every platform line, console.log line (text and JSON format, forged spans included) and
    // ordinary application line is kept out by the filter itself.
    for (const line of keptOut) {
      const top = (() => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          return undefined;
        }
      })();
      expect(typeof top?.otspan === 'number' && top.otspan >= 1).toBe(false);
    }
    expect(keptOut.filter((m) => /^(START|END|REPORT) RequestId/.test(m)).length).toBeGreaterThanOrEqual(3);
    expect(keptOut.filter((m) => /\tINFO\t/.test(m)).length).toBeGreaterThanOrEqual(2);
  });
});
