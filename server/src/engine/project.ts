/**
 * The compiler options an analysis runs with: the tsconfig's, or modern ESM defaults without one. Node's type
 * declarations are loaded only while an analysed file can refer to them, because parsing and binding @types/node
 * costs more than checking the few files the prefilter keeps.
 */
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { ts } from 'ts-morph';
import { isSourceFile } from './files.js';

export interface CompilerSetup {
  /** Options for files that need Node's types (exactly the tsconfig's when there is one). */
  options: ts.CompilerOptions;
  /** The tsconfig's root files (absolute, sorted, source files outside node_modules); undefined without a tsconfig. */
  fileNames?: string[];
}

/** Reads a tsconfig once: its options and root files. One that cannot be read or is not JSON throws. */
export function readTsconfig(configPath: string): CompilerSetup {
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
  const fileNames = parsed.fileNames
    .map((f) => path.resolve(f))
    .filter((f) => isSourceFile(f) && !f.includes(`${path.sep}node_modules${path.sep}`))
    .sort();
  return { options: { ...parsed.options, noEmit: true }, fileNames };
}

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
