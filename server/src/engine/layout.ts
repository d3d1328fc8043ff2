/**
 * Decides which files an analysis covers, as users lay projects out: a tsconfig's (or jsconfig's) program, the files
 * below the given paths, or, when a monorepo's root config covers little of its folder, each workspace package with
 * its own config. The default scope (files.ts) is applied to all of them, and what was left out or could not be read
 * becomes a notice.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Minimatch } from 'minimatch';
import type { Scope, SkipCounts } from './files.js';
import { defaultCompilerOptions, readTsconfig, TsconfigError, withFollowedImports, type CompilerSetup, type TsconfigProblem } from './project.js';
import type { Notice } from './types.js';

export interface LayoutOptions {
  cwd: string;
  tsconfig?: string;
  paths?: string[];
  /** The tsconfig was chosen by default (not named by the user): a workspace's packages may replace it when it covers little. */
  expandWorkspaces?: boolean;
}

export interface Layout {
  setup: CompilerSetup;
  roots: string[];
  /** Files the default scope left out by their path or size (the Workspace adds those it finds minified by their text). */
  skipped: SkipCounts;
  notices: Notice[];
}

/** A config covers "far fewer" files than its folder holds below this share, when at least this many are left out. */
const LOW_COVERAGE = 0.5;
const LOW_COVERAGE_MIN_MISSED = 10;

export function layoutOf(options: LayoutOptions, scope: Scope): Layout {
  const notices: Notice[] = [];
  const skipped: SkipCounts = {};
  const inScope = (files: readonly string[]): string[] =>
    files.filter((file) => {
      const reason = scope.reasonByPath(file);
      if (reason !== undefined) (skipped[reason] ??= []).push(file);
      return reason === undefined;
    });
  if (options.tsconfig === undefined) {
    const found = scope.discover(options.cwd, options.paths ?? []);
    return finish({ options: defaultCompilerOptions(options.cwd), warnings: [], configFiles: [] }, found.files, merge(skipped, found.skipped), notices);
  }
  const tsconfig = path.resolve(options.cwd, options.tsconfig);
  let setup = readTsconfig(tsconfig);
  let roots = inScope(setup.fileNames ?? []);
  if (options.paths && options.paths.length > 0) {
    // With both, the tsconfig gives the compiler options and the paths narrow what is reported.
    const wanted = new Set(scope.discover(options.cwd, options.paths).files);
    return finish(setup, roots.filter((f) => wanted.has(f)), skipped, notices);
  }
  const folder = path.dirname(tsconfig);
  const held = scope.discover(folder, ['.']).files;
  const covered = new Set(roots);
  const missed = held.filter((f) => !covered.has(f)).length;
  if (held.length > 0 && roots.length < held.length * LOW_COVERAGE && missed >= LOW_COVERAGE_MIN_MISSED) {
    const packages = options.expandWorkspaces ? workspacePackages(folder) : [];
    const name = displayName(options.cwd, tsconfig);
    if (packages.length > 0) {
      const expanded = packagesSetup(folder, packages, setup, scope);
      notices.push({
        kind: 'workspaces',
        level: 'notice',
        message: `${name} covers ${roots.length} of the ${held.length} source files in its folder; analysing its ${packages.length} workspace packages, each with its own tsconfig or jsconfig (--project ${name} analyses only its files)`,
      });
      setup = expanded;
      roots = inScope(expanded.fileNames ?? []);
    } else {
      notices.push({
        kind: 'coverage',
        level: 'notice',
        message: `${name} covers ${roots.length} of the ${held.length} source files in its folder; \`deadbolt check ${path.relative(options.cwd, folder) || '.'}\` analyses them all (or widen its "include" or "references")`,
      });
    }
  }
  return finish(setup, roots, skipped, notices);
}

function finish(setup: CompilerSetup, roots: string[], skipped: SkipCounts, notices: Notice[]): Layout {
  // A base shared by many referenced projects is missing once, however many extend it: one line for it.
  const unique = new Map(setup.warnings.map((p) => [`${p.file}:${p.line}:${p.column}:${p.detail}`, p]));
  const problems: Notice[] = [...unique.values()].map((p) => ({ kind: 'tsconfig', level: 'warning', message: p.detail, file: p.file, ...(p.line === undefined ? {} : { line: p.line, column: p.column }) }));
  return { setup, roots, skipped, notices: [...problems, ...notices] };
}

function merge(into: SkipCounts, from: SkipCounts): SkipCounts {
  for (const [reason, files] of Object.entries(from) as [keyof SkipCounts, string[]][]) (into[reason] ??= []).push(...files);
  return into;
}

function displayName(cwd: string, file: string): string {
  return path.relative(cwd, file) || path.basename(file);
}

/**
 * The files of a workspace's packages: each package's tsconfig.json (else jsconfig.json) program, or its source
 * files when it has neither; a package whose config cannot be read is a warning and is analysed by its files. The
 * options are the first package config's (the root's when none has one), so one program holds them all.
 */
function packagesSetup(folder: string, packages: readonly string[], root: CompilerSetup, scope: Scope): CompilerSetup {
  const files = new Set(root.fileNames ?? []);
  const warnings: TsconfigProblem[] = [...root.warnings];
  // The manifests that declare the packages, and each package's possible configs (one appearing changes the files).
  const configFiles = [...root.configFiles, ...['package.json', 'pnpm-workspace.yaml'].map((name) => path.join(folder, name))];
  let options: CompilerSetup['options'] | undefined;
  for (const pkg of packages) {
    const candidates = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(pkg, name));
    configFiles.push(...candidates);
    const config = candidates.find((file) => existsSync(file));
    let own: string[] | undefined;
    if (config !== undefined) {
      try {
        const setup = readTsconfig(config);
        warnings.push(...setup.warnings);
        configFiles.push(...setup.configFiles);
        own = setup.fileNames ?? [];
        if (own.length > 0) options ??= setup.options;
      } catch (error) {
        if (!(error instanceof TsconfigError)) throw error;
        for (const problem of error.problems) warnings.push({ ...problem, detail: `${problem.detail.replace(/\.$/, '')}; the package's files are analysed without it` });
      }
    }
    own ??= scope.discover(pkg, ['.']).files;
    for (const file of own) files.add(file);
  }
  return withFollowedImports(options ?? root.options, [...files].sort(), warnings, [...new Set(configFiles)]);
}

/**
 * The package folders of an npm or Yarn workspace (`workspaces` in package.json, an array or `{ packages }`) or a
 * pnpm one (`packages` in pnpm-workspace.yaml), with `!` patterns removed: absolute, sorted, each holding a
 * package.json. Empty when the folder declares no workspace.
 */
export function workspacePackages(folder: string): string[] {
  const patterns = workspacePatterns(folder);
  if (patterns.length === 0) return [];
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => new Minimatch(normalise(p)));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => new Minimatch(normalise(p.slice(1))));
  const found: string[] = [];
  const visit = (dir: string, relative: string): void => {
    for (const child of readdirSync(dir, { withFileTypes: true })) {
      if (!child.isDirectory() || child.name === 'node_modules' || child.name.startsWith('.')) continue;
      const rel = relative === '' ? child.name : `${relative}/${child.name}`;
      // Only folders some pattern can still reach are entered.
      if (!include.some((m) => m.match(rel, true))) continue;
      const full = path.join(dir, child.name);
      if (include.some((m) => m.match(rel)) && !exclude.some((m) => m.match(rel)) && existsSync(path.join(full, 'package.json'))) found.push(full);
      visit(full, rel);
    }
  };
  visit(folder, '');
  return found.sort();
}

function normalise(pattern: string): string {
  return pattern.replace(/^\.\//, '').replace(/\/+$/, '');
}

function workspacePatterns(folder: string): string[] {
  const out: string[] = [];
  try {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { workspaces?: unknown };
    const workspaces = Array.isArray(manifest.workspaces) ? manifest.workspaces : (manifest.workspaces as { packages?: unknown } | undefined)?.packages;
    if (Array.isArray(workspaces)) out.push(...workspaces.filter((w): w is string => typeof w === 'string'));
  } catch {
    // No package.json, or one that is not JSON: no npm or Yarn workspace.
  }
  try {
    out.push(...pnpmPackages(readFileSync(path.join(folder, 'pnpm-workspace.yaml'), 'utf8')));
  } catch {
    // No pnpm workspace.
  }
  return out;
}

/** The `packages:` list of a pnpm-workspace.yaml (a block list of plain or quoted strings, as pnpm documents it). */
export function pnpmPackages(yaml: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const raw of yaml.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\S/.test(line)) {
      inPackages = /^packages\s*:\s*$/.test(line);
      continue;
    }
    const item = inPackages ? /^\s+-\s*(['"]?)(.+?)\1\s*$/.exec(line) : null;
    if (item) out.push(item[2]!);
  }
  return out;
}
