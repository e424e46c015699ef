import { FORMAT_HTTP_HEADERS } from 'opentracing';
import { ConfigError } from '../../src/common/env';
import { LogTracer } from '../../src/function/log-tracer';
import { createKeyMatcher, DEFAULT_MASK_WORDS, KeyMasker, MASK, MAX_CACHED_KEYS, normaliseKey, readMaskWords } from '../../src/function/secret-mask';
import { decodeAll } from './helpers/lambda';
import { LOG_MODE_ENV, runTs } from './helpers/run-node';

function capture(options: { maskKeys?: string[]; propagators?: Array<'ottrace' | 'baggage'> } = {}) {
  const lines: string[] = [];
  const tracer = new LogTracer({ componentName: 'mask_test', emit: (line) => lines.push(line), ...options });
  return { tracer, lines, spans: () => decodeAll(lines) };
}

// One key per default word, in the shapes real code uses, and keys that must stay readable.
const SECRET_KEYS: Array<[word: string, keys: string[]]> = [
  ['password', ['password', 'db.Password', 'PASSWORD_HASH']],
  ['passwd', ['passwd', 'smtp-passwd']],
  ['secret', ['client_secret', 'clientSecret', 'x-secret']],
  ['token', ['session_token', 'accessToken', 'X-Auth-Token']],
  ['api_key', ['api_key', 'x-api-key', 'X-API-KEY', 'stripe.api_key']],
  ['apikey', ['apikey', 'apiKey', 'XApiKey']],
  ['authorization', ['Authorization', 'http.request.header.authorization', 'proxy-authorization']],
  ['cookie', ['cookie', 'Set-Cookie']],
  ['session', ['session', 'sessionId', 'user.session']],
  ['private_key', ['private_key', 'privateKey', 'ssh-private-key']],
  ['credential', ['credential', 'aws.credentials', 'CREDENTIAL_FILE']],
];
const PLAIN_KEYS = ['http.method', 'http.path', 'user.id', 'customer', 'faas.name', 'error', 'message', 'event', 'keyboard', 'pass', 'tok'];

describe('which keys are secret', () => {
  test('the defaults are the issue\'s words', () => {
    expect(DEFAULT_MASK_WORDS).toEqual(['password', 'passwd', 'secret', 'token', 'api_key', 'apikey', 'authorization', 'cookie', 'session', 'private_key', 'credential']);
  });

  test.each(SECRET_KEYS)('%s: %j are secret (any case, - _ . or camelCase)', (word, keys) => {
    const masker = new KeyMasker([word]); // each word on its own: this word is what catches these keys
    for (const key of keys) expect([key, masker.isSecretKey(key)]).toEqual([key, true]);
  });

  test('ordinary keys stay readable with every default word', () => {
    const masker = new KeyMasker(DEFAULT_MASK_WORDS);
    for (const key of PLAIN_KEYS) expect([key, masker.isSecretKey(key)]).toEqual([key, false]);
  });

  test('the normal form: lowercase, letters and digits only', () => {
    expect(['x-api-key', 'X_API_KEY', 'x.api.key', 'xApiKey', 'X API Key'].map(normaliseKey)).toEqual(Array(5).fill('xapikey'));
  });
});

describe('the LogTracer masks before the line is written', () => {
  test('tag values, log field values and baggage under secret keys; the secret text is nowhere in the line', () => {
    const { tracer, lines, spans } = capture();
    const span = tracer.startSpan('login', { tags: { 'user.id': 'u-1', Authorization: 'Bearer s3cr3t-bearer' } });
    span.setTag('client_secret', 'cs-9f8e7d').setTag('session.count', 3).setTag('has_password', true);
    span.log({ event: 'login', password: 'hunter2', 'x-api-key': 'ak-123456' });
    span.setBaggageItem('session_token', 'st-abcdef');
    span.setBaggageItem('tenant', 'acme');
    span.finish();
    const [s] = spans();
    expect(s.tags).toEqual({ 'user.id': 'u-1', Authorization: MASK, client_secret: MASK, 'session.count': MASK, has_password: MASK });
    expect(s.logs[0].fields).toEqual({ event: 'login', password: MASK, 'x-api-key': MASK });
    expect(s.baggage).toEqual({ session_token: MASK, tenant: 'acme' });
    for (const secret of ['s3cr3t-bearer', 'cs-9f8e7d', 'hunter2', 'ak-123456', 'st-abcdef']) expect(lines[0]).not.toContain(secret);
    expect(MASK).toBe('[masked]');
  });

  test('incoming baggage (ot-baggage-* and W3C baggage) under secret keys is masked in the line of every span that carries it', () => {
    const { tracer, spans } = capture();
    const caller = tracer.extract(FORMAT_HTTP_HEADERS, {
      'ot-tracer-traceid': 'aaaaaaaaaaaaaaaa',
      'ot-tracer-spanid': 'bbbbbbbbbbbbbbbb',
      'OT-Baggage-Session_Token': 'st-from-caller',
      baggage: 'api_key=ak-from-caller,region=eu',
    })!;
    const execution = tracer.startSpan('lambda-execution', { childOf: caller });
    tracer.startSpan('child', { childOf: execution }).finish();
    execution.finish();
    for (const span of spans()) expect(span.baggage).toEqual({ session_token: MASK, api_key: MASK, region: 'eu' });
  });

  test('downstream, baggage keeps its real value: the application put it there to be passed on (only the log line is masked)', () => {
    const { tracer, lines } = capture({ propagators: ['ottrace', 'baggage'] });
    const span = tracer.startSpan('call');
    span.setBaggageItem('session_token', 'st-for-downstream');
    span.finish(); // masking for the line must not touch the context
    const headers: Record<string, string> = {};
    tracer.inject(span, FORMAT_HTTP_HEADERS, headers);
    expect(headers['ot-baggage-session_token']).toBe('st-for-downstream');
    expect(headers.baggage).toBe('session_token=st-for-downstream');
    expect(span.getBaggageItem('session_token')).toBe('st-for-downstream');
    expect(tracer.startSpan('after', { childOf: span }).getBaggageItem('session_token')).toBe('st-for-downstream');
    expect(lines[0]).not.toContain('st-for-downstream');
  });

  test('maskKeys extends the defaults (it does not replace them)', () => {
    const { tracer, spans } = capture({ maskKeys: ['iban', 'card-number'] });
    tracer.startSpan('pay', { tags: { IBAN: 'DE89 3704', card_number: '4111', cardNumber: '4111', password: 'p', amount: 12 } }).finish();
    expect(spans()[0].tags).toEqual({ IBAN: MASK, card_number: MASK, cardNumber: MASK, password: MASK, amount: 12 });
  });
});

describe('cost: the decision is made once per key, not once per span', () => {
  function countingMasker(words: readonly string[]) {
    const decided: string[] = [];
    const matches = createKeyMatcher(words);
    const masker = new KeyMasker(words, (key) => {
      decided.push(key);
      return matches(key);
    });
    return { masker, decided };
  }

  test('1000 spans with the same five keys: five decisions', () => {
    const { masker, decided } = countingMasker(DEFAULT_MASK_WORDS);
    for (let i = 0; i < 1000; i++) masker.maskInPlace({ 'span.kind': 'server', 'faas.name': 'f', 'faas.coldstart': false, token: 't', 'http.status_code': 200 });
    expect(decided).toEqual(['spankind', 'faasname', 'faascoldstart', 'token', 'httpstatuscode']);
  });

  test('a stream of distinct keys cannot grow the cache past its bound, and decisions stay right after it starts over', () => {
    const masker = new KeyMasker(DEFAULT_MASK_WORDS);
    let largest = 0;
    let secrets = 0;
    for (let i = 0; i < MAX_CACHED_KEYS * 5 + 7; i++) {
      if (masker.isSecretKey(i % 3 === 0 ? `token_${i}` : `k${i}`)) secrets++;
      largest = Math.max(largest, masker.cachedKeys);
    }
    expect(largest).toBe(MAX_CACHED_KEYS);
    expect(secrets).toBe(Math.ceil((MAX_CACHED_KEYS * 5 + 7) / 3));
    expect(masker.isSecretKey('db_password')).toBe(true);
    expect(masker.isSecretKey('k1')).toBe(false);
  });

  test('masking runs at finish: a tag overwritten ten times is looked at once; an unsampled span is never looked at', () => {
    const { masker, decided } = countingMasker(DEFAULT_MASK_WORDS);
    const lines: string[] = [];
    const tracer = new LogTracer({ componentName: 'x', emit: (line) => lines.push(line) });
    (tracer as unknown as { masker: KeyMasker }).masker = masker; // count the tracer's own decisions
    const span = tracer.startSpan('s');
    for (let i = 0; i < 10; i++) span.setTag('attempt', i);
    span.finish();
    expect(decided).toEqual(['attempt']);
    const unsampled = tracer.extract(FORMAT_HTTP_HEADERS, { b3: 'aaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-0' })!;
    tracer.startSpan('quiet', { childOf: unsampled, tags: { never_decided: 1 } }).finish();
    expect(decided).toEqual(['attempt']);
    expect(lines).toHaveLength(1);
  });
});

describe('TRACE_MASK_KEYS', () => {
  test('comma-separated extra words, blanks ignored', () => {
    expect(readMaskWords({})).toEqual([]);
    expect(readMaskWords({ TRACE_MASK_KEYS: ' iban, card-number ,,ssn ' })).toEqual(['iban', 'card-number', 'ssn']);
  });

  test('a word without a letter or digit (it would mask every key) fails naming the variable', () => {
    expect(() => readMaskWords({ TRACE_MASK_KEYS: 'iban,--' })).toThrow(ConfigError);
    expect(() => readMaskWords({ TRACE_MASK_KEYS: 'iban,--' })).toThrow('TRACE_MASK_KEYS: "--" has no letter or digit');
  });

  test('read once per container: the variable extends the defaults of every LogTracer built without maskKeys', () => {
    const saved = process.env.TRACE_MASK_KEYS;
    try {
      jest.isolateModules(() => {
        const { LogTracer: FreshTracer } = require('../../src/function/log-tracer') as typeof import('../../src/function/log-tracer');
        process.env.TRACE_MASK_KEYS = 'iban';
        const lines: string[] = [];
        new FreshTracer({ componentName: 'x', emit: (line) => lines.push(line) }).startSpan('a', { tags: { iban: 'DE89', token: 't', ssn: '1' } }).finish();
        process.env.TRACE_MASK_KEYS = 'ssn'; // too late: read already
        new FreshTracer({ componentName: 'x', emit: (line) => lines.push(line) }).startSpan('b', { tags: { iban: 'DE89', ssn: '1' } }).finish();
        expect(decodeAll(lines).map((span) => span.tags)).toEqual([
          { iban: MASK, token: MASK, ssn: '1' },
          { iban: MASK, ssn: '1' },
        ]);
      });
    } finally {
      if (saved === undefined) delete process.env.TRACE_MASK_KEYS;
      else process.env.TRACE_MASK_KEYS = saved;
    }
  });

  test('the demo handler in a cold container: TRACE_MASK_KEYS=customer masks the sample event\'s ot-baggage-customer', async () => {
    const run = await runTs('src/function/local-invoke.ts', ['events/apigw-rest-v1.json'], { ...LOG_MODE_ENV, TRACE_MASK_KEYS: 'customer' });
    expect(run.code).toBe(0);
    const execution = decodeAll(run.stdout.trim().split('\n')).find((span) => span.operation === 'lambda-execution')!;
    expect(execution.baggage).toEqual({ customer: MASK });
    expect(run.stdout).not.toContain('acme');
  });

  test('a bad TRACE_MASK_KEYS fails the cold start naming it', async () => {
    const run = await runTs('src/function/local-invoke.ts', ['events/http-api-v2.json'], { ...LOG_MODE_ENV, TRACE_MASK_KEYS: '*' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('TRACE_MASK_KEYS: "*" has no letter or digit');
    expect(run.stdout).toBe('');
  });
});
