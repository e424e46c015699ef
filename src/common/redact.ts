/**
 * Secrets shorter than this are not searched for in outside text: a one-letter "token" occurs in
 * nearly every word, and replacing it would garble the message ("Ligh[redacted]S[redacted]ep")
 * while a reader could still put it back together. Such text is left out instead.
 */
export const MIN_REDACTABLE_SECRET_CHARS = 8;

/**
 * Outside text that may echo a secret (a collector's or proxy's body, a library's message): every
 * exact occurrence of each secret replaced by [redacted], or undefined when a secret is too short
 * to redact meaningfully and the text must be left out. Longer secrets go first, so a secret that
 * contains another is replaced whole.
 */
export function textWithoutSecrets(text: string, secrets: readonly string[]): string | undefined {
  const present = secrets.filter((secret) => secret !== '');
  if (present.some((secret) => secret.length < MIN_REDACTABLE_SECRET_CHARS)) return undefined;
  let safe = text;
  for (const secret of [...present].sort((a, b) => b.length - a.length)) safe = safe.split(secret).join('[redacted]');
  return safe;
}
