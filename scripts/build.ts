/**
 * `npm run build`: bundles every esbuild-built function in template.yaml the way `sam build` does,
 * into dist/<LogicalId>/ (sam build writes .aws-sam/build/<LogicalId>/), and prints each size.
 *
 * template.yaml is the one source of truth: entry points, target, format, minify, source maps and
 * externals all come from each function's `Metadata.BuildProperties`. The flags mirror the SAM CLI's
 * esbuild workflow (aws-lambda-builders, nodejs_npm_esbuild/esbuild.py): always `--bundle
 * --platform=node --outdir=<artifact dir>`, then `--target` (default es2020), `--format` (default
 * cjs), `--minify` (default on), `--sourcemap` when true, one `--external:` per entry. A property
 * this script does not mirror fails the build instead of being silently ignored (UseNpmCi only
 * tells SAM to install with `npm ci`; here node_modules is already installed).
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseCfnYaml, type CfnTemplate } from './cfn-yaml';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const TEMPLATE_PATH = path.join(PROJECT_ROOT, 'template.yaml');

/** One function to bundle, as template.yaml describes it. */
export type BundleTarget = {
  logicalId: string;
  /** The Handler property, e.g. `handler.handler`. */
  handler: string;
  /** The file Lambda loads: Handler's module part + .js (relative to the artifact root). */
  handlerFile: string;
  handlerExport: string;
  /** Entry points resolved against CodeUri (absolute paths). */
  entryPoints: string[];
  /** Options for esbuild's API, everything except the output directory. */
  esbuild: Omit<BuildOptions, 'outdir'> & { absWorkingDir: string };
};

export type BuiltBundle = {
  target: BundleTarget;
  /** Absolute path of the bundle Lambda would load. */
  file: string;
  bytes: number;
  sourceMapBytes: number;
  /** Every source file esbuild put into the bundle, relative to the project root. */
  inputs: string[];
  /** Bytes each package (or `src` for our own code) contributes to the bundle, largest first. */
  packageBytes: Array<[string, number]>;
  warnings: string[];
};

const MIRRORED_PROPERTIES = new Set(['EntryPoints', 'Target', 'Format', 'Minify', 'Sourcemap', 'External', 'MainFields']);
/** BuildProperties that steer how SAM installs dependencies, not how esbuild bundles: nothing to mirror. */
const INSTALL_PROPERTIES = new Set(['UseNpmCi']);

export function readTemplate(templatePath: string = TEMPLATE_PATH): CfnTemplate {
  return parseCfnYaml(readFileSync(templatePath, 'utf8'));
}

/** The esbuild-built functions of a template, with the options `sam build` would pass to esbuild. */
export function readBundleTargets(templatePath: string = TEMPLATE_PATH): BundleTarget[] {
  const template = readTemplate(templatePath);
  const templateDir = path.dirname(templatePath);
  const globals = template.Globals?.Function ?? {};
  const targets: BundleTarget[] = [];

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function' || resource.Metadata?.BuildMethod !== 'esbuild') continue;
    const properties = { ...globals, ...resource.Properties };
    const props = (resource.Metadata.BuildProperties ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(props)) {
      if (!MIRRORED_PROPERTIES.has(key) && !INSTALL_PROPERTIES.has(key)) throw new Error(`${logicalId}: BuildProperties.${key} is not mirrored by scripts/build.ts`);
    }

    const codeUri = properties.CodeUri;
    const handler = properties.Handler;
    if (typeof codeUri !== 'string') throw new Error(`${logicalId}: CodeUri must be a local path`);
    if (typeof handler !== 'string' || !handler.includes('.')) throw new Error(`${logicalId}: Handler must be <module>.<export>`);
    const codeDir = path.resolve(templateDir, codeUri);
    const entryPoints = stringList(props.EntryPoints, `${logicalId}: EntryPoints`);
    if (entryPoints.length === 0) throw new Error(`${logicalId}: EntryPoints must not be empty`);

    const dot = handler.lastIndexOf('.');
    const handlerFile = `${handler.slice(0, dot)}.js`;
    // esbuild writes a lone entry point to <outdir>/<basename>.js: the Handler must name that file.
    const produced = entryPoints.map((entry) => `${path.basename(entry, path.extname(entry))}.js`);
    if (entryPoints.length === 1 && produced[0] !== handlerFile) {
      throw new Error(`${logicalId}: Handler ${handler} expects ${handlerFile}, but the bundle will be ${produced[0]}`);
    }

    targets.push({
      logicalId,
      handler,
      handlerFile,
      handlerExport: handler.slice(dot + 1),
      entryPoints: entryPoints.map((entry) => path.resolve(codeDir, entry)),
      esbuild: {
        absWorkingDir: codeDir,
        entryPoints,
        bundle: true,
        platform: 'node',
        target: typeof props.Target === 'string' ? props.Target : 'es2020',
        format: props.Format === undefined ? 'cjs' : (props.Format as BuildOptions['format']),
        minify: props.Minify === undefined ? true : props.Minify === true,
        sourcemap: props.Sourcemap === true,
        external: props.External === undefined ? [] : stringList(props.External, `${logicalId}: External`),
        ...(typeof props.MainFields === 'string' ? { mainFields: props.MainFields.split(',') } : {}),
      },
    });
  }
  return targets;
}

/** Bundles one function into outDir (created by esbuild) and measures the result. */
export async function buildBundle(target: BundleTarget, outDir: string): Promise<BuiltBundle> {
  const result = await build({ ...target.esbuild, outdir: outDir, metafile: true, logLevel: 'silent' });
  const file = path.join(outDir, target.handlerFile);
  const mapFile = `${file}.map`;
  return {
    target,
    file,
    bytes: statSync(file).size,
    sourceMapBytes: target.esbuild.sourcemap ? statSync(mapFile).size : 0,
    inputs: bundledInputs(result.metafile, target.esbuild.absWorkingDir),
    packageBytes: packageBytes(result.metafile),
    warnings: result.warnings.map((w) => `${w.location?.file ?? ''}: ${w.text}`),
  };
}

export async function buildAll(outRoot: string, templatePath: string = TEMPLATE_PATH): Promise<BuiltBundle[]> {
  const built: BuiltBundle[] = [];
  for (const target of readBundleTargets(templatePath)) {
    built.push(await buildBundle(target, path.join(outRoot, target.logicalId)));
  }
  return built;
}

function bundledInputs(metafile: Metafile, workingDir: string): string[] {
  return Object.keys(metafile.inputs).map((input) => path.relative(PROJECT_ROOT, path.resolve(workingDir, input)));
}

function packageBytes(metafile: Metafile): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? 'src';
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${what} must be a list of strings`);
  return value as string[];
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(): Promise<void> {
  const outRoot = path.join(PROJECT_ROOT, 'dist');
  for (const bundle of await buildAll(outRoot)) {
    const largest = bundle.packageBytes.slice(0, 5).map(([name, bytes]) => `${name} ${kb(bytes)}`);
    console.log(
      `${bundle.target.logicalId.padEnd(21)} ${path.relative(PROJECT_ROOT, bundle.file).padEnd(37)} ` +
        `${kb(bundle.bytes).padStart(8)} (+ ${kb(bundle.sourceMapBytes)} source map); largest: ${largest.join(', ')}`,
    );
    for (const warning of bundle.warnings) console.log(`  warning ${warning}`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
