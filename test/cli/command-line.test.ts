import { parseCommandLine, UsageError, type CommandSpec } from '../../src/cli/command-line';
import { REPLAY_CLOUDWATCH_SPEC } from '../../src/cli/replay-cloudwatch-command';
import { REPLAY_SPEC } from '../../src/cli/replay-command';
import { TAIL_SPEC } from '../../src/cli/tail-command';
import { parseDuration, parseTime, timeArgument } from '../../src/cli/time-values';

describe('command lines (util.parseArgs)', () => {
  it.each<[string, CommandSpec]>([
    ['tail', TAIL_SPEC],
    ['replay', REPLAY_SPEC],
    ['replay:cloudwatch', REPLAY_CLOUDWATCH_SPEC],
  ])('%s --help: usage for npm run and the bin, every option, examples', (script, spec) => {
    for (const argv of [['--help'], ['-h'], ['--since', '1h', '--help']]) {
      const parsed = parseCommandLine(spec, argv);
      if (!parsed.help) throw new Error('expected help');
      expect(parsed.text).toContain(`Usage: npm run ${script} -- `);
      expect(parsed.text).toContain(`   or: ${spec.bin} `);
      for (const name of Object.keys(spec.options)) expect(parsed.text).toMatch(new RegExp(`--${name}\\b`));
      expect(parsed.text).toContain('Examples:');
      for (const example of spec.examples) expect(parsed.text).toContain(example.command);
    }
  });

  it('rejects an unknown flag with the list of known ones and a guess', () => {
    const attempt = () => parseCommandLine(TAIL_SPEC, ['my-fn', '--folow']);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/unknown option --folow \(did you mean --follow\?\)/);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const name of [...Object.keys(TAIL_SPEC.options), 'help']) expect(message).toContain(`--${name}`);
    expect(message).toContain('npm run tail -- --help');
    expect(() => parseCommandLine(REPLAY_SPEC, ['--nope'])).toThrow(/unknown option --nope; replay knows --file, --keep, --dry-run, --help/);
    expect(() => parseCommandLine(REPLAY_SPEC, ['-x'])).toThrow(/unknown option -x/);
  });

  it('says which option lacks a value, takes none, or which argument is unexpected', () => {
    expect(() => parseCommandLine(TAIL_SPEC, ['--since'])).toThrow(/option --since needs a value: --since <when>/);
    expect(() => parseCommandLine(TAIL_SPEC, ['--since', '--follow'])).toThrow(/option --since needs a value/);
    expect(() => parseCommandLine(TAIL_SPEC, ['--follow=yes'])).toThrow(/option --follow takes no value/);
    expect(() => parseCommandLine(REPLAY_SPEC, ['-f'])).toThrow(/option --file needs a value/);
    expect(() => parseCommandLine(REPLAY_SPEC, ['extra'])).toThrow(/unexpected argument "extra": replay takes options only/);
  });

  it('parses values, repeats, shorts and positionals', () => {
    const parsed = parseCommandLine(TAIL_SPEC, ['a-fn', '-g', '/aws/lambda/b', '--log-group', 'c', '-f', '--since=1h', '--json']);
    if (parsed.help) throw new Error('no help asked');
    expect(parsed.positionals).toEqual(['a-fn']);
    expect(parsed.values).toEqual({ 'log-group': ['/aws/lambda/b', 'c'], follow: true, since: '1h', json: true });
  });
});

describe('time values', () => {
  it('reads --since as a duration ago or a date, as aws logs tail does', () => {
    expect(parseTime('--since', '10m', 1_000_000)).toBe(400_000);
    expect(parseTime('--since', '1w', 700_000_000)).toBe(700_000_000 - 604_800_000);
    expect(parseTime('--since', '2026-11-25T00:00:00Z')).toBe(Date.UTC(2026, 10, 25));
    expect(() => parseTime('--since', 'yesterday')).toThrow(/--since "yesterday" is neither a duration/);
  });
  it('reads durations and writes a time back as an argument', () => {
    expect(parseDuration('--wait', '500ms')).toBe(500);
    expect(parseDuration('--wait', '2s')).toBe(2000);
    expect(() => parseDuration('--wait', 'soon')).toThrow(UsageError);
    expect(timeArgument(Date.UTC(2026, 10, 25, 4, 0, 0, 123))).toBe('2026-11-25T04:00:00.123Z');
    expect(parseTime('--since', timeArgument(1764045116123))).toBe(1764045116123);
  });
});
