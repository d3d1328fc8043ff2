/**
 * Deadbolt against the native TypeScript compiler (`tsgo --noEmit`, from @typescript/native-preview, installed into
 * .bench-work/tsgo by this benchmark's setup: it is no dependency of the product). On the generated 1,000-module
 * project: a cold check, a warm check (`--cache`) after a one-file edit outside the analysis and after one inside
 * it, and peak memory against `tsc --noEmit`. On two public repositories of the corpus (when checked out, see
 * corpus/checkout.mjs): a cold check against tsgo on the same files. Goals: cold <= 1x tsgo, warm <= 0.1x tsgo.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace } from '../src/engine/index.js';
import { generateProject } from './generate.js';
import { measureCommand, median, type CommandMeasurement } from './measure.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const DEADBOLT = path.join(REPO, 'server', 'bin', 'deadbolt.js');
const TSC = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
/** The preview this benchmark was written against; newer ones may be faster or slower. */
const TSGO_VERSION = '7.0.0-dev.20260707.2';
const TSGO_DIR = path.join(REPO, '.bench-work', 'tsgo');
const TSGO = path.join(TSGO_DIR, 'node_modules', '.bin', 'tsgo');
/** Two public repositories of the corpus, one TypeScript monorepo package tree and one JavaScript library. */
const REAL = [
  { name: 'esfx', args: [] as string[] },
  { name: 'piscina', args: ['.'] },
];

export const name = 'tsgo';

export async function run(): Promise<void> {
  if (!installTsgo()) return;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const project = generateProject(path.join(REPO, '.bench-work', 'tsgo-analysis'), Number(process.env.BENCH_MODULES ?? 1000));
  console.log(`tsgo: ${project.modules} modules; ${rounds} rounds; load ${load()}`);
  const cache = path.join(project.dir, '.deadboltcache');
  const check = (extra: string[] = []): CommandMeasurement => measureCommand(process.execPath, [DEADBOLT, 'check', '--format', 'json', ...extra], project.dir);
  const tsgo = (): CommandMeasurement => measureCommand(TSGO, ['--noEmit', '-p', 'tsconfig.json'], project.dir);
  const tsc = (): CommandMeasurement => measureCommand(process.execPath, [TSC, '--noEmit', '-p', 'tsconfig.json'], project.dir);
  // A plain module (the prefilter leaves it out: most edits are such) and a lock module (re-analysed in full).
  const plain = path.join(project.dir, 'src', 'mod0005.ts');
  const locking = path.join(project.dir, 'src', 'mod0010.ts');
  check();
  tsgo();
  const runs = { cold: [] as CommandMeasurement[], plain: [] as CommandMeasurement[], locking: [] as CommandMeasurement[], tsgo: [] as CommandMeasurement[], tsc: [] as CommandMeasurement[] };
  for (let round = 0; round < rounds; round++) {
    rmSync(cache, { force: true });
    runs.cold.push(check(['--cache']));
    appendFileSync(plain, `export function edited${round}(n: number): number {\n  return n * ${round + 2};\n}\n`);
    runs.plain.push(check(['--cache']));
    appendFileSync(locking, `// edited in round ${round}\n`);
    runs.locking.push(check(['--cache']));
    runs.tsgo.push(tsgo());
    runs.tsc.push(tsc());
  }
  const t = median(runs.tsgo.map((m) => m.ms));
  const tCpu = median(runs.tsgo.map((m) => m.cpuMs));
  const line = (label: string, list: CommandMeasurement[], goal?: number): void => {
    const ms = median(list.map((m) => m.ms));
    const cpu = median(list.map((m) => m.cpuMs));
    const verdict = goal === undefined ? '' : ` (goal <= ${goal}x: ${ms / t <= goal ? 'met' : 'MISSED'})`;
    console.log(`  ${label.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms (cpu ${cpu.toFixed(0)} ms), peak ${Math.max(...list.map((m) => m.peakMiB)).toFixed(0)} MiB: ${(ms / t).toFixed(2)}x tsgo wall, ${(cpu / tCpu).toFixed(2)}x cpu${verdict}`);
  };
  line('tsgo --noEmit', runs.tsgo);
  line('deadbolt check, cold', runs.cold, 1);
  line('deadbolt check --cache, plain file edited', runs.plain, 0.1);
  line('deadbolt check --cache, lock file edited', runs.locking, 0.1);
  line('tsc --noEmit (TypeScript 6)', runs.tsc);
  const peak = Math.max(...runs.cold.map((m) => m.peakMiB));
  const tscPeak = Math.max(...runs.tsc.map((m) => m.peakMiB));
  console.log(`  peak memory, cold check against tsc: ${peak.toFixed(0)} / ${tscPeak.toFixed(0)} MiB = ${(peak / tscPeak).toFixed(2)}x (goal < 2x); load ${load()}`);
  for (const repo of REAL) realRepository(repo.name, repo.args, rounds);
}

/** Cold deadbolt check against tsgo on the files deadbolt covers (a generated tsconfig, as corpus/speed.mjs writes it). */
function realRepository(name: string, args: string[], rounds: number): void {
  const corpus = path.resolve(process.env.DEADBOLT_CORPUS ?? path.join(REPO, '.corpus'));
  const dir = path.join(corpus, name);
  if (!existsSync(dir)) {
    console.log(`  ${name}: not checked out under ${corpus} (node corpus/checkout.mjs), skipped`);
    return;
  }
  const config = ['tsconfig.json', 'jsconfig.json'].map((file) => path.join(dir, file)).find((file) => existsSync(file));
  const target = args.length > 0 || config === undefined ? { paths: args.length > 0 ? args : ['.'] } : { tsconfig: config, expandWorkspaces: true };
  const files = new Workspace({ cwd: dir, ...target }).rootFiles;
  const scratch = path.join(REPO, '.bench-work', `tsgo-${name}`);
  mkdirSync(scratch, { recursive: true });
  const tsconfig = path.join(scratch, 'tsconfig.json');
  const compilerOptions = { noEmit: true, skipLibCheck: true, allowJs: true, checkJs: false, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', jsx: 'preserve' };
  writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files }, null, 2));
  const cold: CommandMeasurement[] = [];
  const native: CommandMeasurement[] = [];
  for (let round = 0; round < rounds; round++) {
    cold.push(measureCommand(process.execPath, [DEADBOLT, 'check', ...args, '--format', 'json'], dir));
    native.push(measureCommand(TSGO, ['--noEmit', '-p', tsconfig], dir));
  }
  const [d, t] = [median(cold.map((m) => m.ms)), median(native.map((m) => m.ms))];
  const [dc, tc] = [median(cold.map((m) => m.cpuMs)), median(native.map((m) => m.cpuMs))];
  console.log(`  ${name} (${files.length} files): deadbolt cold ${d.toFixed(0)} ms (cpu ${dc.toFixed(0)}), tsgo ${t.toFixed(0)} ms (cpu ${tc.toFixed(0)}): ${(d / t).toFixed(2)}x wall, ${(dc / tc).toFixed(2)}x cpu (goal <= 1x: ${d <= t ? 'met' : 'MISSED'})`);
}

/** Installs the pinned tsgo into .bench-work/tsgo from the npm registry; false (and a line) when that fails. */
function installTsgo(): boolean {
  const manifest = path.join(TSGO_DIR, 'node_modules', '@typescript', 'native-preview', 'package.json');
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === TSGO_VERSION) return true;
  mkdirSync(TSGO_DIR, { recursive: true });
  writeFileSync(path.join(TSGO_DIR, 'package.json'), '{ "private": true }\n');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `@typescript/native-preview@${TSGO_VERSION}`], { cwd: TSGO_DIR, encoding: 'utf8', timeout: 300_000 });
  if (npm.status !== 0 || !existsSync(TSGO)) {
    console.log(`tsgo: could not install @typescript/native-preview@${TSGO_VERSION} (${(npm.stderr ?? '').trim().split('\n').at(-1)}), skipped`);
    return false;
  }
  return true;
}

function load(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}
