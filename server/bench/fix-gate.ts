/**
 * The type-check gate's cost (fix-gate.ts): on the rule fixtures and the held-out fix corpus (test-fixtures), each
 * folder analysed as a Workspace, every fix the rules propose is checked alone, cold (a program per fix, as a code
 * action under the cursor asks), then all of them again at once as `--format json` asks (fixes that change different
 * files share a program). Prints milliseconds per fix, wall and CPU, p50/p95/max, and the share of fixes refused.
 * Run alone with `node server/dist/bench/fix-gate.js`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Workspace, type Fix } from '../src/engine/index.js';
import { loadConfig } from '../src/engine/config.js';

const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/', import.meta.url));
const RULE_FOLDERS = ['lock-order', 'double-lock', 'lock-leak', 'unguarded-write', 'non-atomic-update', 'blocking-in-async', 'sync-io-in-async', 'await-holding-lock'];

export const name = 'fix-gate';

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export async function run(): Promise<void> {
  const heldOut = path.join(FIXTURES, 'fixes-heldout');
  const folders = [
    ...RULE_FOLDERS.map((f) => path.join(FIXTURES, f)),
    ...readdirSync(heldOut, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(heldOut, d.name)),
  ];
  const wall: number[] = [];
  const cpu: number[] = [];
  let refused = 0;
  let batchWall = 0;
  let batchCpu = 0;
  let batchFixes = 0;
  for (const folder of folders) {
    const cold = new Workspace({ cwd: folder, paths: ['.'], config: loadConfig({ cwd: folder }).config });
    const findings = cold.analyze().findings;
    const fixes: Fix[] = findings.flatMap((f) => f.fixes);
    for (const fix of fixes) {
      const [w, c] = [performance.now(), cpuMs()];
      if (!cold.checkEdits(fix.edits).ok) refused++;
      wall.push(performance.now() - w);
      cpu.push(cpuMs() - c);
    }
    // The same fixes through a fresh Workspace, all at once, as the CLI checks what JSON and SARIF print.
    const batch = new Workspace({ cwd: folder, paths: ['.'], config: loadConfig({ cwd: folder }).config });
    const again = batch.analyze().findings;
    const [w, c] = [performance.now(), cpuMs()];
    batch.checkFixes(again);
    batchWall += performance.now() - w;
    batchCpu += cpuMs() - c;
    batchFixes += again.reduce((n, f) => n + f.fixes.length, 0);
  }
  const sortedWall = [...wall].sort((a, b) => a - b);
  const sortedCpu = [...cpu].sort((a, b) => a - b);
  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
  console.log(`fix gate: ${wall.length} fixes in ${folders.length} fixture programs, ${refused} refused`);
  console.log(`  one fix at a time: wall p50 ${fmt(percentile(sortedWall, 50))}, p95 ${fmt(percentile(sortedWall, 95))}, max ${fmt(sortedWall.at(-1) ?? 0)}; cpu p50 ${fmt(percentile(sortedCpu, 50))}, p95 ${fmt(percentile(sortedCpu, 95))}`);
  console.log(`  all fixes of a program at once: ${fmt(batchWall / Math.max(1, batchFixes))} wall, ${fmt(batchCpu / Math.max(1, batchFixes))} cpu per fix`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
