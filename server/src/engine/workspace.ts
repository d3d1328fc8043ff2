/**
 * A long-lived analysis session over one ts-morph Project. Editor buffers replace file contents in place,
 * so the parsed files and the type checker's work on unchanged files are reused between analyses.
 */
import path from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import type { StaticLockGraph } from '../protocol/index.js';
import type { AnalysisResult, AnalyzeOptions } from './analyze.js';
import { loadConfig } from './config.js';
import type { DeadboltConfig } from './types.js';
import { discoverFiles, isSourceFile, mentionsConcurrency } from './files.js';
import { buildModel, type EngineModel } from './model/program-model.js';
import { rules } from './rules/index.js';
import { runRules } from './run-rules.js';

/** Compiler options for analyses without a tsconfig: modern ESM resolution so `@deadbolt/runtime` and `node:` resolve. */
const DEFAULT_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2024.d.ts', 'lib.esnext.disposable.d.ts'],
  allowJs: true,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};

export class Workspace {
  private readonly project: Project;
  private readonly options: AnalyzeOptions;
  private roots: string[];
  /** The model of the last analysis, kept so `lockGraph()` after `analyze()` costs nothing. */
  private model: EngineModel | undefined;
  /** The last result with what it was computed from: reused while no file it covered has changed. */
  private last: { result: AnalysisResult; relevant: readonly SourceFile[]; config: string } | undefined;
  /** Files set or removed since the last analysis. */
  private readonly changed = new Set<string>();

  constructor(options: AnalyzeOptions) {
    this.options = options;
    if (options.tsconfig) {
      this.project = new Project({ tsConfigFilePath: path.resolve(options.cwd, options.tsconfig) });
      this.roots = this.project
        .getSourceFiles()
        .map((f) => f.getFilePath() as string)
        .filter((f) => isSourceFile(f) && !f.includes('/node_modules/'));
      if (options.paths && options.paths.length > 0) {
        // With both, the tsconfig gives the compiler options and the paths narrow what is reported.
        const wanted = new Set(discoverFiles(options.cwd, options.paths));
        this.roots = this.roots.filter((f) => wanted.has(f));
      }
    } else {
      this.project = new Project({ compilerOptions: DEFAULT_COMPILER_OPTIONS, skipFileDependencyResolution: true });
      this.roots = discoverFiles(options.cwd, options.paths ?? []);
      for (const file of this.roots) this.project.addSourceFileAtPath(file);
    }
  }

  get rootFiles(): readonly string[] {
    return this.roots;
  }

  /** Adds or updates an editor buffer; the next `analyze()` sees its text instead of the disk's. */
  setFile(file: string, text: string): void {
    const absolute = path.resolve(this.options.cwd, file);
    const existing = this.project.getSourceFile(absolute);
    if (existing && existing.getFullText() === text && this.roots.includes(absolute)) return;
    if (existing) existing.replaceWithText(text);
    else this.project.createSourceFile(absolute, text, { overwrite: true });
    if (!this.roots.includes(absolute)) this.roots = [...this.roots, absolute].sort();
    this.changed.add(absolute);
  }

  removeFile(file: string): void {
    const absolute = path.resolve(this.options.cwd, file);
    const existing = this.project.getSourceFile(absolute);
    if (existing) this.project.removeSourceFile(existing);
    this.roots = this.roots.filter((f) => f !== absolute);
    this.changed.add(absolute);
  }

  /**
   * Analyses the workspace. The model spans files (calls, imports, workers), so it is rebuilt as a whole, reusing
   * the parsed files and the checker; when only files outside the prefilter changed, the last result stands.
   */
  analyze(): AnalysisResult {
    const config = this.config();
    const configKey = JSON.stringify(config);
    const files = this.relevantFiles();
    const last = this.last;
    if (
      last && this.model && last.config === configKey && last.relevant.length === files.length &&
      last.relevant.every((f, i) => f === files[i] && !this.changed.has(f.getFilePath()))
    ) {
      this.changed.clear();
      return { ...last.result, files: this.roots.length };
    }
    this.changed.clear();
    const model = buildModel(this.project, files, config, this.options.onProgress);
    this.model = model;
    const findings = runRules(rules, this.project, files, config, model);
    const result = { findings, files: this.roots.length, graph: model.lockGraph() };
    this.last = { result, relevant: files, config: configKey };
    return result;
  }

  lockGraph(): StaticLockGraph {
    return this.analyze().graph;
  }

  /** The configuration given, or else the nearest deadbolt.config.json above `cwd` (a bad one throws ConfigError). */
  private config(): DeadboltConfig {
    return this.options.config ?? loadConfig({ cwd: this.options.cwd }).config;
  }

  /**
   * Root files that pass the prefilter, the root files that import one of them (they use its locks), and the
   * root files those import (helpers called under a lock live there).
   */
  private relevantFiles(): SourceFile[] {
    const all = this.roots.map((f) => this.project.getSourceFile(f)).filter((f): f is SourceFile => f !== undefined);
    const byPath = new Map(all.map((f) => [f.getFilePath() as string, f]));
    // Relative specifiers are resolved by path (`./x.js` is `./x.ts` before compilation): asking the
    // compiler to resolve every import of every file would cost more than the rest of the prefilter.
    const importsOf = (file: SourceFile): SourceFile[] => {
      const folder = path.dirname(file.getFilePath());
      const found: SourceFile[] = [];
      for (const statement of file.compilerNode.statements) {
        if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
        if (!ts.isStringLiteral(statement.moduleSpecifier) || !statement.moduleSpecifier.text.startsWith('.')) continue;
        const target = resolveRelative(folder, statement.moduleSpecifier.text, byPath);
        if (target) found.push(target);
      }
      return found;
    };
    const direct = new Set(all.filter((f) => mentionsConcurrency(f.getFullText())));
    const chosen = new Set(direct);
    for (const file of all) if (!chosen.has(file) && importsOf(file).some((t) => direct.has(t))) chosen.add(file);
    for (const file of [...chosen]) for (const target of importsOf(file)) chosen.add(target);
    return all.filter((f) => chosen.has(f));
  }
}

function resolveRelative(folder: string, specifier: string, byPath: ReadonlyMap<string, SourceFile>): SourceFile | undefined {
  const absolute = path.resolve(folder, specifier);
  const stem = absolute.replace(/\.(m|c)?jsx?$/, '');
  for (const candidate of [absolute, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${absolute}.ts`, `${absolute}/index.ts`, `${absolute}/index.js`]) {
    const file = byPath.get(candidate);
    if (file) return file;
  }
  return undefined;
}
