/**
 * The compiler options an analysis runs with: the tsconfig's, or modern ESM defaults without one. Node's type
 * declarations are loaded only while an analysed file can refer to them, because parsing and binding @types/node
 * costs more than checking the few files the prefilter keeps.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { isSourceFile } from './files.js';

export interface CompilerSetup {
  /** Options for files that need Node's types (exactly the tsconfig's when there is one). */
  options: ts.CompilerOptions;
  /** The tsconfig's root files (absolute, sorted, source files outside node_modules); undefined without a tsconfig. */
  fileNames?: string[];
  /** Problems of the config that left part of it unusable (a base that cannot be read, a broken reference): the rest is analysed. */
  warnings: TsconfigProblem[];
  /** Every config file read (the tsconfig, the bases it extends, its references), for the cache's key. */
  configFiles: string[];
}

/** One problem of a tsconfig, with where it is (line and column are 1-based, when known). */
export interface TsconfigProblem {
  file: string;
  line: number | undefined;
  column: number | undefined;
  detail: string;
}

/** A tsconfig that cannot be used, with every problem found in it (as tsc would list them). */
export class TsconfigError extends Error {
  constructor(readonly problems: TsconfigProblem[]) {
    super(problems.map((p) => `${p.file}${p.line === undefined ? '' : `:${p.line}:${p.column}`}: ${p.detail}`).join('\n'));
    this.name = 'TsconfigError';
  }
}

/**
 * Reads a tsconfig (or jsconfig) once: its options and the files of its program. Broken JSON and unknown or invalid
 * compiler options throw TsconfigError. An `extends` that does not resolve (a package not installed yet, a file a
 * framework generates, such as `.nuxt/tsconfig.json`) is a warning: the config is read with its own options. A
 * solution config (no files of its own, only `references`) stands for its referenced projects: their files, with the
 * options of the first that has any; a reference that is missing or broken is a warning and the others are read.
 * The root files' relative imports are followed on disk, as the compiler does, so `"files": ["src/main.ts"]` covers
 * what main.ts reaches.
 */
export function readTsconfig(configPath: string): CompilerSetup {
  const warnings: TsconfigProblem[] = [];
  const seen = new Set<string>();
  const own = readOneTsconfig(path.resolve(configPath), seen, warnings);
  return withFollowedImports(own.options, own.fileNames, warnings, [...seen]);
}

/** A setup over `fileNames` and what they import; allowJs, since imports followed from TypeScript may reach JavaScript, whose locks and workers count as much. */
export function withFollowedImports(options: ts.CompilerOptions, fileNames: readonly string[], warnings: TsconfigProblem[], configFiles: string[]): CompilerSetup {
  return { options: { ...options, allowJs: true, noEmit: true }, fileNames: followImports(fileNames, options), warnings, configFiles };
}

/** Reads one config; `seen` gathers every config file read (bases included), and stops reference cycles. */
function readOneTsconfig(configPath: string, seen: Set<string>, warnings: TsconfigProblem[]): { options: ts.CompilerOptions; fileNames: string[] } {
  seen.add(configPath);
  const source = ts.readJsonConfigFile(configPath, ts.sys.readFile);
  const syntax = (source as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) throw new TsconfigError(syntax.map((d) => problemOf(d, configPath, source.text)));
  const parsed = ts.parseJsonSourceFileConfigFileContent(source, ts.sys, path.dirname(configPath), jsconfigDefaults(configPath), configPath);
  for (const base of source.extendedSourceFiles ?? []) seen.add(path.resolve(base));
  // "No inputs were found" is not a broken config: the caller says there is nothing to analyse.
  const errors = parsed.errors.filter((e) => e.code !== NO_INPUTS && e.category === ts.DiagnosticCategory.Error);
  const [unreadBases, fatal] = partition(errors, (e) => UNREADABLE_BASE.has(e.code));
  if (fatal.length > 0) throw new TsconfigError(fatal.map((d) => problemOf(d, configPath, source.text)));
  for (const base of unreadBases) {
    const problem = problemOf(base, configPath, source.text);
    warnings.push({ ...problem, detail: `${problem.detail.replace(/\.$/, '')}: the base config it extends cannot be read (a package not installed yet, or a file a tool generates); analysed with the options of this file alone` });
  }
  const fileNames = parsed.fileNames
    .map((f) => path.resolve(f))
    .filter((f) => isSourceFile(f) && !f.includes(`${path.sep}node_modules${path.sep}`));
  const references = parsed.projectReferences ?? [];
  if (fileNames.length > 0 || references.length === 0) return { options: parsed.options, fileNames: fileNames.sort() };
  let options: ts.CompilerOptions | undefined;
  const files = new Set<string>();
  for (const reference of references) {
    const referenced = path.resolve(ts.resolveProjectReferencePath(reference));
    if (seen.has(referenced)) continue;
    if (!existsSync(referenced)) {
      warnings.push({ ...referenceAt(configPath, source.text, reference.originalPath ?? reference.path), detail: `the referenced project ${referenced} does not exist; the other references are analysed` });
      continue;
    }
    let child: { options: ts.CompilerOptions; fileNames: string[] };
    try {
      child = readOneTsconfig(referenced, seen, warnings);
    } catch (error) {
      if (!(error instanceof TsconfigError)) throw error;
      for (const problem of error.problems) warnings.push({ ...problem, detail: `${problem.detail.replace(/\.$/, '')}; this referenced project is skipped and the others are analysed` });
      continue;
    }
    if (child.fileNames.length > 0) options ??= child.options;
    for (const file of child.fileNames) files.add(file);
  }
  return { options: options ?? parsed.options, fileNames: [...files].sort() };
}

/** What the compiler assumes for a jsconfig.json, as editors read one: JavaScript is the program. */
function jsconfigDefaults(configPath: string): ts.CompilerOptions | undefined {
  return path.basename(configPath) === 'jsconfig.json' ? { allowJs: true, maxNodeModuleJsDepth: 2, allowSyntheticDefaultImports: true, skipLibCheck: true, noEmit: true } : undefined;
}

/** Where a reference is written in its solution config, for the warning's position. */
function referenceAt(configPath: string, text: string, written: string): Omit<TsconfigProblem, 'detail'> {
  const at = text.indexOf(JSON.stringify(written).slice(0, -1));
  if (at < 0) return { file: configPath, line: undefined, column: undefined };
  const before = text.slice(0, at).split('\n');
  return { file: configPath, line: before.length, column: before.at(-1)!.length + 1 };
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** TS5083 "Cannot read file" and TS6053 "File not found": an `extends` whose base is not there. */
const UNREADABLE_BASE = new Set([5083, 6053]);

/** TS18003, "No inputs were found in config file". */
const NO_INPUTS = 18003;

/** A compiler diagnostic about a tsconfig, at its position (or at the `extends` key, for a base that cannot be read). */
function problemOf(diagnostic: ts.Diagnostic, configPath: string, text: string): TsconfigProblem {
  const detail = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  let start = diagnostic.file !== undefined ? diagnostic.start : undefined;
  // A missing base config is reported without a position; the `extends` key is where to look.
  if (start === undefined && /Cannot read file|File .* not found/.test(detail)) {
    const at = text.indexOf('"extends"');
    if (at >= 0) start = at;
  }
  const file = diagnostic.file?.fileName !== undefined ? path.resolve(diagnostic.file.fileName) : configPath;
  if (start === undefined) return { file, line: undefined, column: undefined, detail };
  const source = file === configPath ? text : (diagnostic.file?.text ?? text);
  const before = source.slice(0, start).split('\n');
  return { file, line: before.length, column: before.at(-1)!.length + 1, detail };
}

/**
 * `roots` and every source file their relative imports, re-exports, `import()` and `require()` reach (and bare
 * ones the tsconfig's `paths` map), resolved as the compiler resolves them with `options`; declaration files and
 * node_modules are left out. Absolute and sorted.
 */
export function followImports(roots: readonly string[], options: ts.CompilerOptions): string[] {
  const found = new Set(roots);
  const pending = [...roots];
  const host = ts.sys;
  // JavaScript files are followed even when allowJs is off: their imports are what the analysis must see.
  const resolution = { ...options, allowJs: true };
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    const text = host.readFile(file);
    if (text === undefined) continue;
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      // Bare specifiers are packages, except where the tsconfig maps them to its own files with `paths`.
      if (!imported.fileName.startsWith('.') && resolution.paths === undefined) continue;
      const target = resolveLocal(imported.fileName, file, resolution);
      if (target !== undefined && !found.has(target)) {
        found.add(target);
        pending.push(target);
      }
    }
  }
  return [...found].sort();
}

/**
 * A relative specifier's source file: as the compiler resolves it, else by the candidates a bundler tries
 * (`./util` is `./util.ts`, `./util.js` or `./util/index.*`), which also covers extensionless imports in
 * JavaScript under NodeNext, where the compiler would refuse them but the code runs under a bundler.
 */
export function resolveLocal(specifier: string, fromFile: string, options: ts.CompilerOptions): string | undefined {
  const resolved = ts.resolveModuleName(specifier, fromFile, options, ts.sys).resolvedModule;
  if (resolved !== undefined && !resolved.isExternalLibraryImport && isSourceFile(resolved.resolvedFileName) &&
      !resolved.resolvedFileName.includes('/node_modules/')) {
    return path.resolve(resolved.resolvedFileName);
  }
  if (!specifier.startsWith('.')) return undefined;
  const absolute = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of sourceCandidates(absolute)) {
    if (isSourceFile(candidate) && ts.sys.fileExists(candidate)) return candidate;
  }
  return undefined;
}

/** The files a relative specifier may name, most likely first: as written, its TypeScript twin, an extension added, an index. */
export function sourceCandidates(absolute: string): string[] {
  const stem = absolute.replace(/\.(m|c)?jsx?$/, '');
  const twins = stem === absolute ? [] : [`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`];
  const added = SOURCE_EXTENSIONS_IN_ORDER.map((ext) => `${absolute}${ext}`);
  const index = SOURCE_EXTENSIONS_IN_ORDER.map((ext) => path.join(absolute, `index${ext}`));
  return [absolute, ...twins, ...added, ...index];
}

const SOURCE_EXTENSIONS_IN_ORDER = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * Options for analyses without a tsconfig: NodeNext resolution so `@deadbolt/runtime` and `node:` specifiers
 * resolve, the runtime's language level, and Node's types when @types/node is installed at or above `cwd`
 * (named through an explicit type root, since the process's own directory may be elsewhere, as in an editor).
 */
export function defaultCompilerOptions(cwd: string): ts.CompilerOptions {
  const typesRoot = nodeTypesRoot(cwd);
  return {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2024.d.ts', 'lib.esnext.disposable.d.ts'],
    allowJs: true,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    ...(typesRoot !== undefined ? { types: ['node'], typeRoots: [typesRoot] } : { types: [] }),
  };
}

/** The nearest `node_modules/@types` folder at or above `cwd` that holds @types/node. */
export function nodeTypesRoot(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const root = path.join(dir, 'node_modules', '@types');
    if (existsSync(path.join(root, 'node', 'package.json'))) return root;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `options` without automatically included type packages: what a program whose files never name Node needs. */
export function withoutNodeTypes(options: ts.CompilerOptions): ts.CompilerOptions {
  return { ...options, types: [] };
}

export { mentionsNode } from './files.js';
