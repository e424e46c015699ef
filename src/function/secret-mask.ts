import { ConfigError, setting, type Env } from '../common/env';

/** What a masked value becomes in the span line. */
export const MASK = '[masked]';
/** Extra words (comma-separated) that make a key secret, on top of DEFAULT_MASK_WORDS. */
export const MASK_KEYS_VARIABLE = 'TRACE_MASK_KEYS';
export const DEFAULT_MASK_WORDS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'api_key',
  'apikey',
  'authorization',
  'cookie',
  'session',
  'private_key',
  'credential',
];

// A pathological stream of distinct keys (a key built from request data) must not grow memory
// without bound: past this many the cache starts over. Real spans use a few dozen keys.
export const MAX_CACHED_KEYS = 1024;

/**
 * Keys and words are compared in one normal form: lowercase, and every character that is not a
 * letter or digit dropped. So `-` and `_` (and `.`, spaces) are the same, or rather nothing:
 * `x-api-key`, `X_API_KEY`, `x.api.key` and `xApiKey` all read `xapikey` and contain `apikey`, and
 * `privateKey` contains `private_key`'s `privatekey` (reading `-` as `_` alone would miss it).
 */
export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The words of TRACE_MASK_KEYS; none when unset. A word that is only separators would mask everything, so it fails naming the variable. */
export function readMaskWords(env: Env): string[] {
  const raw = setting(env, MASK_KEYS_VARIABLE);
  if (raw === undefined) return [];
  const words: string[] = [];
  for (const part of raw.split(',')) {
    const word = part.trim();
    if (word === '') continue;
    if (normaliseKey(word) === '') {
      throw new ConfigError(`${MASK_KEYS_VARIABLE}: ${JSON.stringify(word.slice(0, 40))} has no letter or digit (it would mask every key)`);
    }
    words.push(word);
  }
  return words;
}

/** True when the normalised key contains one of the (normalised) words. */
export function createKeyMatcher(words: readonly string[]): (normalisedKey: string) => boolean {
  const forms = [...new Set(words.map(normaliseKey))];
  if (forms.includes('')) throw new Error('a mask word must contain a letter or digit');
  // One alternation, compiled once: the normal form has only [a-z0-9], so nothing to escape.
  const pattern = new RegExp(forms.join('|'));
  return (normalisedKey) => pattern.test(normalisedKey);
}

/**
 * Decides, once per distinct key, whether its value is a secret, and masks records accordingly.
 * The decision is cached (bounded by MAX_CACHED_KEYS), so a span costs one Map lookup per key.
 */
export class KeyMasker {
  private readonly decided = new Map<string, boolean>();

  constructor(
    readonly words: readonly string[],
    private readonly matches: (normalisedKey: string) => boolean = createKeyMatcher(words),
  ) {}

  isSecretKey(key: string): boolean {
    let secret = this.decided.get(key);
    if (secret === undefined) {
      secret = this.matches(normaliseKey(key));
      if (this.decided.size >= MAX_CACHED_KEYS) this.decided.clear();
      this.decided.set(key, secret);
    }
    return secret;
  }

  /** Keys whose decision is cached now (at most MAX_CACHED_KEYS). */
  get cachedKeys(): number {
    return this.decided.size;
  }

  /** Masks the record's secret values in place: only for a record its owner made (a span's own tags). */
  maskInPlace(record: Record<string, unknown>): void {
    for (const key in record) if (this.isSecretKey(key)) record[key] = MASK;
  }

  /** The record itself when nothing in it is secret (no copy), else a copy with the secret values masked. */
  maskedCopy(record: Readonly<Record<string, string>>): Record<string, string> {
    let copy: Record<string, string> | undefined;
    for (const key in record) {
      if (!this.isSecretKey(key)) continue;
      copy ??= { ...record };
      copy[key] = MASK;
    }
    return copy ?? (record as Record<string, string>);
  }
}

let fromEnvironment: KeyMasker | undefined;

/** The defaults plus TRACE_MASK_KEYS of this process, read on first use and never again (once per container). */
export function maskerFromEnvironment(): KeyMasker {
  return (fromEnvironment ??= new KeyMasker([...DEFAULT_MASK_WORDS, ...readMaskWords(process.env)]));
}
