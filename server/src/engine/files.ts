/**
 * Finds the files an analysis covers and decides, from their text alone, which ones can matter.
 * The syntactic prefilter keeps the type checker away from files that never touch locks, workers or shared memory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { FileGlobs } from './file-globs.js';

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function isSourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => file.endsWith(ext)) && !/\.d\.[mc]?ts$/.test(file);
}

/**
 * Why the default scope leaves a file out: code that is not the project's own (a package manager's committed
 * release, a vendored folder), build output, minified code and bundles. The configuration's `include` brings any of
 * them back.
 */
export type SkipReason = 'vendored' | 'output' | 'minified' | 'bundle';

/** How each reason reads in the one-line notice, in the order it lists them. */
export const SKIP_REASONS: Record<SkipReason, string> = {
  vendored: 'vendored (.yarn/, .pnp.*)',
  output: 'build output (dist/, outDir, .next/...)',
  minified: 'minified (*.min.js, long lines)',
  bundle: 'bundles (over 1 MiB, or a bundler\'s module loader)',
};

/** Folders never entered nor counted: everyone expects them skipped, and counting node_modules would cost seconds. */
const UNCOUNTED_FOLDERS = new Set(['node_modules', '.git']);
/** Folders of code the project did not write: Yarn Berry's releases, plugins, SDKs and unplugged packages. */
const VENDORED_FOLDERS = new Set(['.yarn']);
/** Build output of common tools, besides the outDir a tsconfig or jsconfig names. */
const OUTPUT_FOLDERS = new Set(['dist', '.next', '.nuxt', '.output', '.svelte-kit', '.turbo', '.vercel', '.docusaurus', 'coverage']);
/** Yarn Plug'n'Play's generated loader files. */
const PNP_FILE = /^\.pnp\.(?:c?js|loader\.mjs)$/;
const MINIFIED_NAME = /[.-]min\.[mc]?js$/;
/** Biome's default `files.maxSize`: hand-written modules stay far below it, bundles and generated tables do not. */
export const BUNDLE_BYTES = 1024 * 1024;
/** Minified code: a file of some size whose lines average this many characters (formatted code averages under 40). */
const MINIFIED_MEAN_LINE = 500;
const MINIFIED_MIN_BYTES = 16 * 1024;
/**
 * The module loader a bundler writes at the top of its output: browserify's prelude (minified, in its two
 * generations), webpack's bootstrap and Parcel's `parcelRequire`. Bundles committed for a demo page or a test run
 * repeat the project's own sources (and its dependencies') under another name; their lines are short, so only this
 * marker, near the start of a file of some size, tells them apart from hand-written code.
 */
const BUNDLE_LOADER = /"function"==typeof require&&require|typeof require=="function"&&require|webpackBootstrap|__webpack_require__|parcelRequire/;
/** How far into a file the loader is looked for: a license banner may come first. */
const BUNDLE_LOADER_WITHIN = 2048;

/** Skipped files by reason, with the first few of each for `--verbose`. */
export type SkipCounts = Partial<Record<SkipReason, string[]>>;

/**
 * The default scope of an analysis below one folder: which files are left out and why. `include` globs (relative to
 * `base`, the configuration's folder) bring files back, and open the folders they name or reach into.
 */
export class Scope {
  private readonly include: FileGlobs;
  /** Folders (absolute) named as output by a tsconfig.json or jsconfig.json found while walking. */
  private readonly outDirs = new Set<string>();

  constructor(
    private readonly base: string,
    include: readonly string[] | undefined,
  ) {
    this.include = new FileGlobs(include ?? [], base);
  }

  /** True when `include` names the file (or a folder above it): the default scope does not apply to it. */
  included(file: string): boolean {
    return this.include.matches(file);
  }

  /** Why a folder is out of the default scope, by its name or as an outDir its parent's config named. */
  private folderReason(folder: string): SkipReason | 'uncounted' | undefined {
    const name = path.basename(folder);
    if (UNCOUNTED_FOLDERS.has(name)) return 'uncounted';
    return VENDORED_FOLDERS.has(name) ? 'vendored' : OUTPUT_FOLDERS.has(name) || this.outDirs.has(folder) ? 'output' : undefined;
  }

  /**
   * Why a file the compiler or a walk found is out of the default scope, from its path (folders below `base`) and
   * size; undefined when it is in. A file outside `base` is judged by its name and size only. Below a skipped folder
   * that `include` opened, only the files `include` names are in.
   */
  reasonByPath(file: string, size?: number): SkipReason | undefined {
    if (this.included(file)) return undefined;
    const relative = path.relative(this.base, file);
    const folders = relative.startsWith('..') || path.isAbsolute(relative) ? [] : relative.split(path.sep).slice(0, -1);
    let folder = this.base;
    for (const name of folders) {
      folder = path.join(folder, name);
      const reason = this.folderReason(folder);
      if (reason !== undefined && reason !== 'uncounted') return reason;
    }
    const name = path.basename(file);
    if (PNP_FILE.test(name)) return 'vendored';
    if (MINIFIED_NAME.test(name)) return 'minified';
    const bytes = size ?? statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    return bytes > BUNDLE_BYTES ? 'bundle' : undefined;
  }

  /**
   * `minified` for a text that reads as minified code (see MINIFIED_MEAN_LINE), `bundle` for one that starts with a
   * bundler's module loader (BUNDLE_LOADER), unless `include` names the file.
   */
  reasonByText(file: string, text: string): SkipReason | undefined {
    if (text.length < MINIFIED_MIN_BYTES || this.included(file)) return undefined;
    let lines = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
    if (text.length / lines > MINIFIED_MEAN_LINE) return 'minified';
    return BUNDLE_LOADER.test(text.slice(0, BUNDLE_LOADER_WITHIN)) ? 'bundle' : undefined;
  }

  /**
   * Every source file named by `paths` (files as given, even out of scope, folders walked), absolute and sorted,
   * without duplicates, and the files the default scope left out.
   */
  discover(cwd: string, paths: readonly string[]): { files: string[]; skipped: SkipCounts } {
    const found = new Set<string>();
    const skipped: SkipCounts = {};
    const visit = (entry: string, named: boolean): void => {
      const stat = statSync(entry, { throwIfNoEntry: false });
      if (!stat) throw new Error(`No such file or folder: ${entry}`);
      if (stat.isFile()) {
        const reason = named ? undefined : this.reasonByPath(entry, stat.size);
        if (reason === undefined) found.add(entry);
        else (skipped[reason] ??= []).push(entry);
        return;
      }
      this.readOutDirs(entry);
      for (const child of readdirSync(entry, { withFileTypes: true })) {
        const full = path.join(entry, child.name);
        if (child.isDirectory()) {
          const reason = this.folderReason(full);
          // A skipped folder `include` reaches into is entered; its files are judged one by one.
          if (reason === undefined || this.include.mayMatchInside(full)) visit(full, false);
          else if (reason !== 'uncounted') for (const file of sourceFilesBelow(full)) (skipped[reason] ??= []).push(file);
        } else if (child.isFile() && isSourceFile(child.name)) {
          visit(full, false);
        }
      }
    };
    for (const p of paths) visit(path.resolve(cwd, p), true);
    return { files: [...found].sort(), skipped };
  }

  /** Notes the outDir and declarationDir of a tsconfig.json or jsconfig.json in `folder` (read leniently: comments, trailing commas). */
  private readOutDirs(folder: string): void {
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      let text: string;
      try {
        text = readFileSync(path.join(folder, name), 'utf8');
      } catch {
        continue;
      }
      const options = (parseJsonc(text) as { compilerOptions?: Record<string, unknown> } | undefined)?.compilerOptions;
      for (const key of ['outDir', 'declarationDir']) {
        const value = options?.[key];
        if (typeof value === 'string' && value !== '' && value !== '.') this.outDirs.add(path.resolve(folder, value));
      }
    }
  }
}

/** Source files below a skipped folder (not entering node_modules or .git), for the count of what was skipped. */
function sourceFilesBelow(folder: string): string[] {
  const out: string[] = [];
  for (const child of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, child.name);
    if (child.isDirectory() && !UNCOUNTED_FOLDERS.has(child.name)) out.push(...sourceFilesBelow(full));
    else if (child.isFile() && isSourceFile(child.name)) out.push(full);
  }
  return out;
}

/** Every source file named by `paths` in the default scope without `include` (see Scope.discover). */
export function discoverFiles(cwd: string, paths: readonly string[]): string[] {
  return new Scope(path.resolve(cwd), undefined).discover(cwd, paths).files;
}

/** The one-line notice of what the default scope skipped ("skipped 3 files: 1 vendored (.yarn/), 2 minified"), or undefined. */
export function describeSkipped(skipped: SkipCounts): string | undefined {
  const parts = (Object.keys(SKIP_REASONS) as SkipReason[]).filter((r) => (skipped[r]?.length ?? 0) > 0).map((r) => `${skipped[r]!.length} ${SKIP_REASONS[r]}`);
  if (parts.length === 0) return undefined;
  const total = Object.values(skipped).reduce((sum, files) => sum + files.length, 0);
  return `skipped ${total} file${total === 1 ? '' : 's'} out of scope: ${parts.join(', ')}; "include" in deadbolt.config.json brings them back`;
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

const NODE_BUILTINS = new Set(builtinModules);
/** Module specifiers in imports, re-exports, dynamic imports and require calls. */
const SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"]([^'"\n]+)['"]/g;
/**
 * Globals only @types/node declares (among what ES2024 lacks), and triple-slash type references. `process` and
 * `global` count when used (`process.env`), not as words in comments.
 */
const NODE_GLOBALS =
  /\b(?:process|global)\.|\b(?:Buffer|require|__dirname|__filename|NodeJS|setImmediate|clearImmediate|setTimeout|clearTimeout|setInterval|clearInterval|queueMicrotask|structuredClone)\b|<reference\s+types=/;

/**
 * True when a file's text may refer to something declared by @types/node: a Node built-in module (`node:fs`,
 * `worker_threads`) or a Node global. Errs towards true: a false true costs time, a false false could cost a finding.
 */
export function mentionsNode(text: string): boolean {
  if (NODE_GLOBALS.test(text)) return true;
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1]!;
    if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]!)) return true;
  }
  return false;
}

/** Triple-slash directives and ambient module declarations: what the compiler reads besides import specifiers. */
const DIRECTIVES = /^\s*\/\/\/\s*<reference\b[^>]*>|\bdeclare\s+module\s*['"][^'"]+['"]/gm;

/**
 * What the choice of files can read of a text that is not analysed itself: whether the prefilter keeps it, the
 * modules it names (import following and the prefilter's importers read nothing else), and its directives. Two texts
 * with one signature lead to the same files being analysed, so a cache keys such files by it, not by their content.
 */
export function scanSignature(text: string, extra: RegExp | undefined): string {
  const specifiers = [...text.matchAll(SPECIFIER)].map((m) => m[1]!);
  const directives = [...text.matchAll(DIRECTIVES)].map((m) => m[0].trim());
  return JSON.stringify([mentionsConcurrency(text, extra), mentionsNode(text), specifiers, directives]);
}
