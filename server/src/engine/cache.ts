/**
 * The results cache of `deadbolt check --cache`, as ESLint's `--cache` and Ruff's cache: a file the user may keep
 * between runs (and in CI) holding the last result of each command line, keyed by everything it was computed from.
 * A lookup needs neither TypeScript nor the analysis: it reads files, hashes them and compares, so an unchanged
 * project answers in the time it takes to read it.
 *
 * What a result depends on, and how each is keyed:
 * - the engine (package and TypeScript versions), the configuration, the command line's target and cwd: the entry's name;
 * - the config files read (tsconfigs, their bases and references, workspace manifests): content hashes;
 * - which files exist in scope: the sorted list the default scope finds below the analysed folder (and the folders of
 *   root files outside it), so an added or removed file misses;
 * - the analysed files (those the prefilter kept) and every other file the compiler read for them (declarations in
 *   node_modules included): content hashes;
 * - every other root file: its prefilter signature (`scanSignature`: whether it is kept, what it imports and names),
 *   since that is all the choice of analysed files reads of it. Editing such a file without changing its signature
 *   cannot change the result, and does not miss.
 * A run whose tsconfig could not be read in full (a missing base or reference) is not stored: what would make it
 * readable cannot be listed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { blockingPattern, scanSignature, Scope } from './files.js';
import type { DeadboltConfig, Finding, Notice } from './types.js';

/** Bumped when the file's shape or the meaning of a key changes. */
const FORMAT = 1;
export const DEFAULT_CACHE_FILE = '.deadboltcache';

/** What a cached run was asked: the same request finds its entry. */
export interface CacheRequest {
  cwd: string;
  tsconfig?: string;
  paths?: string[];
  expandWorkspaces?: boolean;
  config: DeadboltConfig;
}

/** What the Workspace read to compute a result, for `store` (see Workspace.cacheInputs). */
export interface CacheInputs {
  /** Folders whose in-scope files decide the roots (the tsconfig's folder, or the given paths). */
  scanned: { cwd: string; paths: string[] };
  /** The root files (analysed or not), sorted. */
  roots: string[];
  /** Files keyed by content: the analysed ones and everything else the compiler read for them. */
  read: string[];
  /** Config files read to choose the roots. */
  configs: string[];
}

export interface CachedResult {
  findings: Finding[];
  files: number;
  notices: Notice[];
}

interface Entry {
  scanned: { cwd: string; paths: string[]; files: string };
  configs: Record<string, string>;
  roots: Record<string, string>;
  read: Record<string, string>;
  result: CachedResult;
}

interface CacheFile {
  format: number;
  entries: Record<string, Entry>;
}

/** The cache file at `location`: a file, or a folder (existing, or written with a trailing slash) to hold `.deadboltcache`. */
export function cacheFile(cwd: string, location: string | undefined): string {
  if (location === undefined) return path.join(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  const folder = /[\\/]$/.test(location) || statSync(resolved, { throwIfNoEntry: false })?.isDirectory() === true;
  return folder ? path.join(resolved, DEFAULT_CACHE_FILE) : resolved;
}

/** The stored result of `request` when nothing it was computed from changed since, else undefined. */
export function lookup(file: string, request: CacheRequest): CachedResult | undefined {
  const entry = readCache(file).entries[entryName(request)];
  if (entry === undefined) return undefined;
  for (const [config, hash] of Object.entries(entry.configs)) if (hashFile(config) !== hash) return undefined;
  const scope = scopeOf(request);
  if (listHash(scope.discover(entry.scanned.cwd, entry.scanned.paths).files) !== entry.scanned.files) return undefined;
  const extra = signatureExtra(request.config);
  for (const [root, key] of Object.entries(entry.roots)) if (rootKey(root, scope, extra, key.startsWith('c:')) !== key) return undefined;
  for (const [read, hash] of Object.entries(entry.read)) if (hashFile(read) !== hash) return undefined;
  return entry.result;
}

/** Stores `result` for `request`, replacing the request's earlier entry; other command lines' entries are kept. */
export function store(file: string, request: CacheRequest, inputs: CacheInputs, result: CachedResult): void {
  const scope = scopeOf(request);
  const read = new Set(inputs.read);
  const extra = signatureExtra(request.config);
  const entry: Entry = {
    scanned: { ...inputs.scanned, files: listHash(scope.discover(inputs.scanned.cwd, inputs.scanned.paths).files) },
    configs: Object.fromEntries(inputs.configs.map((c) => [c, hashFile(c)])),
    roots: Object.fromEntries(inputs.roots.filter((r) => !read.has(r)).map((r) => [r, rootKey(r, scope, extra, false)])),
    read: Object.fromEntries(inputs.read.map((r) => [r, hashFile(r)])),
    // Only plain data goes in: findings without their prototype-less extras, notices as they are.
    result: JSON.parse(JSON.stringify(result)) as CachedResult,
  };
  const cache = readCache(file);
  cache.entries[entryName(request)] = entry;
  mkdirSync(path.dirname(file), { recursive: true });
  // Written aside and renamed, so a run stopped halfway never leaves a torn cache for the next one.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(cache));
  renameSync(partial, file);
}

function readCache(file: string): CacheFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (parsed.format === FORMAT && typeof parsed.entries === 'object' && parsed.entries !== null) return parsed;
  } catch {
    // No cache yet, or one that is not ours any more: start a new one.
  }
  return { format: FORMAT, entries: {} };
}

/** The name of a request's entry: the engine's versions, the target and the configuration. */
function entryName(request: CacheRequest): string {
  const { cwd, tsconfig, paths, expandWorkspaces, config } = request;
  // Paths resolved, so the CLI's `check .` and the language server's folder name one entry.
  const resolved = paths?.map((p) => path.resolve(cwd, p)) ?? null;
  return hash(JSON.stringify([engineVersions(), path.resolve(cwd), tsconfig === undefined ? null : path.resolve(cwd, tsconfig), resolved, expandWorkspaces ?? false, config]));
}

let versions: string | undefined;
function engineVersions(): string {
  if (versions === undefined) {
    const require = createRequire(import.meta.url);
    const server = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const typescript = JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')) as { version: string };
    versions = `${FORMAT} ${server.version} ${typescript.version}`;
  }
  return versions;
}

function scopeOf(request: CacheRequest): Scope {
  return new Scope(request.config.baseDir ?? path.resolve(request.cwd), request.config.include);
}

/** What else than the built-in markers makes the prefilter keep a text; undefined when only the content will do. */
function signatureExtra(config: DeadboltConfig): RegExp | undefined | 'content' {
  // Configured lock classes are recognised through the checker's view of names: only the whole text is a safe key.
  if (config.lockModels !== undefined) return 'content';
  return blockingPattern(config.blockingFunctions);
}

/** A root file's key: `c:` and its content hash, or `s:` and its prefilter signature's. */
function rootKey(file: string, scope: Scope, extra: RegExp | undefined | 'content', content: boolean): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'absent';
  }
  if (content || extra === 'content') return `c:${hash(text)}`;
  return `s:${hash(`${scanSignature(text, extra)} ${scope.reasonByText(file, text) ?? ''}`)}`;
}

function hashFile(file: string): string {
  try {
    return hash(readFileSync(file));
  } catch {
    return 'absent';
  }
}

function listHash(files: readonly string[]): string {
  return hash(files.join('\n'));
}

function hash(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('base64');
}
