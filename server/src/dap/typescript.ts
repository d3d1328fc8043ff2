/**
 * Runs TypeScript programs: esbuild bundles the entry and every other TypeScript file under its directory (each a
 * possible worker) into a mirrored temporary tree with source maps, leaving packages as imports of their resolved
 * files (so the program shares the runtime instance the tracer is installed into). The compiled entry publishes the
 * tree to the patched Worker of the runtime, which runs a worker named by its `.ts` source from its compiled module.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { LaunchError } from './launch-config.js';

export interface CompiledProgram {
  entry: string;
  /** What was compiled where, as published to the program's worker patch. */
  outputs: TypeScriptOutputs;
  dispose(): void;
}

/**
 * environmentData key the runtime's worker patch reads (TYPESCRIPT_OUTPUTS_KEY in runtime/src/trace/worker-patch.ts);
 * the value is JSON of this shape.
 */
const OUTPUTS_KEY = 'deadbolt:typescript-outputs';
export interface TypeScriptOutputs {
  sourceRoot: string;
  outputRoot: string;
  outputs: Record<string, string>;
  errors: Record<string, string>;
}

/** Bounds the work of a program launched from a large directory; files past it are not compiled (workers from them fail as before). */
const MAX_FILES = 500;
const TS_FILE = /\.(?:[cm]?ts|tsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

const builtins = new Set(builtinModules);

/** Keeps every package import external, rewritten to the absolute URL of the file it resolves to from the importer. */
const externalPackages: Plugin = {
  name: 'deadbolt-external-packages',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const spec = args.path;
      if (args.kind === 'entry-point' || spec.startsWith('.') || spec.startsWith('/')) return undefined;
      if (spec.startsWith('node:') || builtins.has(spec.split('/')[0]!)) return { path: spec, external: true };
      if (/^[a-z]+:/i.test(spec)) return { path: spec, external: true };
      try {
        return { path: pathToFileURL(createRequire(args.importer).resolve(spec)).href, external: true };
      } catch {
        return { path: spec, external: true };
      }
    });
  },
};

export async function compileTypeScript(program: string): Promise<CompiledProgram> {
  const sourceRoot = dirname(program);
  const outputRoot = mkdtempSync(join(tmpdir(), 'deadbolt-dap-'));
  const dispose = (): void => rmSync(outputRoot, { recursive: true, force: true });
  const entryRel = slashed(relative(sourceRoot, program));
  const others = typeScriptFiles(sourceRoot).filter((rel) => rel !== entryRel);
  const outputNames = outputNamesFor([entryRel, ...others]);
  const ts: TypeScriptOutputs = { sourceRoot, outputRoot, outputs: {}, errors: {} };
  // Other files are only possible workers: one that does not compile fails the launch only if a worker is started from it.
  await Promise.all(
    others.map(async (rel) => {
      try {
        await bundle(join(sourceRoot, rel), join(outputRoot, outputNames.get(rel)!));
        ts.outputs[rel] = outputNames.get(rel)!;
      } catch (error) {
        ts.errors[rel] = messageOf(error);
      }
    }),
  );
  ts.outputs[entryRel] = outputNames.get(entryRel)!;
  const entry = join(outputRoot, outputNames.get(entryRel)!);
  // One line, so it runs before the program's own top-level code (imports aside) and moves no mapped line.
  const banner =
    `import { setEnvironmentData as __deadboltSetEnvironmentData } from 'node:worker_threads'; ` +
    `__deadboltSetEnvironmentData(${JSON.stringify(OUTPUTS_KEY)}, ${JSON.stringify(JSON.stringify(ts))});`;
  try {
    await bundle(program, entry, banner);
  } catch (error) {
    dispose();
    throw new LaunchError(`Cannot compile '${program}': ${messageOf(error)}`);
  }
  return { entry, outputs: ts, dispose };
}

async function bundle(source: string, outfile: string, banner?: string): Promise<void> {
  const result = await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [externalPackages],
    ...(banner === undefined ? {} : { banner: { js: banner } }),
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
}

/** TypeScript sources under `root` (relative, '/'-separated, sorted), skipping node_modules, hidden folders and declarations. */
function typeScriptFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (found.length >= MAX_FILES) return;
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile() && TS_FILE.test(entry.name) && !DECLARATION.test(entry.name)) found.push(slashed(relative(root, path)));
    }
  };
  visit(root);
  return found;
}

/** `dir/name.ts` -> `dir/name.mjs` (so frames and messages still read as the source's name), kept unique. */
function outputNamesFor(sources: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const rel of sources) {
    let name = rel.replace(TS_FILE, '.mjs');
    if (taken.has(name)) name = `${rel}.mjs`;
    taken.add(name);
    names.set(rel, name);
  }
  return names;
}

function slashed(path: string): string {
  return path.split(sep).join('/');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
