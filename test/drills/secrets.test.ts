// The secrets check itself: it must find the token in every form and place it looks at.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkSecrets, evidenceIn, findSecret, problems } from '../../drills/secrets';

const TOKEN = 'drill-token-0123456789abcdef01234567';

describe('the secrets check', () => {
  it('finds the token as is, in base64 at any alignment, hex and URL-encoded', () => {
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const base64 = Buffer.from(`${prefix}${TOKEN}!`).toString('base64');
      expect(findSecret(TOKEN, [{ where: 'x', content: `header: ${base64}` }]).map((f) => f.form)).toEqual(['base64']);
    }
    expect(findSecret(TOKEN, [{ where: 'a', content: `token=${TOKEN}` }]).map((f) => f.form)).toEqual(['as is']);
    expect(findSecret(TOKEN, [{ where: 'h', content: Buffer.from(TOKEN).toString('hex') }]).map((f) => f.form)).toEqual(['hex']);
    expect(findSecret(TOKEN, [{ where: 'clean', content: 'drill-token-0123 and nothing else' }])).toEqual([]);
  });

  it('looks inside files of any folder depth and inside the gzip payloads of dead-letter lines', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-test-'));
    try {
      mkdirSync(path.join(dir, 'a/b'), { recursive: true });
      writeFileSync(path.join(dir, 'a/b/store.json'), 'nothing');
      const payload = gzipSync(JSON.stringify({ logEvents: [{ message: `leaked ${TOKEN}` }] })).toString('base64');
      writeFileSync(path.join(dir, 'a/dead-letter.jsonl'), JSON.stringify({ event: { awslogs: { data: payload } } }) + '\n');
      const result = checkSecrets('small', { 'the access token': TOKEN, 'the OTLP header value': 'drill-otlp-header-not-there-at-all' }, evidenceIn(dir));
      expect(result.figures['places holding a secret']).toBe(1);
      expect(result.errors).toEqual(['the access token (as is) is in a/dead-letter.jsonl line 1 (gunzipped payload)']);
      expect(problems(result)[0]).toMatch(/leaked/);
      expect(result.errors.join('')).not.toContain(TOKEN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
