#!/usr/bin/env node
// Applies every fix Deadbolt offers on each checkout of the corpus (see checkout.mjs) in a scratch copy, one fix at a
// time, and proves each as `npm test` proves the fixtures' (server/test/helpers/prove-fixes.ts): no new type error in
// the files it changes under the repository's own compiler options (its tsconfig, or the defaults `check .` uses),
// checked by the `typescript` package; the finding gone on re-analysis; nothing reported that was not before.
// Usage: node corpus/fixes.mjs [--corpus dir] [--out results.json] [--timeout seconds] [name...]
// Needs a build (npm run build). Prints, per repository and check: findings, findings offered a real fix (a
// suppression is none), fixes, fixes proven, the type-check gate's cost per fix and the failures; then the totals per
// rule, the coverage of lock-order findings and of all findings, and the findings left without a fix.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine, here, repositories } from './options.mjs';

const { option, corpus, out, timeoutSeconds, rest: argv } = commandLine(process.argv.slice(2), 3600);
const one = option('--one');

if (one !== undefined) {
  process.stdout.write(`${JSON.stringify(await proveRepository(one))}\n`);
  process.exit(0);
}

/** One repository, in this process: a scratch copy, each check of repos.json analysed, every fix proven. */
async function proveRepository(name) {
  const server = join(here, '..', 'server', 'dist');
  const { Workspace } = await import(join(server, 'src', 'engine', 'index.js'));
  const { loadConfig } = await import(join(server, 'src', 'engine', 'config.js'));
  const { defaultCompilerOptions, readTsconfig } = await import(join(server, 'src', 'engine', 'project.js'));
  const { proveWorkspace, TypeCheck } = await import(join(server, 'test', 'helpers', 'prove-fixes.js'));
  const repository = repositories.find((r) => r.name === name);
  const scratch = mkdtempSync(join(tmpdir(), `deadbolt-corpus-${name}-`));
  const copy = join(scratch, name);
  // Sources only: the fixes are written here and put back, never into the checkout.
  cpSync(join(corpus, name), copy, { recursive: true, filter: (source) => !/[\\/](\.git|node_modules)$/.test(source) });
  const results = [];
  try {
    for (const args of repository.checks) {
      const tsconfig = args.length === 0 && existsSync(join(copy, 'tsconfig.json')) ? join(copy, 'tsconfig.json') : undefined;
      const target = tsconfig !== undefined ? { tsconfig } : { paths: args.length === 0 ? ['.'] : args };
      const started = performance.now();
      const workspace = new Workspace({ cwd: copy, ...target, config: loadConfig({ cwd: copy }).config });
      const options = tsconfig !== undefined ? readTsconfig(tsconfig).options : defaultCompilerOptions(copy);
      const proof = proveWorkspace(workspace, new TypeCheck(options, copy), { root: copy, label: name, write: true });
      const byRule = Object.fromEntries(proof.byRule);
      results.push({
        name,
        check: args.length === 0 ? '(tsconfig)' : args.join(' '),
        seconds: (performance.now() - started) / 1000,
        byRule,
        gate: workspace.gateStats,
        failures: proof.failures.map((f) => f.replaceAll(copy + '/', '')),
        unfixed: proof.findings.filter((f) => f.fixes.length === 0).map((f) => `${relative(copy, f.span.file)}:${f.span.line} ${f.rule}: ${f.message.split('. ')[0]}`),
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

const empty = () => ({ findings: 0, withFix: 0, fixes: 0, safe: 0, proven: 0 });
const add = (into, from) => {
  for (const key of Object.keys(into)) into[key] += from[key] ?? 0;
};
const percent = (n, d) => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);

const results = [];
const perRule = new Map();
let incomplete = 0;
let gateChecks = 0;
let gateMs = 0;
for (const { name } of repositories) {
  if (argv.length > 0 && !argv.includes(name)) continue;
  if (!existsSync(join(corpus, name))) {
    console.error(`${name}: not checked out under ${corpus} (node corpus/checkout.mjs)`);
    incomplete += 1;
    continue;
  }
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--one', name, '--corpus', corpus], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: timeoutSeconds * 1000,
  });
  const last = run.stdout.trim().split('\n').at(-1);
  let repoResults;
  try {
    repoResults = JSON.parse(last);
  } catch {
    incomplete += 1;
    console.log(`${name}: did not finish (${run.signal ?? `exit ${run.status}`}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    continue;
  }
  for (const result of repoResults) {
    results.push(result);
    const total = empty();
    for (const [rule, tally] of Object.entries(result.byRule)) {
      add(total, tally);
      const into = perRule.get(rule) ?? empty();
      add(into, tally);
      perRule.set(rule, into);
    }
    gateChecks += result.gate.checks;
    gateMs += result.gate.ms;
    const cost = result.gate.checks === 0 ? '' : `, gate ${(result.gate.ms / result.gate.checks).toFixed(0)} ms per fix`;
    console.log(`${name} ${result.check}: ${total.findings} findings, ${total.withFix} with a fix, ${total.fixes} fixes, ${total.proven} proven; ${result.seconds.toFixed(1)} s${cost}`);
    for (const failure of result.failures) console.log(`  FAILED ${failure}`);
    if (result.failures.length > 0) incomplete += 1;
  }
}

console.log('\nrule: findings, with a fix, fixes, of them safe, proven');
const all = empty();
for (const [rule, t] of [...perRule].sort()) {
  add(all, t);
  console.log(`${rule}: ${t.findings}, ${t.withFix} (${percent(t.withFix, t.findings)}), ${t.fixes}, ${t.safe}, ${percent(t.proven, t.fixes)}`);
}
const order = perRule.get('lock-order') ?? empty();
console.log(`all rules: ${all.findings}, ${all.withFix} (${percent(all.withFix, all.findings)}), ${all.fixes}, ${all.safe}, ${percent(all.proven, all.fixes)}`);
console.log(`coverage: lock-order ${order.withFix}/${order.findings} (${percent(order.withFix, order.findings)}), all findings ${all.withFix}/${all.findings} (${percent(all.withFix, all.findings)})`);
if (gateChecks > 0) console.log(`type-check gate: ${gateChecks} checks, ${(gateMs / gateChecks).toFixed(0)} ms per fix on average`);
const left = results.flatMap((r) => r.unfixed.map((u) => `${r.name} ${u}`));
if (left.length > 0) console.log(`\nfindings without a fix:\n${left.map((l) => `  ${l}`).join('\n')}`);
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
process.exit(incomplete > 0 ? 1 : 0);
