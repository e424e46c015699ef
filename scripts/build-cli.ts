/**
 * `npm run build:cli` (and `prepare`, so `npm link`, `npm pack` and `npm install` build them):
 * the package.json `bin` commands as plain JavaScript. Each bin names dist/cli/<name>.js, bundled
 * by esbuild from src/cli/<name>.ts with everything it imports, so an installed command needs
 * neither tsx nor the dev dependencies. package.json is the one list of commands.
 */
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const BIN_FILE = /^dist\/cli\/([a-z-]+)\.js$/;

export interface CliBundle {
  bin: string;
  entry: string;
  /** Where package.json points (dist/cli/<name>.js), relative to the output root. */
  output: string;
}

/** The bins of package.json, each with the source it is built from. */
export function cliBundles(root: string = PROJECT_ROOT): CliBundle[] {
  const { bin } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  return Object.entries(bin ?? {}).map(([name, file]) => {
    const match = BIN_FILE.exec(file);
    if (!match) throw new Error(`bin ${name}: ${file} is not dist/cli/<name>.js`);
    const entry = path.join(root, 'src/cli', `${match[1]}.ts`);
    if (!existsSync(entry)) throw new Error(`bin ${name}: no ${path.relative(root, entry)} to build ${file} from`);
    return { bin: name, entry, output: file };
  });
}

/** Builds every bin under outRoot (the project root by default: dist/cli/…). */
export async function buildCli(outRoot: string = PROJECT_ROOT): Promise<Array<CliBundle & { file: string; bytes: number }>> {
  const built = [];
  for (const bundle of cliBundles()) {
    const file = path.join(outRoot, bundle.output);
    await build({
      entryPoints: [bundle.entry],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'warning',
    });
    chmodSync(file, 0o755);
    built.push({ ...bundle, file, bytes: statSync(file).size });
  }
  return built;
}

if (require.main === module) {
  buildCli().then(
    (built) => {
      // stderr: `npm pack --json` (prepack runs this) keeps stdout for its JSON.
      for (const b of built) console.error(`${b.bin.padEnd(22)} ${path.relative(PROJECT_ROOT, b.file).padEnd(32)} ${(b.bytes / 1024).toFixed(0)} KiB`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
