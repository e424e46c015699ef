import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// One owner per concept, kept: which folder of src/ may import which. A new import that crosses
// one of these lines fails here, with the file and the import named.
const SRC = path.resolve(__dirname, '../src');

interface SourceFile {
  /** Relative to src/, e.g. 'function/handler.ts'. */
  file: string;
  text: string;
  /** Every module specifier it imports or requires. */
  imports: string[];
}

function sources(dir = SRC): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    if (!entry.name.endsWith('.ts')) return [];
    const text = readFileSync(full, 'utf8');
    const imports = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*|^import\s+)'([^']+)'/gm)].map((m) => m[1]);
    return [{ file: path.relative(SRC, full), text, imports }];
  });
}

/** The src/ folder an import from `file` lands in, or the package name. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return `src/${path.relative(SRC, path.resolve(SRC, path.dirname(file), specifier)).split(path.sep)[0]}`;
}

function crossings(from: string, to: string[]): string[] {
  return sources()
    .filter((source) => source.file.startsWith(`${from}/`))
    .flatMap((source) => source.imports.filter((spec) => to.includes(target(source.file, spec))).map((spec) => `${source.file} imports ${spec}`));
}

describe('import rules of src/', () => {
  it('the function and the forwarder meet only through log lines', () => {
    expect(crossings('function', ['src/log-span-forwarder'])).toEqual([]);
    expect(crossings('log-span-forwarder', ['src/function'])).toEqual([]);
  });

  it('the embedded collector knows only the wire', () => {
    expect(crossings('collector', ['src/log-span-forwarder', 'src/service', 'src/function', 'src/span-line', 'src/local'])).toEqual([]);
  });

  it('the service never imports the local stack', () => {
    expect(crossings('service', ['src/local'])).toEqual([]);
  });

  it('lightstep-tracer is imported from src/lightstep only', () => {
    const outside = sources()
      .filter((source) => !source.file.startsWith('lightstep/'))
      .flatMap((source) => source.imports.filter((spec) => spec.startsWith('lightstep-tracer')).map((spec) => `${source.file} imports ${spec}`));
    expect(outside).toEqual([]);
  });

  it('LIGHTSTEP_* settings are read in src/lightstep/target.ts only', () => {
    const readers = sources()
      // env.LIGHTSTEP_X, env['LIGHTSTEP_X'], or a reader called with (env, 'LIGHTSTEP_X'); messages may name them.
      .filter((source) => /(?:env\.|env\[\s*'|\(\s*\w+\s*,\s*')LIGHTSTEP_[A-Z_]+/.test(source.text))
      .map((source) => source.file);
    expect(readers).toEqual(['lightstep/target.ts']);
  });

  it('the function takes the span-line encoder side only (the index and decoder bring ajv into every bundle of it)', () => {
    const decoderSide = sources()
      .filter((source) => source.file.startsWith('function/'))
      .flatMap((source) =>
        source.imports
          .filter((spec) => target(source.file, spec) === 'src/span-line')
          .filter((spec) => !/span-line\/(encode|format|ids|span)$/.test(spec))
          .map((spec) => `${source.file} imports ${spec}`),
      );
    expect(decoderSide).toEqual([]);
  });

  it('OTEL_EXPORTER_OTLP_* settings are read in src/otlp/target.ts only', () => {
    const readers = sources()
      // env.OTEL_EXPORTER_OTLP_X, env['OTEL_EXPORTER_OTLP_X'], or a reader called with (env, 'OTEL_EXPORTER_OTLP_X').
      .filter((source) => /(?:env\.|env\[\s*'|\(\s*\w+\s*,\s*')OTEL_EXPORTER_OTLP_[A-Z_]+/.test(source.text))
      .map((source) => source.file);
    expect(readers).toEqual(['otlp/target.ts']);
  });

  it('the OTLP wire format knows no span line, forwarder or collector (both sides share it, like src/lightstep/wire)', () => {
    expect(crossings('otlp', ['src/span-line', 'src/log-span-forwarder', 'src/collector', 'src/service', 'src/function', 'src/local'])).toEqual([]);
  });

  it('the function’s log mode never reaches lightstep-tracer: src/function imports src/lightstep/target (settings) only, and the reporter lazily', () => {
    const lightStepImports = sources()
      .filter((source) => source.file.startsWith('function/'))
      .flatMap((source) => source.imports.filter((spec) => target(source.file, spec) === 'src/lightstep').map((spec) => `${source.file}: ${spec}`));
    expect([...new Set(lightStepImports)].sort()).toEqual(['function/direct-reporting.ts: ../lightstep/reporter', 'function/direct-reporting.ts: ../lightstep/target', 'function/handler.ts: ../lightstep/target']);
  });
});
