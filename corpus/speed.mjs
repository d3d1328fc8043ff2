#!/usr/bin/env node
// Measures `deadbolt check` against `tsc --noEmit` on the same files, per repository of the corpus (see
// checkout.mjs), and prints the ratios of wall time, CPU time and peak memory (goal: each at most 2x).
// Usage: node corpus/speed.mjs [--corpus dir] [--timeout s] [--findings dir] [name...]   (after `npm run build`)
// --findings keeps deadbolt's JSON output per check in dir, so a speed-up can be shown to leave findings unchanged.
// "The same files" are the files deadbolt's check covers (its root files, after the default scope), listed in a
// generated tsconfig outside the repository: noEmit, skipLibCheck, allowJs so the JavaScript files are read as
// deadbolt reads them, checkJs off so they are not type-checked. Files the default scope leaves out by their text
// (minified code, bundles) are left out of tsc's list too. Each tool runs once, cold, under GNU time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const deadbolt = join(here, '..', 'server', 'bin', 'deadbolt.js');
const tsc = join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc');
const { Workspace } = await import(join(here, '..', 'server', 'dist', 'src', 'engine', 'index.js'));
const { Scope } = await import(join(here, '..', 'server', 'dist', 'src', 'engine', 'files.js'));
const { repositories } = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));

const argv = process.argv.slice(2);
const option = (name) => {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv.splice(at, 2)[1];
};
const corpus = resolve(option('--corpus') ?? process.env.DEADBOLT_CORPUS ?? join(here, '..', '.corpus'));
const timeoutSeconds = Number(option('--timeout') ?? 900);
const findingsDir = option('--findings');
const only = argv;

/** Runs a node script under GNU time: wall seconds, CPU seconds and peak resident MB. */
function timed(script, args, cwd) {
  const started = process.hrtime.bigint();
  // timeout(1) runs under GNU time, so a run stopped for time is killed with its whole process and still measured.
  const command = ['-f', '%U %S %M', 'timeout', '-k', '10', String(timeoutSeconds), process.execPath, script, ...args];
  const run = spawnSync('/usr/bin/time', command, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const [user, system, kb] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + system, mb: kb / 1024, exit: run.status, stdout: run.stdout };
}

/** The target `deadbolt check` picks for these arguments (as cli/run.ts resolves it). */
function targetOf(dir, args) {
  if (args.length > 0) return { paths: args };
  const config = ['tsconfig.json', 'jsconfig.json'].map((name) => join(dir, name)).find((file) => existsSync(file));
  return config ? { tsconfig: config, expandWorkspaces: true } : { paths: ['.'] };
}

/** Says when a tool stopped for time (timeout's 124 and 137) or failed; `ok` is its highest ordinary exit code. */
const exitNote = (tool, exit, ok = 1) => (exit === 124 || exit === 137 ? `  ${tool} stopped after ${timeoutSeconds} s` : exit > ok ? `  ${tool} exit ${exit}` : '');
const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
let over = 0;
console.log('repository check | files | deadbolt wall/cpu/MB | tsc wall/cpu/MB | ratio wall, cpu, memory');
for (const { name, checks } of repositories) {
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = join(corpus, name);
  if (!existsSync(dir)) {
    console.error(`${name}: not checked out under ${corpus} (node corpus/checkout.mjs)`);
    continue;
  }
  for (const args of checks) {
    const label = `${name} ${args.length ? args.join(' ') : '(tsconfig)'}`;
    let files;
    try {
      // Minified files and bundles are known by their text: the check leaves them out, so tsc gets none of them either.
      const scope = new Scope(dir, undefined);
      files = new Workspace({ cwd: dir, ...targetOf(dir, args) }).rootFiles.filter((file) => scope.reasonByText(file, readFileSync(file, 'utf8')) === undefined);
    } catch (error) {
      console.log(`${label}: deadbolt cannot choose its files: ${error.message.split('\n')[0]}`);
      continue;
    }
    const scratch = mkdtempSync(join(tmpdir(), 'deadbolt-speed-'));
    try {
      const tsconfig = join(scratch, 'tsconfig.json');
      const compilerOptions = { noEmit: true, skipLibCheck: true, allowJs: true, checkJs: false, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', jsx: 'preserve' };
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files }, null, 2));
      const d = timed(deadbolt, ['check', ...args, '--format', 'json'], dir);
      if (findingsDir) writeFileSync(join(resolve(findingsDir), `${label.replace(/[^\w.-]+/g, '_')}.json`), d.stdout);
      const t = timed(tsc, ['-p', tsconfig], dir);
      const worst = Math.max(d.cpu / t.cpu, d.mb / t.mb);
      if (worst > 2) over += 1;
      console.log(
        `${label} | ${files.length} | ${d.wall.toFixed(1)} s / ${d.cpu.toFixed(1)} s / ${d.mb.toFixed(0)} | ${t.wall.toFixed(1)} s / ${t.cpu.toFixed(1)} s / ${t.mb.toFixed(0)} | ` +
          `${ratio(d.wall, t.wall)}, ${ratio(d.cpu, t.cpu)}, ${ratio(d.mb, t.mb)}${worst > 2 ? '  OVER 2x' : ''}${exitNote('deadbolt', d.exit)}${exitNote('tsc', t.exit, 2)}`,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
console.log(`${over} check${over === 1 ? '' : 's'} over 2x tsc (CPU time or peak memory)`);
process.exitCode = over > 0 ? 1 : 0;
