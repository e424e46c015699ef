import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A check for the `LightStep-Access-Token` a report carries. Compares digests so neither the
 * length nor the content of the expected token leaks through timing; the token is never logged.
 */
export function accessTokenCheck(expected: string | undefined): (presented: string | undefined) => boolean {
  if (expected === undefined) return () => true;
  const want = createHash('sha256').update(expected).digest();
  return (presented) =>
    presented !== undefined && timingSafeEqual(want, createHash('sha256').update(presented).digest());
}
