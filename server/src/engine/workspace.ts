/**
 * A long-lived analysis session over one ts-morph Project. Editor buffers replace file contents in place,
 * so the parsed files and the type checker's work on unchanged files are reused between analyses.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Node, Project, ts, type SourceFile } from 'ts-morph';
import type { StaticLockGraph } from '../protocol/index.js';
import type { AnalysisResult, AnalyzeOptions } from './analyze.js';
import type { CacheInputs } from './cache.js';
import { configSearchStart, loadConfig } from './config.js';
import { FileRules } from './file-globs.js';
import type { DeadboltConfig, Finding, Fix, Notice, TextEdit } from './types.js';
import { FixGate, type GateVerdict } from './fix-gate.js';
import { minimizeFixes } from './fixes/minimal-edits.js';
import { blockingPattern, describeSkipped, mentionsConcurrency, Scope, type SkipCounts, type SkipReason } from './files.js';
import { layoutOf } from './layout.js';
import { ModelMemory } from './model/model-memory.js';
import { CustomLockModels } from './model/custom-locks.js';
import { buildModel, type DegradedRoot, type EngineModel } from './model/program-model.js';
import { mentionsNode, sourceCandidates, withoutNodeTypes, type CompilerSetup } from './project.js';
import { rules } from './rules/index.js';
import { RuleMemory, runRules } from './run-rules.js';

/** What the prefilter learnt from one text, kept until the text changes. */
interface Scan {
  text: string;
  /** Mentions the runtime, Atomics, workers, shared memory or guards (configured blocking names aside). */
  concurrency: boolean;
  /** May refer to something @types/node declares. */
  node: boolean;
  /** Reads as minified code or a bundle: out of the default scope (see Scope.reasonByText). */
  skipped: SkipReason | undefined;
  /** Absolute targets of its relative import specifiers, unresolved (`./x.js` may be `./x.ts`). */
  imports: string[];
  /** `imports` resolved against the root files, for the root set of that generation. */
  resolved?: { generation: number; files: string[] };
}

export class Workspace {
  private readonly options: AnalyzeOptions;
  private readonly setup: CompilerSetup;
  /** The default scope: what is skipped as vendored, output, minified or a bundle (see files.ts). */
  private readonly scope: Scope;
  /** What choosing the files had to say (skipped files, coverage, unreadable parts of a tsconfig). */
  private readonly layoutNotices: Notice[];
  /** Files the layout left out by their path or size. */
  private readonly layoutSkipped: SkipCounts;
  /** Created on the first analysis, once it is known whether Node's types are needed. */
  private projectOrUndefined: Project | undefined;
  /** Whether the Project loads the configured type packages (@types/node); once on, it stays on. */
  private nodeTypes = false;
  private roots: string[];
  private rootSet: Set<string>;
  /** Bumped whenever the root files change: import resolutions made against an older set are stale. */
  private rootGeneration = 0;
  /**
   * The last completed result with what it was computed from (the files and their texts): reused while those
   * are unchanged, so edits outside the prefilter, and edits undone before the next analysis, cost nothing. A
   * cancelled or failed run leaves it as it was, so nothing edited since is forgotten.
   */
  private last: LastRun | undefined;
  /** The last result, until its graph is built (while its model's nodes are still current). */
  private pendingGraph: AnalysisResult | undefined;
  /** The text of every root file as last read from disk or set by an editor, for the prefilter. */
  private readonly texts = new Map<string, string>();
  /** Prefilter results by file, valid while the file's text is the one scanned. */
  private readonly scans = new Map<string, Scan>();
  /** Root files whose text came from `setFile` rather than the disk. */
  private readonly edited = new Set<string>();
  /** Walks and call targets from earlier analyses, reused for files the edits since cannot have affected. */
  private memory = new ModelMemory();
  /** The `lockModels` the memories were built with. */
  private lockModelsKey = '[]';
  /** File-scoped rules' findings from earlier analyses, kept for files no edit since affected. */
  private readonly ruleMemory = new RuleMemory();
  /** The root files minus the config's `ignore`, for one root generation and configuration. */
  private analysedCache: { generation: number; config: string; files: string[] } | undefined;
  /** Type-checks fixes against the program of the last analysis (created on first use). */
  private gate: FixGate | undefined;

  constructor(options: AnalyzeOptions) {
    this.options = options;
    // Files enter the Project only once the prefilter keeps them (see `relevantFiles`): parsing and binding
    // files that never touch concurrency would cost more than analysing the rest.
    const config = this.config();
    this.scope = new Scope(config.baseDir ?? path.resolve(options.cwd), config.include);
    const layout = layoutOf(options, this.scope);
    this.setup = layout.setup;
    this.roots = layout.roots;
    this.layoutNotices = layout.notices;
    this.layoutSkipped = layout.skipped;
    this.rootSet = new Set(this.roots);
  }

  get rootFiles(): readonly string[] {
    return this.roots;
  }

  /** Adds or updates an editor buffer; the next `analyze()` sees its text instead of the disk's. */
  setFile(file: string, text: string): void {
    const absolute = path.resolve(this.options.cwd, file);
    if (this.rootSet.has(absolute) && this.textOf(absolute) === text) return;
    this.settleGraph();
    this.texts.set(absolute, text);
    this.edited.add(absolute);
    this.projectOrUndefined?.getSourceFile(absolute)?.replaceWithText(text);
    if (!this.rootSet.has(absolute)) {
      this.rootSet.add(absolute);
      this.roots = [...this.roots, absolute].sort();
      this.rootGeneration++;
    }
  }

  removeFile(file: string): void {
    const absolute = path.resolve(this.options.cwd, file);
    this.settleGraph();
    const existing = this.projectOrUndefined?.getSourceFile(absolute);
    if (existing) this.projectOrUndefined!.removeSourceFile(existing);
    this.texts.delete(absolute);
    this.scans.delete(absolute);
    this.edited.delete(absolute);
    if (this.rootSet.delete(absolute)) {
      this.roots = this.roots.filter((f) => f !== absolute);
      this.rootGeneration++;
    }
  }

  /**
   * Analyses the workspace. The model spans files (calls, imports, workers): it is assembled anew, reusing the
   * parsed files, the checker, and the walks of every file no change since the last analysis can reach (see
   * ModelMemory); when only files outside the prefilter changed, the last result stands.
   */
  analyze(): AnalysisResult {
    this.settleGraph();
    const config = this.config();
    const configKey = JSON.stringify(config);
    const inRoots = this.analysedRoots(config, configKey);
    // Minified code and bundles are found by their text, which an editor may change: judged on every analysis.
    const byText = inRoots.filter((f) => this.scanOf(f).skipped !== undefined);
    const analysed = byText.length === 0 ? inRoots : inRoots.filter((f) => this.scanOf(f).skipped === undefined);
    const { paths, files } = this.relevantFiles(config, analysed);
    const texts = paths.map((f) => this.textOf(f));
    const notices = (budget: Notice[]): Notice[] => [...this.layoutNotices, ...scopeNotices(this.layoutSkipped, byText.map((f) => [f, this.scanOf(f).skipped!])), ...syntaxNotices(files), ...budget];
    if (this.last && sameInputs(this.last, files, texts, configKey)) return standingResult(this.last.result, analysed.length, notices(this.last.budget));
    const models = JSON.stringify(config.lockModels ?? []);
    if (models !== this.lockModelsKey) {
      // Configured lock classes change what every file's functions take: no kept walk holds (the rule memory
      // is dropped by runRules itself, since the configuration changed).
      this.memory = new ModelMemory();
      this.lockModelsKey = models;
    }
    const project = this.project;
    const model = buildModel(project, files, config, this.options.onProgress, this.memory);
    // Fixes are built as region replacements; what leaves the engine is only the lines they change.
    const findings = minimizeFixes(runRules(rules, project, files, config, model, this.ruleMemory), (file) => project.getSourceFile(file)?.getFullText());
    this.memory.settle();
    const budget = budgetNotices(model.degraded);
    const result = lazyGraphResult(findings, analysed.length, notices(budget), model);
    this.pendingGraph = result;
    this.last = { result, relevant: files, texts, config: configKey, budget };
    return result;
  }

  /**
   * What the last analysis was computed from, for a results cache (see cache.ts); undefined before the first
   * analysis, and when part of a tsconfig could not be read (what would fix it cannot be listed).
   */
  cacheInputs(): CacheInputs | undefined {
    if (this.last === undefined || this.setup.warnings.length > 0) return undefined;
    const { cwd, tsconfig, paths } = this.options;
    const folder = tsconfig === undefined ? undefined : path.dirname(path.resolve(cwd, tsconfig));
    const outside = folder === undefined ? [] : [...new Set(this.roots.filter((f) => path.relative(folder, f).startsWith('..')).map((f) => path.dirname(f)))];
    const scanned = folder === undefined || (paths?.length ?? 0) > 0 ? { cwd, paths: paths ?? [] } : { cwd: folder, paths: ['.', ...outside] };
    const libraries = path.dirname(ts.getDefaultLibFilePath(this.setup.options));
    const read = new Set(this.last.relevant.map((f) => f.getFilePath() as string));
    for (const file of this.project.getProgram().compilerObject.getSourceFiles()) {
      if (path.dirname(file.fileName) !== libraries) read.add(path.resolve(file.fileName));
    }
    return { scanned, roots: this.roots, read: [...read].sort(), configs: [...this.setup.configFiles, ...installMarkers(cwd)] };
  }

  /** Builds the last result's graph if nobody has read it yet, before the Project changes under its model. */
  private settleGraph(): void {
    void this.pendingGraph?.graph;
    this.pendingGraph = undefined;
  }

  /**
   * `findings` (from this Workspace's last analysis) with only the fixes that pass the type-check gate
   * (fix-gate.ts): applied to the analysed program, each adds no error to the files it changes under the project's
   * compiler options. `select` limits the work to the fixes a caller will show (the others are dropped unchecked).
   * When a finding's preferred fix is refused, the first safe fix that passes is preferred instead. A fix of a file
   * edited since that analysis is refused: its offsets no longer point where they did. When `cancelled` answers true
   * (a newer edit made the question moot), the check stops and throws an error `isCancellation` recognises.
   */
  checkFixes(findings: readonly Finding[], select: (finding: Finding, fix: Fix) => boolean = () => true, cancelled?: () => boolean): Finding[] {
    const asked = findings.flatMap((finding) => finding.fixes.filter((fix) => select(finding, fix)));
    const checked = this.checkEditSets(asked.map((f) => f.edits), cancelled);
    const verdicts = new Map(asked.map((fix, i) => [fix, checked[i]!]));
    return findings.map((finding) => {
      if (finding.fixes.length === 0) return finding;
      const passed = finding.fixes.filter((fix) => verdicts.get(fix)?.ok === true);
      if (passed.length === finding.fixes.length) return finding;
      const preferred = passed.find((fix) => fix.preferred) ?? (finding.fixes.some((fix) => fix.preferred) ? passed.find((fix) => fix.safety === 'safe') : undefined);
      return { ...finding, fixes: passed.map((fix) => ({ ...fix, preferred: fix === preferred })) };
    });
  }

  /** Whether one fix of the last analysis passes the type-check gate. */
  fixPasses(fix: Fix): boolean {
    return this.checkEdits(fix.edits).ok;
  }

  /** The gate's verdict on a set of edits (offsets into the last analysed texts), with the errors they would add. */
  checkEdits(edits: readonly TextEdit[]): GateVerdict {
    return this.checkEditSets([edits])[0]!;
  }

  /** The gate's verdicts on independent sets of edits (checked together where they change different files). */
  private checkEditSets(sets: readonly (readonly TextEdit[])[], cancelled?: () => boolean): GateVerdict[] {
    const last = this.last;
    if (last === undefined) return sets.map(() => ({ ok: false, added: ['nothing was analysed'] }));
    this.gate ??= new FixGate(this.project);
    const gate = this.gate;
    const stale = (file: string): boolean => {
      const at = last.relevant.findIndex((f) => f.getFilePath() === file);
      return at < 0 || gate.textOf(file) !== last.texts[at];
    };
    const verdicts: (GateVerdict | undefined)[] = sets.map((edits) => {
      if (edits.length === 0) return { ok: true, added: [] };
      const changed = [...new Set(edits.map((e) => e.file))].find(stale);
      return changed === undefined ? undefined : { ok: false, added: [`${changed} changed since it was analysed`] };
    });
    const open = sets.map((_, i) => i).filter((i) => verdicts[i] === undefined);
    const checked = gate.checkAll(open.map((i) => sets[i]!), cancelled);
    open.forEach((i, n) => (verdicts[i] = checked[n]));
    return verdicts as GateVerdict[];
  }

  /** The gate's running totals: programs built, milliseconds spent and file-system probes (for benchmarks and tests). */
  get gateStats(): { checks: number; ms: number; lookups: number } {
    return this.gate?.stats ?? { checks: 0, ms: 0, lookups: 0 };
  }

  lockGraph(): StaticLockGraph {
    return this.analyze().graph;
  }

  /** The Project, created (without Node's types unless already needed) on first use. */
  private get project(): Project {
    this.projectOrUndefined ??= new Project({
      compilerOptions: this.nodeTypes ? this.setup.options : withoutNodeTypes(this.setup.options),
      skipFileDependencyResolution: true,
    });
    return this.projectOrUndefined;
  }

  /**
   * The configuration given, or else the deadbolt.config.json nearest to what is analysed (see configSearchStart;
   * a bad one throws ConfigError); its globs are relative to `cwd` when no config file anchored them.
   */
  private config(): DeadboltConfig {
    const { cwd, tsconfig, paths } = this.options;
    const config = this.options.config ?? loadConfig({ cwd, from: configSearchStart(cwd, { tsconfig, paths }) }).config;
    if (config.baseDir !== undefined || (config.include === undefined && config.ignore === undefined && config.overrides === undefined && config.lockModels === undefined)) return config;
    return { ...config, baseDir: path.resolve(this.options.cwd) };
  }

  /** The root files the configuration does not `ignore`: the files this analysis covers. */
  private analysedRoots(config: DeadboltConfig, configKey: string): string[] {
    const cached = this.analysedCache;
    if (cached !== undefined && cached.generation === this.rootGeneration && cached.config === configKey) return cached.files;
    const fileRules = new FileRules(config);
    const files = config.ignore === undefined ? this.roots : this.roots.filter((f) => !fileRules.isIgnored(f));
    this.analysedCache = { generation: this.rootGeneration, config: configKey, files };
    return files;
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

  /** The prefilter's reading of a root file, scanned again only when its text changed. */
  private scanOf(file: string): Scan {
    const text = this.textOf(file);
    const known = this.scans.get(file);
    if (known !== undefined && known.text === text) return known;
    const folder = path.dirname(file);
    const imports = [...text.matchAll(RELATIVE_IMPORT)].map((match) => path.resolve(folder, match[1]!));
    const scan = { text, concurrency: mentionsConcurrency(text), node: mentionsNode(text), imports, skipped: this.scope.reasonByText(file, text) };
    this.scans.set(file, scan);
    return scan;
  }

  /**
   * Root files that pass the prefilter, the root files that import one of them (they use its locks), and the
   * root files those import (helpers called under a lock live there); added to the Project on first use.
   * Imports are read from the text and resolved by path (`./x.js` is `./x.ts` before compilation).
   */
  private relevantFiles(config: DeadboltConfig, roots: readonly string[]): { paths: string[]; files: SourceFile[] } {
    const blocking = blockingPattern(config.blockingFunctions);
    const importsOf = (file: string): string[] => {
      const scan = this.scanOf(file);
      if (scan.resolved?.generation !== this.rootGeneration) {
        const files = scan.imports.map((target) => resolveRelative(target, this.rootSet)).filter((t) => t !== undefined);
        scan.resolved = { generation: this.rootGeneration, files };
      }
      return scan.resolved.files;
    };
    const classes = CustomLockModels.of(config).classText;
    const named = (f: string): boolean => (blocking !== undefined && blocking.test(this.textOf(f))) || (classes !== undefined && classes.test(this.textOf(f)));
    const direct = new Set(roots.filter((f) => this.scanOf(f).concurrency || named(f)));
    const chosen = new Set(direct);
    for (const file of roots) if (!chosen.has(file) && importsOf(file).some((t) => direct.has(t))) chosen.add(file);
    for (const file of [...chosen]) for (const target of importsOf(file)) chosen.add(target);
    // An ignored file an analysed one imports is still read by the checker, but never reported on.
    const relevant = roots.filter((f) => chosen.has(f));
    if (!this.nodeTypes && this.reachesNode(relevant, importsOf)) {
      this.nodeTypes = true;
      // Changing options makes ts-morph re-create the files it holds; it happens at most once per Workspace.
      this.projectOrUndefined?.compilerOptions.set({ types: this.setup.options.types });
    }
    const project = this.project;
    return { paths: relevant, files: relevant.map((f) => project.getSourceFile(f) ?? this.addToProject(project, f)) };
  }

  /**
   * True when a file among `files`, or a root file they import at any depth (the checker reads those to answer
   * questions about the analysed ones), may refer to Node's declarations.
   */
  private reachesNode(files: readonly string[], importsOf: (file: string) => string[]): boolean {
    const seen = new Set(files);
    const pending = [...files];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (this.scanOf(file).node) return true;
      for (const target of importsOf(file)) {
        if (!seen.has(target)) {
          seen.add(target);
          pending.push(target);
        }
      }
    }
    return false;
  }

  /** Adds a root file to the Project: from disk when no editor set it (ts-morph reads a disk file at half the cost). */
  private addToProject(project: Project, file: string): SourceFile {
    if (this.edited.has(file)) return project.createSourceFile(file, this.textOf(file), { overwrite: true });
    return project.addSourceFileAtPath(file);
  }
}

type LastRun = { result: AnalysisResult; relevant: readonly SourceFile[]; texts: readonly string[]; config: string; budget: Notice[] };

function sameInputs(last: LastRun, files: readonly SourceFile[], texts: readonly string[], config: string): boolean {
  return last.config === config && last.relevant.length === files.length && last.relevant.every((f, i) => f === files[i] && last.texts[i] === texts[i]);
}

/*
 * The two result shapes are made by module-level functions on purpose: a getter closure created inside `analyze`
 * would share its scope with everything `analyze` captures (the previous run among it), and each result would
 * keep every earlier one alive.
 */

/** The last result, standing again: nothing it was computed from changed. */
function standingResult(previous: AnalysisResult, files: number, notices: Notice[]): AnalysisResult {
  const walks = { run: 0, reused: previous.walks.run + previous.walks.reused };
  return { findings: previous.findings, files, notices, walks, get graph() { return previous.graph; } };
}

/**
 * A fresh result whose graph (with a source location per edge) is built on first read: `deadbolt check` never reads
 * it. It reads the model's nodes, so it must be read before the Project changes; the Workspace's `settleGraph` sees to that.
 */
function lazyGraphResult(findings: Finding[], files: number, notices: Notice[], model: EngineModel): AnalysisResult {
  let graph: StaticLockGraph | undefined;
  let source: EngineModel | undefined = model;
  const walks = { ...model.walks };
  return {
    findings,
    files,
    notices,
    walks,
    get graph() {
      graph ??= source!.lockGraph();
      source = undefined; // the model (every node it saw) is not kept alive by the result
      return graph;
    },
  };
}

/**
 * The files a package manager rewrites on every install, in the nearest node_modules at or above `cwd`: a package
 * installed since (resolving an import that resolved to nothing) changes one of them.
 */
function installMarkers(cwd: string): string[] {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const modules = path.join(dir, 'node_modules');
    const markers = ['.package-lock.json', '.yarn-state.yml', '.modules.yaml'].map((name) => path.join(modules, name));
    if (existsSync(modules)) return markers;
    // None installed yet: the first install will write one here.
    if (path.dirname(dir) === dir) return markers.map((marker) => path.join(path.resolve(cwd), path.relative(dir, marker)));
  }
}

/** The one line saying what the default scope skipped, by path and size (`skipped`) or by text (`byText`: minified code, bundles). */
function scopeNotices(skipped: SkipCounts, byText: readonly [string, SkipReason][]): Notice[] {
  const all: SkipCounts = { ...skipped };
  for (const [file, reason] of byText) all[reason] = [...(all[reason] ?? []), file];
  const line = describeSkipped(all);
  if (line === undefined) return [];
  const files = Object.values(all).flat().sort();
  return [{ kind: 'scope', level: 'notice', message: line }, ...files.map((file): Notice => ({ kind: 'scope', level: 'notice', verbose: true, message: 'skipped', file }))];
}

/** One line counting the roots whose walk hit its budget, and (for --verbose) one per root saying where and how. */
function budgetNotices(degraded: readonly DegradedRoot[]): Notice[] {
  if (degraded.length === 0) return [];
  const out: Notice[] = [{
    kind: 'budget',
    level: 'notice',
    message: `${degraded.length} function${degraded.length === 1 ? '' : 's'} took more than the analysis budget and ${degraded.length === 1 ? 'was' : 'were'} analysed in part (--verbose lists them)`,
  }];
  for (const { node, thread, how } of degraded) {
    const file = node.getSourceFile();
    const { line, column } = file.getLineAndColumnAtPos(node.getStart());
    const name = Node.isSourceFile(node) ? 'top-level code' : `\`${(node as Node & { getName?(): string | undefined }).getName?.() ?? '(anonymous)'}\``;
    const outcome = how === 'calls-not-followed' ? 'analysed without following its calls' : 'not analysed';
    const on = thread === 'main' ? '' : ` (${thread})`;
    out.push({ kind: 'budget', level: 'notice', verbose: true, file: file.getFilePath(), line, column, message: `${name}${on} took more than the analysis budget: ${outcome}` });
  }
  return out;
}

/** One notice per analysed file the parser had to recover in: its first syntax error, where it is. */
function syntaxNotices(files: readonly SourceFile[]): Notice[] {
  const out: Notice[] = [];
  for (const file of files) {
    const first = (file.compilerNode as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
    if (first === undefined) continue;
    const { line, character } = file.compilerNode.getLineAndCharacterOfPosition(first.start);
    const detail = ts.flattenDiagnosticMessageText(first.messageText, ' ');
    out.push({ kind: 'syntax', level: 'notice', file: file.getFilePath(), line: line + 1, column: character + 1, message: `syntax error: ${detail.replace(/\.$/, '')}; analysed as far as it parses` });
  }
  return out;
}

/**
 * `from './x.js'` (imports and re-exports), `import './x.js'`, `import('./x.js')`, `require('./x')`: relative
 * specifiers in source text.
 */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*['"](\.{1,2}\/[^'"]+|\.{1,2})['"]/g;

/** The root file a relative specifier names, trying what a bundler tries (extensionless `./util` included). */
function resolveRelative(absolute: string, roots: ReadonlySet<string>): string | undefined {
  return sourceCandidates(absolute).find((candidate) => roots.has(candidate));
}
