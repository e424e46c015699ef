// The secrets check, run after the drills: the run's access token and OTLP header value must appear nowhere in what
// they left: every process's stdout and stderr, every error message, the collector stores (the
// rows and the SQLite files themselves), the trace pages, the CLI output, the dead-letter files
// (with their gzip payloads opened).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DrillResult, DrillSize } from './support/drill';

export interface Evidence {
  where: string;
  content: string | Buffer;
}

export interface SecretFinding {
  where: string;
  /** Which secret: 'the access token', 'the OTLP header value'. */
  secret: string;
  /** How the secret was written there: as is, base64, hex, URL-encoded. */
  form: string;
}

/** The forms a secret may take on its way out. Base64 at each of the three alignments. */
export function secretForms(secret: string): Array<{ form: string; bytes: Buffer }> {
  const forms = [
    { form: 'as is', bytes: Buffer.from(secret, 'utf8') },
    { form: 'hex', bytes: Buffer.from(Buffer.from(secret, 'utf8').toString('hex')) },
    { form: 'URL-encoded', bytes: Buffer.from(encodeURIComponent(secret)) },
  ];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.from('x'.repeat(shift) + secret, 'utf8').toString('base64');
    // Drop the characters that depend on the neighbours: the first ones (shift) and the last (padding).
    const start = Math.ceil((shift * 4) / 3) + 1;
    forms.push({ form: 'base64', bytes: Buffer.from(encoded.slice(start, encoded.length - 4)) });
  }
  return forms.filter((f, i, all) => f.bytes.length >= 8 && all.findIndex((g) => g.bytes.equals(f.bytes)) === i);
}

/** Where each secret (named by the keys) occurs in the evidence, in any of its forms. */
export function findSecrets(secrets: Record<string, string>, evidence: readonly Evidence[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [secret, value] of Object.entries(secrets)) {
    const forms = secretForms(value);
    for (const item of evidence) {
      const bytes = Buffer.isBuffer(item.content) ? item.content : Buffer.from(item.content, 'utf8');
      for (const { form, bytes: needle } of forms) if (bytes.includes(needle)) findings.push({ where: item.where, secret, form });
    }
  }
  return findings;
}

export function findSecret(secret: string, evidence: readonly Evidence[]): SecretFinding[] {
  return findSecrets({ 'the access token': secret }, evidence);
}

/** Every file under the folder, and the opened gzip payloads of every JSON-lines file (dead letters). */
export function evidenceIn(dir: string): Evidence[] {
  const out: Evidence[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const file = path.join(folder, name);
      if (statSync(file).isDirectory()) walk(file);
      else {
        const content = readFileSync(file);
        out.push({ where: path.relative(dir, file), content });
        if (name.endsWith('.jsonl')) out.push(...openedPayloads(path.relative(dir, file), content.toString('utf8')));
      }
    }
  };
  walk(dir);
  return out;
}

function openedPayloads(where: string, text: string): Evidence[] {
  const out: Evidence[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const data = /"data":"([A-Za-z0-9+/=]+)"/.exec(line)?.[1];
    if (!data) continue;
    try {
      out.push({ where: `${where} line ${i + 1} (gunzipped payload)`, content: gunzipSync(Buffer.from(data, 'base64')) });
    } catch {
      // not gzip: the line itself is searched already
    }
  }
  return out;
}

/** The check as a drill result: what was searched, and where the secret was found (never the secret). */
export function checkSecrets(size: DrillSize, secrets: Record<string, string>, evidence: readonly Evidence[]): DrillResult {
  const started = performance.now();
  const findings = findSecrets(secrets, evidence);
  const bytes = evidence.reduce((sum, e) => sum + (Buffer.isBuffer(e.content) ? e.content.length : Buffer.byteLength(e.content)), 0);
  const kinds = (test: RegExp) => evidence.filter((e) => test.test(e.where)).length;
  return {
    drill: 'secrets',
    size,
    figures: {
      'places searched': evidence.length,
      'bytes searched': bytes,
      'process output streams': kinds(/^(stdout|stderr) of /),
      'store dumps and SQLite files': kinds(/store\.json$|\.sqlite(-wal|-shm)?$/),
      'trace pages and API answers': kinds(/page-\d+\.txt$/),
      'dead-letter payloads opened': kinds(/gunzipped payload/),
      'error messages': kinds(/^errors of /),
      'secrets searched for': Object.keys(secrets).join(', '),
      'places holding a secret': findings.length,
    },
    errors: findings.map((f) => `${f.secret} (${f.form}) is in ${f.where}`),
    durationMs: Math.round(performance.now() - started),
  };
}

export function problems(result: DrillResult): string[] {
  const found = result.figures['places holding a secret'];
  const out = found === 0 ? [] : [`a secret leaked: ${result.errors.join('; ')}`];
  if (Number(result.figures['process output streams']) < 2) out.push('the processes’ output was not searched');
  if (Number(result.figures['store dumps and SQLite files']) === 0) out.push('no collector store was searched');
  if (Number(result.figures['trace pages and API answers']) === 0) out.push('no trace page was searched');
  return out;
}
