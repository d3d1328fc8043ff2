/**
 * LSP benchmark: on a generated 1,000-module project, the time from a `didChange` to the publish of diagnostics
 * that reflect it (p50/p95 over 50 edits) and peak resident memory, for deadbolt-lsp and, on the very same
 * edits, for typescript-language-server's own diagnostics. Two kinds of edit: of a module that takes locks (the
 * engine must re-analyse) and of a plain module (it need not). For deadbolt-lsp it also times a quick-fix request on
 * each edit's finding, whose fixes the analysis worker type-checks only then. Run alone with
 * `node server/dist/bench/lsp.js`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { generateProject } from './generate.js';
import { sampleRss } from './lsp/rss.js';
import { BenchSession } from './lsp/session.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_BIN = join(REPO, 'server', 'bin', 'deadbolt-lsp.js');
const EDITS = 50;
/** A quick-fix list appears where the cursor is: the same budget as an edit's diagnostics. */
const CODE_ACTION_GOAL_MS = 100;
const MODULES = Number(process.env.DEADBOLT_BENCH_MODULES ?? 1000);
/**
 * Rules switched off for deadbolt-lsp (comma-separated ids), through a deadbolt.config.json in the generated project:
 * what a rule costs an edit is the difference from a run with it on. `DEADBOLT_BENCH_LSP_ONLY=1` leaves out
 * typescript-language-server, which such a comparison does not need.
 */
const RULES_OFF = (process.env.DEADBOLT_BENCH_RULES_OFF ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
const DEADBOLT_ONLY = process.env.DEADBOLT_BENCH_LSP_ONLY === '1';

export interface LspFigures {
  server: string;
  scenario: string;
  openMs: number;
  p50: number;
  p95: number;
  max: number;
  /** Peak resident memory of the server's process tree over the whole session (all scenarios). */
  peakRssMb: number | undefined;
  /** For deadbolt-lsp: the engine's own time per edit (logged by the server), p50, so the protocol layer's share shows. */
  engineP50?: number;
  /**
   * For deadbolt-lsp: the time from a quick-fix request on the edit's finding to its answer, whose fixes the worker
   * type-checks then (the gate runs only for what a request shows), p50/p95 over the edits with a finding.
   */
  codeAction?: { p50: number; p95: number; withFix: number; asked: number; editWhilePendingP95: number };
}

interface Edit {
  text: string;
  /** Whether this text has a type error (typescript-language-server must report it). */
  broken: boolean;
  /** Whether this text has a lost update (deadbolt-lsp must report it). */
  finding: boolean;
}

interface Scenario {
  name: string;
  file: string;
  original: string;
  edits: Edit[];
}

/** Tells, per server, whether a publish reflects an edit: the server's own finding is there exactly when expected. */
type Reflects = (diagnostics: Diagnostic[], version: number | undefined, edit: Edit, sentVersion: number) => boolean;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * 50 edit texts: odd edits append `line(k)` (a mistake each server reports), even ones take it out again;
 * every text differs, so no server can answer from a cache of texts.
 */
function editsOf(original: string, line: (k: number) => string, withFinding: boolean): Edit[] {
  return Array.from({ length: EDITS }, (_, index) => {
    const k = index + 1;
    const broken = k % 2 === 1;
    return { text: original + (broken ? `${line(k)}\n` : `// edit ${k}\n`), broken, finding: broken && withFinding };
  });
}

/** The diagnostic of an edit whose quick fixes the benchmark asks for (deadbolt-lsp only). */
type FixTarget = (diagnostics: Diagnostic[]) => Diagnostic | undefined;

async function measure(name: string, command: string[], root: string, scenarios: Scenario[], reflects: Reflects, initializationOptions?: unknown, fixTarget?: FixTarget): Promise<LspFigures[]> {
  const session = await BenchSession.start(command, root, initializationOptions);
  const rss = sampleRss(session.child.pid!);
  const results: Omit<LspFigures, 'peakRssMb'>[] = [];
  try {
    for (const scenario of scenarios) {
      const clean: Edit = { text: scenario.original, broken: false, finding: false };
      const openMs = await session.open(scenario.file, scenario.original, (d, v) => reflects(d, v, clean, 1));
      const latencies: number[] = [];
      const engine: number[] = [];
      const actions: number[] = [];
      const contended: number[] = [];
      let withFix = 0;
      let previous: Diagnostic | undefined;
      for (const edit of scenario.edits) {
        const runs = session.analysisMs.length;
        const sent = session.documentVersion + 1;
        // An edit typed while a quick-fix request (the lightbulb) is still being type-checked: the check gives way.
        const pending = previous === undefined ? undefined : session.codeActions(scenario.file, previous);
        const latency = await session.edit(scenario.file, edit.text, (d, v) => reflects(d, v, edit, sent));
        latencies.push(latency);
        if (pending !== undefined) {
          contended.push(latency);
          await pending;
        }
        if (session.analysisMs.length > runs) engine.push(session.analysisMs.at(-1)!);
        const target = fixTarget?.(session.lastDiagnostics);
        previous = undefined;
        if (target !== undefined) {
          const answer = await session.codeActions(scenario.file, target);
          actions.push(answer.ms);
          if (answer.titles.some((t) => !t.startsWith('Suppress'))) withFix++;
          previous = target;
        }
      }
      const sorted = [...latencies].sort((a, b) => a - b);
      const figures: Omit<LspFigures, 'peakRssMb'> = { server: name, scenario: scenario.name, openMs, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
      if (engine.length > 0) figures.engineP50 = percentile(engine.sort((a, b) => a - b), 50);
      if (actions.length > 0) {
        const sortedActions = actions.sort((a, b) => a - b);
        const sortedContended = contended.sort((a, b) => a - b);
        figures.codeAction = {
          p50: percentile(sortedActions, 50),
          p95: percentile(sortedActions, 95),
          withFix,
          asked: actions.length,
          editWhilePendingP95: percentile(sortedContended, 95),
        };
      }
      results.push(figures);
    }
  } finally {
    await session.stop();
  }
  const peakRssMb = rss.stop();
  const all = results.map((r) => ({ ...r, peakRssMb }));
  print(all);
  return all;
}

function print(figures: readonly LspFigures[]): void {
  const fmt = (ms: number | undefined) => (ms === undefined ? '-' : `${ms.toFixed(1)} ms`);
  for (const f of figures) {
    const rss = f.peakRssMb === undefined ? 'n/a' : `${f.peakRssMb.toFixed(0)} MB`;
    console.log(
      `${f.server}, ${f.scenario}: open ${fmt(f.openMs)}, edit p50 ${fmt(f.p50)}, p95 ${fmt(f.p95)}, max ${fmt(f.max)}, peak RSS ${rss}` +
        (f.engineP50 === undefined ? '' : ` (engine alone p50 ${fmt(f.engineP50)})`) +
        (f.codeAction === undefined
          ? ''
          : `; quick fixes p50 ${fmt(f.codeAction.p50)}, p95 ${fmt(f.codeAction.p95)} (type-checked on request; ${f.codeAction.withFix} of ${f.codeAction.asked} offered a fix); edit p95 while a quick-fix request is pending ${fmt(f.codeAction.editWhilePendingP95)}`),
    );
  }
}

/** Runs both servers on the same edits, prints the figures and returns them. */
export async function measureLspLatency(): Promise<LspFigures[]> {
  // The analysis benchmark's generator (server/bench/generate.ts): one project shape for both benchmarks.
  const root = join(REPO, '.bench-work', 'lsp-project');
  const project = generateProject(root, MODULES);
  if (RULES_OFF.length > 0) writeFileSync(join(root, 'deadbolt.config.json'), JSON.stringify({ rules: Object.fromEntries(RULES_OFF.map((id) => [id, 'off'])) }));
  const module = (i: number) => join(root, 'src', `mod${String(i).padStart(4, '0')}.ts`);
  const lockIndex = Math.floor(MODULES / 20) * 10; // every tenth module takes locks: one in the middle
  const lockFile = module(lockIndex);
  const plainFile = module(lockIndex + 1);
  const lockOriginal = readFileSync(lockFile, 'utf8');
  const plainOriginal = readFileSync(plainFile, 'utf8');
  const counters = /const (counters\d+) =/.exec(lockOriginal)?.[1];
  if (counters === undefined) throw new Error(`${lockFile} declares no shared counters`);
  const scenarios: Scenario[] = [
    {
      name: 'lock module',
      file: lockFile,
      original: lockOriginal,
      // A lost update of the module's shared counters (deadbolt) and a type error (TypeScript) appear together.
      edits: editsOf(lockOriginal, (k) => `export function edited${k}(): void { ${counters}[1]++; const bad: number = 'x${k}'; }`, true),
    },
    {
      name: 'plain module',
      file: plainFile,
      original: plainOriginal,
      // Only a type error: deadbolt has nothing to find, so its publish for the edit's version is what counts.
      edits: editsOf(plainOriginal, (k) => `export function edited${k}(): number { const bad: number = 'x${k}'; return bad; }`, false),
    },
  ];
  console.log(`\nLSP: edit-to-diagnostics latency over ${EDITS} edits each of ${[lockFile, plainFile].map((f) => f.slice(root.length + 1)).join(' and ')} in a generated project of ${project.modules} modules / ${project.lines} lines${RULES_OFF.length > 0 ? `, deadbolt-lsp with ${RULES_OFF.join(', ')} off` : ''}`);

  // deadbolt-lsp publishes every open document with the version it analysed, so the version tells which edit a publish reflects.
  const ours = await measure(
    'deadbolt-lsp',
    [process.execPath, SERVER_BIN, '--stdio'],
    root,
    scenarios,
    (d, version, edit, sent) => version === sent && d.some((x) => x.code === 'non-atomic-update') === edit.finding,
    undefined,
    (d) => d.find((x) => x.code === 'non-atomic-update'),
  );

  if (DEADBOLT_ONLY) return ours;
  const require = createRequire(import.meta.url);
  const tsls = require.resolve('typescript-language-server/lib/cli.mjs');
  const tsserver = require.resolve('typescript/lib/tsserver.js');
  const theirs = await measure(
    'typescript-language-server',
    [process.execPath, tsls, '--stdio'],
    root,
    scenarios,
    (d, _version, edit) => d.some((x) => x.code === 2322) === edit.broken,
    { tsserver: { path: tsserver } },
  );

  for (const [index, figures] of ours.entries()) {
    const other = theirs[index]!;
    console.log(`${figures.scenario}: goal p95 <= 100 ms ${figures.p95 <= 100 ? 'met' : 'NOT met'}; p95 vs typescript-language-server ${(figures.p95 / other.p95).toFixed(2)}x`);
    if (figures.codeAction !== undefined) {
      console.log(`${figures.scenario}: quick fixes (type-checked on request), goal p95 <= ${CODE_ACTION_GOAL_MS} ms ${figures.codeAction.p95 <= CODE_ACTION_GOAL_MS ? 'met' : 'NOT met'}`);
    }
  }
  return [...ours, ...theirs];
}

/** The entry the shared benchmark runner (server/bench/run.ts) calls. */
export async function runLspBenchmark(): Promise<void> {
  await measureLspLatency();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLspBenchmark().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
