/**
 * LSP benchmark: on a generated 1,000-module project, the time from a `didChange` to the publish of diagnostics
 * that reflect it (p50/p95 over 50 edits) and peak resident memory, for deadbolt-lsp and, on the very same
 * edits, for typescript-language-server's own diagnostics. Run alone with `node server/dist/bench/lsp.js`.
 */
import { readFileSync } from 'node:fs';
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
const MODULES = Number(process.env.DEADBOLT_BENCH_MODULES ?? 1000);

export interface LspFigures {
  server: string;
  openMs: number;
  p50: number;
  p95: number;
  max: number;
  peakRssMb: number | undefined;
  /** For deadbolt-lsp: the engine's own time per edit (logged by the server), p50, so the protocol layer's share shows. */
  engineP50?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The 50 edit texts of a lock module: odd edits append a lost update of its shared counters and a type error
 * (something each server must report), even ones take them out again; every text differs, so nothing is cached.
 */
function editTexts(original: string): { text: string; broken: boolean }[] {
  const counters = /const (counters\d+) =/.exec(original)?.[1];
  if (counters === undefined) throw new Error('the edited module declares no shared counters');
  return Array.from({ length: EDITS }, (_, index) => {
    const k = index + 1;
    const broken = k % 2 === 1;
    const added = broken ? `export function edited${k}(): void { ${counters}[1]++; const bad: number = 'x${k}'; }\n` : `// edit ${k}\n`;
    return { text: original + added, broken };
  });
}

async function measure(
  name: string,
  command: string[],
  root: string,
  file: string,
  original: string,
  reflects: (d: Diagnostic[], broken: boolean) => boolean,
  initializationOptions?: unknown,
): Promise<LspFigures> {
  const session = await BenchSession.start(command, root, initializationOptions);
  const rss = sampleRss(session.child.pid!);
  try {
    const openMs = await session.open(file, original, (d) => reflects(d, false));
    const latencies: number[] = [];
    const engine: number[] = [];
    for (const edit of editTexts(original)) {
      latencies.push(await session.edit(file, edit.text, (d) => reflects(d, edit.broken)));
      const logged = session.analysisMs.at(-1);
      if (logged !== undefined) engine.push(logged);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const figures: LspFigures = { server: name, openMs, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)!, peakRssMb: rss.stop() };
    if (engine.length > 0) figures.engineP50 = percentile(engine.sort((a, b) => a - b), 50);
    print([figures]);
    return figures;
  } finally {
    rss.stop();
    await session.stop();
  }
}

function print(figures: readonly LspFigures[]): void {
  const fmt = (ms: number | undefined) => (ms === undefined ? '-' : `${ms.toFixed(1)} ms`);
  for (const f of figures) {
    const rss = f.peakRssMb === undefined ? 'n/a' : `${f.peakRssMb.toFixed(0)} MB`;
    console.log(
      `${f.server}: open ${fmt(f.openMs)}, edit p50 ${fmt(f.p50)}, p95 ${fmt(f.p95)}, max ${fmt(f.max)}, peak RSS ${rss}` +
        (f.engineP50 === undefined ? '' : ` (engine alone p50 ${fmt(f.engineP50)})`),
    );
  }
}

/** Runs both servers on the same edits, prints the figures and returns them. */
export async function measureLspLatency(): Promise<LspFigures[]> {
  // The analysis benchmark's generator (server/bench/generate.ts): one project shape for both benchmarks.
  const root = join(REPO, '.bench-work', 'lsp-project');
  const project = generateProject(root, MODULES);
  const lockModule = Math.floor(MODULES / 20) * 10; // a lock module (every tenth is one) in the middle
  const edited = join(root, 'src', `mod${String(lockModule).padStart(4, '0')}.ts`);
  console.log(`\nLSP: edit-to-diagnostics latency over ${EDITS} edits of ${edited.slice(root.length + 1)} in a generated project of ${project.modules} modules / ${project.lines} lines`);
  const original = readFileSync(edited, 'utf8');
  const figures: LspFigures[] = [];

  figures.push(
    await measure('deadbolt-lsp', [process.execPath, SERVER_BIN, '--stdio'], root, edited, original, (d, broken) =>
      d.some((x) => x.code === 'non-atomic-update') === broken,
    ),
  );

  const require = createRequire(import.meta.url);
  const tsls = require.resolve('typescript-language-server/lib/cli.mjs');
  const tsserver = require.resolve('typescript/lib/tsserver.js');
  figures.push(
    await measure(
      'typescript-language-server',
      [process.execPath, tsls, '--stdio'],
      root,
      edited,
      original,
      (d, broken) => d.some((x) => x.code === 2322) === broken,
      { tsserver: { path: tsserver } },
    ),
  );

  const [ours, theirs] = figures as [LspFigures, LspFigures];
  console.log(`goal p95 <= 100 ms: ${ours.p95 <= 100 ? 'met' : 'NOT met'}; p95 vs typescript-language-server: ${(ours.p95 / theirs.p95).toFixed(2)}x`);
  return figures;
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
