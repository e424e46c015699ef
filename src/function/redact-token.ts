const REDACTED = '[redacted]';
/** Shorter runs are left alone: a few characters say nothing about a random token. */
const MIN_FRAGMENT_CHARS = 6;

/**
 * `text` with the access token taken out: every occurrence of the whole token, and every run of
 * at least 6 characters that is a piece of it. Why pieces: an error that quotes a collector's
 * body cuts it at a length limit, and a token echoed across that cut leaves its first characters
 * at the end of the message, which a whole-token replacement does not see. Error path only: the
 * scan is quadratic in the token's length, a few thousand steps for LightStep's tokens.
 */
export function redactToken(text: string, token: string): string {
  if (token === '') return text;
  const whole = text.split(token).join(REDACTED);
  if (token.length < MIN_FRAGMENT_CHARS) return whole;
  let redacted = '';
  let i = 0;
  while (i < whole.length) {
    const run = longestTokenPieceAt(whole, i, token);
    if (run >= MIN_FRAGMENT_CHARS) {
      redacted += REDACTED;
      i += run;
    } else {
      redacted += whole[i];
      i++;
    }
  }
  return redacted;
}

/** Length of the longest piece of `token` that `text` has starting at `start`. */
function longestTokenPieceAt(text: string, start: number, token: string): number {
  let longest = 0;
  for (let t = token.indexOf(text[start]); t !== -1; t = token.indexOf(text[start], t + 1)) {
    let n = 1;
    while (start + n < text.length && t + n < token.length && text[start + n] === token[t + n]) n++;
    if (n > longest) longest = n;
  }
  return longest;
}
