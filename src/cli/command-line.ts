/**
 * Every CLI here parses its arguments with node's util.parseArgs through this one description:
 * the same spec gives the parser its options, `--help` its text, and an unknown flag the list of
 * known ones.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The option may be repeated; its values come as an array. */
  multiple?: boolean;
  /** Placeholder of the value in --help, e.g. `when` for `--since <when>`. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  /** The npm script (`npm run <script> --`). */
  script: string;
  /** The package.json `bin` name. */
  bin: string;
  /** What follows the command in the usage line, e.g. `[options] [log-group ...]`. */
  synopsis: string;
  summary: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments are allowed (and described in the synopsis). */
  positionals?: boolean;
  examples: Array<{ command: string; says: string }>;
  /** Paragraphs after the examples. */
  notes?: string[];
}

/** A command line the tool cannot run: the message says what is wrong and how to ask for help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean' ? boolean : O['multiple'] extends true ? string[] : string;
export type OptionValues<S extends Record<string, OptionSpec>> = { [K in keyof S]?: ValueOf<S[K]> };

export type ParsedCommandLine<S extends Record<string, OptionSpec>> =
  | { help: true; text: string }
  | { help: false; values: OptionValues<S>; positionals: string[] };

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'this help' };

export function parseCommandLine<S extends Record<string, OptionSpec>>(spec: CommandSpec & { options: S }, argv: string[]): ParsedCommandLine<S> {
  const options = { ...spec.options, help: HELP };
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) return { help: true, text: helpText(spec) };
  try {
    const parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
      ),
      allowPositionals: spec.positionals === true,
      strict: true,
    });
    const { help: _help, ...values } = parsed.values as Record<string, unknown>;
    return { help: false, values: values as OptionValues<S>, positionals: parsed.positionals };
  } catch (error) {
    throw usageErrorFrom(error as Error & { code?: string }, spec, options);
  }
}

function usageErrorFrom(error: Error & { code?: string }, spec: CommandSpec, options: Record<string, OptionSpec>): Error {
  const see = `(npm run ${spec.script} -- --help)`;
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const known = Object.keys(options).map((name) => `--${name}`);
      const guess = closest(quoted.replace(/^-+/, ''), Object.keys(options));
      return new UsageError(
        `unknown option ${quoted}${guess ? ` (did you mean --${guess}?)` : ''}; ${spec.script} knows ${known.join(', ')} ${see}`,
      );
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // node names the option as '--since <value>' or, with a short form, '-f, --file <value>'.
      const long = /--([\w-]+)/.exec(quoted)?.[1] ?? quoted;
      const name = `--${long}`;
      const option = options[long];
      if (option?.type === 'boolean') return new UsageError(`option ${name} takes no value ${see}`);
      return new UsageError(`option ${name} needs a value: ${name} <${option?.value ?? 'value'}> ${see}`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument "${quoted}": ${spec.script} takes options only ${see}`);
    default:
      return error;
  }
}

/** A known name at most two edits away, for "did you mean". */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

export function helpText(spec: CommandSpec): string {
  const options = { ...spec.options, help: HELP };
  const labels = Object.entries(options).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '    ';
    return { label: `${short}--${name}${o.type === 'string' ? ` <${o.value ?? 'value'}>` : ''}`, text: o.description };
  });
  const width = Math.max(...labels.map((l) => l.label.length)) + 2;
  const lines = [
    `Usage: npm run ${spec.script} -- ${spec.synopsis}`,
    `   or: ${spec.bin} ${spec.synopsis}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...labels.map(({ label, text }) => `  ${label.padEnd(width)}${text}`),
    '',
    'Examples:',
    ...spec.examples.flatMap(({ command, says }) => [`  ${command}`, `      ${says}`]),
  ];
  if (spec.notes?.length) lines.push('', ...spec.notes.flatMap((note, i) => (i === 0 ? [note] : ['', note])));
  return lines.join('\n') + '\n';
}
