/**
 * The `deadbolt` command behind its process: parses arguments, loads configuration, runs the engine, applies
 * fixes, prints a report and returns the exit status. Streams and environment come in as arguments so tests
 * and the bin share one path.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisResult, DeadboltConfig, Finding, Notice, TextEdit, Workspace } from '../engine/index.js';
import type { CacheRequest } from '../engine/cache.js';
import { ConfigError, configSearchStart, loadConfig } from '../engine/config.js';
import { parseCommandLine, USAGE, UsageError, type Command } from './args.js';
import { chooseFixes, writeFixes } from './fix.js';
import { formatGraph } from './format/graph.js';
import { formatJson } from './format/json.js';
import { displayPath } from './format/paths.js';
import { formatText } from './format/text.js';
import { createProgress } from './progress.js';
import { packageVersion } from './version.js';

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { isTTY?: boolean; write(text: string): boolean };
  stderr: { isTTY?: boolean; write(text: string): boolean };
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** How many analyse-and-fix rounds `--fix` runs at most; fixes rarely need more than two. */
const MAX_FIX_PASSES = 5;

/**
 * Runs one command line and resolves to the exit status. The engine (ts-morph and TypeScript) is imported only
 * once a command needs it, so `--help`, `--version` and usage errors answer at once.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`deadbolt: ${error.message}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (command.name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (command.name === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }

  let config: DeadboltConfig;
  let target: Target;
  try {
    target = resolveTarget(command, io.cwd);
    const from = configSearchStart(io.cwd, target);
    config = loadConfig({ cwd: io.cwd, from, ...(command.config === undefined ? {} : { configPath: command.config }) }).config;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`deadbolt: invalid configuration: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`deadbolt: ${error.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }

  const progress = createProgress(io.stderr);
  // With --cache, an unchanged project is answered from the cache without loading the engine (or TypeScript) at all.
  const cache = command.name === 'check' && command.cache ? await openCache(io.cwd, command.cacheLocation, { cwd: io.cwd, ...target, config }) : undefined;
  let printedNotices = false;
  // The Workspace of the last analysis: fixes are type-checked against its program, only those about to be used.
  let workspace: Workspace | undefined;
  const analyseNow = async (): Promise<AnalysisResult> => {
    const { Workspace } = await import('../engine/analyze.js');
    workspace = new Workspace({ cwd: io.cwd, ...target, config, onProgress: (done, total) => progress.update(done, total) });
    const result = workspace.analyze();
    progress.done();
    return result;
  };
  const analyseOnce = async (): Promise<AnalysisResult> => {
    workspace = undefined;
    let result = cache?.lookup();
    if (result !== undefined && command.verbose) io.stderr.write(`deadbolt: nothing it depends on changed since the cached run: results from ${displayPath(io.cwd, cache!.file)}\n`);
    if (result === undefined) {
      result = await analyseNow();
      cache?.store(workspace!, result);
    }
    // Notices describe the scope, the same for every pass of --fix: printed once.
    if (!printedNotices) printNotices(result.notices, command.verbose, io);
    printedNotices = true;
    return result;
  };
  // The gate needs the program: after a cache hit (which holds no program) the project is analysed once more for it.
  const gate = async (): Promise<Workspace> => {
    if (workspace === undefined) await analyseNow();
    return workspace!;
  };
  // --fix and --diff: every candidate is checked first in one batch (fixes of different files share a program, and the
  // gate keeps its verdicts), so picking them one by one asks no program of its own.
  const fixChecker = async (findings: readonly Finding[], unsafe: boolean): Promise<(edits: readonly TextEdit[]) => boolean> => {
    const checker = await gate();
    checker.checkFixes(findings, (_, fix) => unsafe || fix.safety === 'safe');
    return (edits) => checker.checkEdits(edits).ok;
  };

  let result: AnalysisResult;
  try {
    result = await analyseOnce();
  } catch (error) {
    // A tsconfig that cannot be used is bad input, not a crash: say where, as tsc does, and exit 2.
    const { TsconfigError } = await import('../engine/project.js');
    if (!(error instanceof TsconfigError)) throw error;
    for (const problem of error.problems) {
      const where = `${displayPath(io.cwd, problem.file)}${problem.line === undefined ? '' : `:${problem.line}:${problem.column}`}`;
      io.stderr.write(`deadbolt: invalid tsconfig: ${where}: ${problem.detail}\n`);
    }
    return EXIT_USAGE;
  }
  if (result.files === 0) {
    // Zero files is a wrong path, an empty include or an ignore that covers everything: never a clean pass.
    io.stderr.write(`deadbolt: no files to analyse: ${describeTarget(target, io.cwd, config)}\n`);
    return EXIT_USAGE;
  }

  if (command.name === 'graph') {
    io.stdout.write(formatGraph(result.graph, command.format));
    return EXIT_OK;
  }
  if (command.name === 'report') {
    const result = await analyseOnce();
    const findings = command.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
    const { htmlReport } = await import('./report.js');
    const page = await htmlReport({ findings, graph: result.graph, files: result.files, cwd: io.cwd, version: packageVersion() });
    if (command.html === '-') io.stdout.write(page);
    else {
      writeFileSync(path.resolve(io.cwd, command.html), page);
      io.stderr.write(`deadbolt: wrote ${command.html} (${findings.length} finding${findings.length === 1 ? '' : 's'}, ${result.graph.cycles.length} cycle${result.graph.cycles.length === 1 ? '' : 's'})\n`);
    }
    // Like check, the status says whether an error was found, so one step can both gate and publish the report.
    return result.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  }

  if (command.diff) {
    const { unifiedDiff } = await import('./format/diff.js');
    const chosen = chooseFixes(result.findings, command.unsafeFixes, await fixChecker(result.findings, command.unsafeFixes));
    for (const [file, edits] of [...chosen.byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
      io.stdout.write(unifiedDiff(displayPath(io.cwd, file), readFileSync(file, 'utf8'), edits));
    }
    io.stderr.write(`deadbolt: ${chosen.fixes} fix${chosen.fixes === 1 ? '' : 'es'} shown, none applied\n`);
    return chosen.fixes > 0 ? EXIT_FINDINGS : EXIT_OK;
  }
  if (command.fix) {
    let applied = 0;
    for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
      const chosen = chooseFixes(result.findings, command.unsafeFixes, await fixChecker(result.findings, command.unsafeFixes));
      if (chosen.fixes === 0) break;
      writeFixes(chosen.byFile);
      applied += chosen.fixes;
      result = await analyseOnce();
    }
    // The report that follows is what remains; say what changed so a clean report is not a mystery.
    if (applied > 0 && command.format === 'text') io.stderr.write(`deadbolt: fixed ${applied} problem${applied === 1 ? '' : 's'}\n`);
  }

  const shown = command.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  // JSON and SARIF carry fixes: only those that pass the type-check gate are offered. Text shows none.
  const findings = command.format === 'text' ? shown : (await gate()).checkFixes(shown);
  const color = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
  switch (command.format) {
    case 'text':
      io.stdout.write(formatText(findings, io.cwd, color));
      break;
    case 'json':
      io.stdout.write(formatJson(findings, result.files, io.cwd, (file) => readFileSync(file, 'utf8'), result.notices, command.verbose));
      break;
    case 'sarif': {
      const { formatSarif } = await import('./format/sarif.js');
      io.stdout.write(formatSarif(findings, io.cwd, packageVersion()));
      break;
    }
  }
  return result.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

type Target = { tsconfig?: string; paths?: string[]; expandWorkspaces?: boolean };

/**
 * What to analyse: `--project` (which must exist), else the given paths (which must exist), else ./tsconfig.json or
 * ./jsconfig.json when present (whose workspace packages may stand in for it when it covers little), else the
 * working directory.
 */
function resolveTarget(command: Extract<Command, { name: 'check' | 'graph' | 'report' }>, cwd: string): Target {
  for (const p of command.paths) {
    if (!existsSync(path.resolve(cwd, p))) throw new UsageError(`no such file or folder: ${p}`);
  }
  if (command.project !== undefined) {
    const tsconfig = path.resolve(cwd, command.project);
    const file = existsSync(tsconfig) && statSync(tsconfig).isDirectory() ? path.join(tsconfig, 'tsconfig.json') : tsconfig;
    if (!existsSync(file)) throw new UsageError(`no such tsconfig: ${command.project}`);
    return command.paths.length > 0 ? { tsconfig: file, paths: command.paths } : { tsconfig: file };
  }
  if (command.paths.length > 0) return { paths: command.paths };
  // A solution tsconfig (only `references`, as at a monorepo's root) stands for its referenced projects.
  const local = ['tsconfig.json', 'jsconfig.json'].map((name) => path.join(cwd, name)).find((file) => existsSync(file));
  return local !== undefined ? { tsconfig: local, expandWorkspaces: true } : { paths: ['.'] };
}

/** The results cache of one command line (see engine/cache.ts): looked up before analysing, written after. */
async function openCache(cwd: string, location: string | undefined, request: CacheRequest): Promise<{ file: string; lookup(): AnalysisResult | undefined; store(workspace: Workspace, result: AnalysisResult): void }> {
  const cache = await import('../engine/cache.js');
  const file = cache.cacheFile(cwd, location);
  return {
    file,
    lookup() {
      const hit = cache.lookup(file, request);
      if (hit === undefined) return undefined;
      const walks = { run: 0, reused: 0 };
      return { ...hit, walks, get graph(): never { throw new Error('a cached check has no lock graph') } };
    },
    store(workspace, result) {
      const inputs = workspace.cacheInputs();
      if (inputs !== undefined) cache.store(file, request, inputs, { findings: result.findings, files: result.files, notices: result.notices });
    },
  };
}

/**
 * Prints what the analysis had to say about its scope on stderr, one line each (`--verbose` adds the lines that list
 * files and functions one by one), so stdout keeps only the report.
 */
function printNotices(notices: readonly Notice[], verbose: boolean, io: CliIo): void {
  for (const notice of notices) {
    if (notice.verbose && !verbose) continue;
    const where = notice.file === undefined ? '' : `${displayPath(io.cwd, notice.file)}${notice.line === undefined ? '' : `:${notice.line}:${notice.column}`}: `;
    io.stderr.write(`deadbolt: ${notice.level === 'warning' ? 'warning: ' : ''}${where}${notice.message}\n`);
  }
}

/** What was asked for, in the words of the "no files to analyse" line. */
function describeTarget(target: Target, cwd: string, config: DeadboltConfig): string {
  const ignored = config.ignore === undefined ? '' : ' (after the configuration\'s "ignore")';
  if (target.tsconfig !== undefined) {
    const narrowed = target.paths === undefined ? '' : ` under ${target.paths.join(', ')}`;
    return `${displayPath(cwd, target.tsconfig)} names no .ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs file${narrowed}${ignored}; check its "files", "include" and "references"`;
  }
  return `${(target.paths ?? ['.']).join(', ')} holds no .ts, .tsx, .mts, .cts, .js, .jsx, .mjs or .cjs file outside node_modules and dist${ignored}`;
}
