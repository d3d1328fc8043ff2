/**
 * Finds the files an analysis covers and decides, from their text alone, which ones can matter.
 * The syntactic prefilter keeps the type checker away from files that never touch locks, workers or shared memory.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git']);

export function isSourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(file);
}

/** Every source file named by `paths` (files as given, folders walked), absolute and sorted, without duplicates. */
export function discoverFiles(cwd: string, paths: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (entry: string): void => {
    const stat = statSync(entry, { throwIfNoEntry: false });
    if (!stat) throw new Error(`No such file or folder: ${entry}`);
    if (stat.isFile()) {
      found.add(entry);
      return;
    }
    for (const child of readdirSync(entry, { withFileTypes: true })) {
      if (child.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(child.name)) visit(path.join(entry, child.name));
      } else if (child.isFile() && isSourceFile(child.name)) {
        found.add(path.join(entry, child.name));
      }
    }
  };
  for (const p of paths) visit(path.resolve(cwd, p));
  return [...found].sort();
}

/** Text markers of a file that may take part in concurrency: the runtime, Atomics, workers, declared guards. */
const RELEVANT = /@deadbolt\/runtime|async-mutex|\blocks\s*[?!]?\s*\.\s*request\b|\bLockManager\b|\bAtomics\b|\bWorker\b|worker_threads|SharedArrayBuffer|@guardedBy|Sync\(/;
/** A message handler of a Web Worker or an AudioWorklet, where views over shared memory often arrive... */
const RECEIVES = /\bonmessage\b|AudioWorkletProcessor|addEventListener\(\s*['"]message['"]/;
/** ...and a typed-array view made there: both are needed, since message handlers alone are everywhere in web code. */
const MAKES_VIEW = /\bnew\s+(?:Int8|Uint8|Uint8Clamped|Int16|Uint16|Int32|Uint32|Float16|Float32|Float64|BigInt64|BigUint64)Array\s*\(/;

/**
 * True when the file's text could hold something any rule reports; cheap enough to run on every file.
 * `blocking` (from `blockingPattern`) adds the configured blocking functions, which may have any name.
 */
export function mentionsConcurrency(text: string, blocking?: RegExp): boolean {
  return RELEVANT.test(text) || (RECEIVES.test(text) && MAKES_VIEW.test(text)) || (blocking !== undefined && blocking.test(text));
}

/**
 * A call to any configured blocking function (`name` or `module#name`), by its name as written in the text;
 * undefined when none is configured. Aliased imports are still found: the import names the original.
 */
export function blockingPattern(blockingFunctions: readonly string[] | undefined): RegExp | undefined {
  const names = [...new Set((blockingFunctions ?? []).map((entry) => entry.slice(entry.indexOf('#') + 1)).filter((n) => n !== ''))];
  if (names.length === 0) return undefined;
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\w$])(?:${escaped.join('|')})(?![\\w$])`);
}
