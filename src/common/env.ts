/** The process environment, or a plain object standing in for it (tests, the local stack). */
export type Env = Record<string, string | undefined>;

/** A missing or bad setting. The message names the variable and never echoes a secret. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A set value: undefined for unset and for '' (an empty variable in a template means "default"). */
export function setting(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/**
 * A TCP port from the environment. `listening` ports may be 0 (the OS picks a free one, as the
 * tests do); a port to connect to may not.
 */
export function readPort(env: Env, name: string, fallback: number, use: 'listen' | 'connect'): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const lowest = use === 'listen' ? 0 : 1;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= lowest && port <= 65535)) {
    throw new ConfigError(`${name} must be a port number (${lowest}-65535), got ${JSON.stringify(raw.slice(0, 20))}`);
  }
  return port;
}

/** A whole number in [min, max] from the environment. */
export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(`${name} must be a whole number (${min}-${max}), got ${JSON.stringify(raw.slice(0, 20))}`);
  }
  return value;
}
