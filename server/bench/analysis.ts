/**
 * The analysis benchmark: `deadbolt check --format json` against `tsc --noEmit -p` on a generated 1,000-module
 * project, alternating, several rounds. Prints median times, the ratio (goal: at most 0.5x tsc), peak memory and the
 * machine's load average before and after, since a busy shared machine skews wall time more than CPU time.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generateProject } from './generate.js';
import { measureNode, median, type Measurement } from './measure.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DEADBOLT = path.join(REPO, 'server', 'bin', 'deadbolt.js');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const GOAL_RATIO = 0.5;

export const name = 'analysis';

export async function run(): Promise<void> {
  const modules = Number(process.env.BENCH_MODULES ?? 1000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  // Inside the repository so `@deadbolt/runtime` and @types/node resolve as in a user's project; .bench-work is gitignored.
  const project = generateProject(path.join(REPO, '.bench-work', 'analysis'), modules);
  console.log(`analysis: ${project.modules} modules, ${project.lines} lines, ${project.lockModules} lock modules; ${rounds} rounds, alternating; load ${load()}`);

  const deadbolt: Measurement[] = [];
  const tsc: Measurement[] = [];
  // One unmeasured run of each first, so neither pays for a cold disk cache alone.
  measureNode(DEADBOLT, ['check', '--format', 'json'], project.dir);
  measureNode(TSC, ['--noEmit', '-p', 'tsconfig.json'], project.dir);
  for (let round = 0; round < rounds; round++) {
    deadbolt.push(measureNode(DEADBOLT, ['check', '--format', 'json'], project.dir));
    tsc.push(measureNode(TSC, ['--noEmit', '-p', 'tsconfig.json'], project.dir));
    const [d, t] = [deadbolt.at(-1)!, tsc.at(-1)!];
    console.log(`  round ${round + 1}: deadbolt ${d.ms.toFixed(0)} ms (cpu ${d.cpuMs.toFixed(0)} ms), tsc ${t.ms.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)} ms)`);
  }

  const report = JSON.parse(deadbolt.at(-1)!.stdout) as { summary: { files: number; errors: number; warnings: number } };
  const deadboltMs = median(deadbolt.map((m) => m.ms));
  const tscMs = median(tsc.map((m) => m.ms));
  const ratio = deadboltMs / tscMs;
  const cpuRatio = median(deadbolt.map((m) => m.cpuMs)) / median(tsc.map((m) => m.cpuMs));
  console.log(`  deadbolt check: median ${deadboltMs.toFixed(0)} ms (cpu ${median(deadbolt.map((m) => m.cpuMs)).toFixed(0)} ms), peak ${Math.max(...deadbolt.map((m) => m.peakMiB)).toFixed(0)} MiB, ${report.summary.files} files, ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
  console.log(`  tsc --noEmit:   median ${tscMs.toFixed(0)} ms (cpu ${median(tsc.map((m) => m.cpuMs)).toFixed(0)} ms), peak ${Math.max(...tsc.map((m) => m.peakMiB)).toFixed(0)} MiB`);
  console.log(`  ratio deadbolt/tsc: wall ${ratio.toFixed(2)}x, cpu ${cpuRatio.toFixed(2)}x (goal <= ${GOAL_RATIO}x): ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'}; load ${load()}`);
}

/** The 1, 5 and 15 minute load averages. */
function load(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}
