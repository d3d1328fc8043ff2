/**
 * Runs TypeScript programs: esbuild bundles the program's own files into a temporary directory with source maps,
 * leaving packages as imports of their resolved files (so the program shares the runtime instance the tracer is
 * installed into, and bare imports still resolve from the temporary directory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { LaunchError } from './launch-config.js';

export interface CompiledProgram {
  entry: string;
  dispose(): void;
}

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
  const dir = mkdtempSync(join(tmpdir(), 'deadbolt-dap-'));
  const entry = join(dir, `${basename(program, extname(program))}.mjs`);
  try {
    const result = await build({
      entryPoints: [program],
      outfile: entry,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      logLevel: 'silent',
      plugins: [externalPackages],
    });
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new LaunchError(`Cannot compile '${program}': ${detail}`);
  }
  return { entry, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
