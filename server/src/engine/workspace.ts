/**
 * A long-lived analysis session over one ts-morph Project. Editor buffers replace file contents in place,
 * so the parsed files and the type checker's work on unchanged files are reused between analyses.
 */
import { readFileSync } from 'node:fs';
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
  /** The text of every root file as last read from disk or set by an editor, for the prefilter. */
  private readonly texts = new Map<string, string>();
  /** Root files whose text came from `setFile` rather than the disk. */
  private readonly edited = new Set<string>();

  constructor(options: AnalyzeOptions) {
    this.options = options;
    // Files enter the Project only once the prefilter keeps them (see `relevantFiles`): parsing and binding
    // files that never touch concurrency would cost more than analysing the rest.
    if (options.tsconfig) {
      const configPath = path.resolve(options.cwd, options.tsconfig);
      this.project = new Project({ tsConfigFilePath: configPath, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
      const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
      this.roots = (parsed?.fileNames ?? [])
        .map((f) => path.resolve(f))
        .filter((f) => isSourceFile(f) && !f.includes(`${path.sep}node_modules${path.sep}`))
        .sort();
      if (options.paths && options.paths.length > 0) {
        // With both, the tsconfig gives the compiler options and the paths narrow what is reported.
        const wanted = new Set(discoverFiles(options.cwd, options.paths));
        this.roots = this.roots.filter((f) => wanted.has(f));
      }
    } else {
      this.project = new Project({ compilerOptions: DEFAULT_COMPILER_OPTIONS, skipFileDependencyResolution: true });
      this.roots = discoverFiles(options.cwd, options.paths ?? []);
    }
  }

  get rootFiles(): readonly string[] {
    return this.roots;
  }

  /** Adds or updates an editor buffer; the next `analyze()` sees its text instead of the disk's. */
  setFile(file: string, text: string): void {
    const absolute = path.resolve(this.options.cwd, file);
    if (this.textOf(absolute) === text && this.roots.includes(absolute)) return;
    this.texts.set(absolute, text);
    this.edited.add(absolute);
    const existing = this.project.getSourceFile(absolute);
    if (existing) existing.replaceWithText(text);
    if (!this.roots.includes(absolute)) this.roots = [...this.roots, absolute].sort();
    this.changed.add(absolute);
  }

  removeFile(file: string): void {
    const absolute = path.resolve(this.options.cwd, file);
    const existing = this.project.getSourceFile(absolute);
    if (existing) this.project.removeSourceFile(existing);
    this.texts.delete(absolute);
    this.edited.delete(absolute);
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

  /** A root file's text: the editor's buffer when one was set, else the disk's (read once). */
  private textOf(file: string): string {
    let text = this.texts.get(file);
    if (text === undefined) {
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = '';
      }
      this.texts.set(file, text);
    }
    return text;
  }

  /**
   * Root files that pass the prefilter, the root files that import one of them (they use its locks), and the
   * root files those import (helpers called under a lock live there); added to the Project on first use.
   * Imports are read from the text and resolved by path (`./x.js` is `./x.ts` before compilation).
   */
  private relevantFiles(): SourceFile[] {
    const rootSet = new Set(this.roots);
    const importsOf = (file: string): string[] => {
      const folder = path.dirname(file);
      const found: string[] = [];
      for (const match of this.textOf(file).matchAll(RELATIVE_IMPORT)) {
        const target = resolveRelative(folder, match[1]!, rootSet);
        if (target) found.push(target);
      }
      return found;
    };
    const direct = new Set(this.roots.filter((f) => mentionsConcurrency(this.textOf(f))));
    const chosen = new Set(direct);
    for (const file of this.roots) if (!chosen.has(file) && importsOf(file).some((t) => direct.has(t))) chosen.add(file);
    for (const file of [...chosen]) for (const target of importsOf(file)) chosen.add(target);
    return this.roots
      .filter((f) => chosen.has(f))
      .map((f) => this.project.getSourceFile(f) ?? this.addToProject(f));
  }

  /** Adds a root file to the Project: from disk when no editor set it (ts-morph reads a disk file at half the cost). */
  private addToProject(file: string): SourceFile {
    if (this.edited.has(file)) return this.project.createSourceFile(file, this.textOf(file), { overwrite: true });
    return this.project.addSourceFileAtPath(file);
  }
}

/** `from './x.js'` (imports and re-exports), `import './x.js'`, `import('./x.js')`: relative specifiers in source text. */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function resolveRelative(folder: string, specifier: string, roots: ReadonlySet<string>): string | undefined {
  const absolute = path.resolve(folder, specifier);
  const stem = absolute.replace(/\.(m|c)?jsx?$/, '');
  for (const candidate of [absolute, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${absolute}.ts`, `${absolute}/index.ts`, `${absolute}/index.js`]) {
    if (roots.has(candidate)) return candidate;
  }
  return undefined;
}
