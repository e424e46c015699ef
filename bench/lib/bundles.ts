/**
 * Every handler the bench runs, bundled the way `sam build` bundles the functions of
 * template.yaml (scripts/build.ts reads their BuildProperties): the real TracedFunction,
 * DirectTracedFunction and LogSpanForwarder bundles, and the bench's own handlers (untraced,
 * the 11-span variant of ours, the two peers) with the options of TracedFunction or
 * DirectTracedFunction and only the entry point changed.
 *
 * Built inside the project (dist/bench) so the externals resolve from node_modules as they
 * would from the Lambda runtime (@aws-sdk) and the Datadog layer (dd-trace).
 */
import * as path from 'node:path';
import { buildBundle, PROJECT_ROOT, readBundleTargets, type BuiltBundle, type BundleTarget } from '../../scripts/build';

export const BUNDLE_DIR = path.join(PROJECT_ROOT, 'dist', 'bench');

export interface BenchBundles {
  /** TracedFunction: the demo handler in log mode (1 span per invocation). */
  log: BuiltBundle;
  /** DirectTracedFunction: the demo handler with lightstep-tracer bundled. */
  direct: BuiltBundle;
  forwarder: BuiltBundle;
  untraced: BuiltBundle;
  /** Ours with ten children, log-mode options (lightstep-tracer external, never loaded). */
  elevenLog: BuiltBundle;
  /** Ours with ten children, direct-mode options (lightstep-tracer bundled). */
  elevenDirect: BuiltBundle;
  otel: BuiltBundle;
  ddTrace: BuiltBundle;
}

export async function buildBenchBundles(outRoot: string = BUNDLE_DIR): Promise<BenchBundles> {
  const targets = readBundleTargets();
  const target = (logicalId: string): BundleTarget => {
    const found = targets.find((t) => t.logicalId === logicalId);
    if (!found) throw new Error(`template.yaml has no esbuild function ${logicalId}`);
    return found;
  };
  const logTarget = target('TracedFunction');
  const directTarget = target('DirectTracedFunction');
  const like = (base: BundleTarget, name: string, entry: string, extraExternal: string[] = []): BundleTarget => ({
    ...base,
    logicalId: name,
    handlerFile: `${path.basename(entry, '.ts')}.js`,
    entryPoints: [path.join(PROJECT_ROOT, entry)],
    esbuild: {
      ...base.esbuild,
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [entry],
      external: [...(base.esbuild.external ?? []), ...extraExternal],
    },
  });
  const build = (t: BundleTarget) => buildBundle(t, path.join(outRoot, t.logicalId));
  const [log, direct, forwarder, untraced, elevenLog, elevenDirect, otel, ddTrace] = await Promise.all([
    build(logTarget),
    build(directTarget),
    build(target('LogSpanForwarder')),
    build(like(logTarget, 'bench-untraced', 'bench/handlers/untraced.ts')),
    build(like(logTarget, 'bench-ours-eleven-log', 'bench/handlers/ours-eleven.ts')),
    build(like(directTarget, 'bench-ours-eleven-direct', 'bench/handlers/ours-eleven.ts')),
    build(like(logTarget, 'bench-otel-stdout', 'bench/handlers/otel-stdout.ts')),
    // Datadog's guide: dd-trace cannot be bundled; it comes from their Lambda layer.
    build(like(logTarget, 'bench-dd-trace-log', 'bench/handlers/dd-trace-log.ts', ['dd-trace'])),
  ]);
  return { log, direct, forwarder, untraced, elevenLog, elevenDirect, otel, ddTrace };
}
