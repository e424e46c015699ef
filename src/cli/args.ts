/** Minimal `--name value` / `--flag` parsing for the CLI tools, with errors that name the option. */
export function parseArgs(argv: string[], known: Record<string, 'string' | 'flag'>): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const name = arg.slice(2);
    const kind = known[name];
    if (kind === undefined) throw new Error(`unknown option --${name} (known: ${Object.keys(known).map((k) => `--${k}`).join(', ')})`);
    if (kind === 'flag') {
      out[name] = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`option --${name} needs a value`);
    out[name] = value;
  }
  return out;
}

const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 10m` or an ISO date → epoch ms. */
export function parseSince(value: string, now = Date.now()): number {
  const relative = DURATION.exec(value);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]];
  const absolute = Date.parse(value);
  if (Number.isNaN(absolute)) throw new Error(`--since "${value}" is neither a duration like 10m/2h/1d nor a date`);
  return absolute;
}
