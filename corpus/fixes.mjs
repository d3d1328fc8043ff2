#!/usr/bin/env node
// Applies every fix Deadbolt offers on each checkout of the corpus (see checkout.mjs) in a scratch copy, one fix at a
// time, and proves each as `npm test` proves the fixtures' (server/test/helpers/prove-fixes.ts): no new type error in
// the files it changes under the repository's own compiler options (its tsconfig, or the defaults `check .` uses),
// checked by the `typescript` package; the finding gone on re-analysis; nothing reported that was not before.
// Usage: node corpus/fixes.mjs [--corpus dir] [--out results.json] [--timeout seconds] [--as-user-only [--prove rules]]
// [name...] (--as-user-only skips the proof of each fix, for repositories too large to re-analyse once per fix: the
// gate's verdicts and the two --fix runs remain; --prove async-atomicity,lock-order proves the fixes of those rules
// all the same.)
// Needs a build (npm run build). Prints, per repository and check: findings, findings offered a real fix (a
// suppression is none), fixes, fixes proven, the type-check gate's cost per fix and the failures; then the totals per
// rule, the coverage of lock-order findings and of all findings, and the findings left without a fix. Then, as a user
// would, `deadbolt check --fix` and `deadbolt check --fix --unsafe-fixes` run on the copy (each from the original
// sources): the fixes they apply, and the type errors they add to the files they change (which must be none).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine, here, repositories } from './options.mjs';

const { option, corpus, out, timeoutSeconds, rest: argv } = commandLine(process.argv.slice(2), 3600);
const one = option('--one');
const prove = option('--prove');
const asUserOnly = argv.includes('--as-user-only');
if (asUserOnly) argv.splice(argv.indexOf('--as-user-only'), 1);

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
  const { addedErrors, errorCounts, proveWorkspace, TypeCheck } = await import(join(server, 'test', 'helpers', 'prove-fixes.js'));
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
      const proof = asUserOnly ? gateOnly(workspace) : proveWorkspace(workspace, new TypeCheck(options, copy), { root: copy, label: name, write: true });
      if (asUserOnly && prove !== undefined) {
        // The named rules' fixes proven as without --as-user-only; their tallies replace the gate's.
        const proven = proveWorkspace(workspace, new TypeCheck(options, copy), { root: copy, label: name, write: true, rules: prove.split(',') });
        for (const [rule, tally] of proven.byRule) proof.byRule.set(rule, tally);
        proof.failures.push(...proven.failures);
      }
      const byRule = Object.fromEntries(proof.byRule);
      const fix = {};
      for (const unsafe of [false, true]) fix[unsafe ? 'unsafe' : 'safe'] = fixAsUser(copy, args, unsafe, () => new TypeCheck(options, copy), addedErrors, errorCounts);
      results.push({
        name,
        check: args.length === 0 ? '(tsconfig)' : args.join(' '),
        seconds: (performance.now() - started) / 1000,
        byRule,
        gate: workspace.gateStats,
        refused: proof.refused,
        fix,
        failures: proof.failures.map((f) => f.replaceAll(copy + '/', '')),
        unfixed: proof.findings.filter((f) => f.fixes.length === 0).map((f) => `${relative(copy, f.span.file)}:${f.span.line} ${f.rule}: ${f.message.split('. ')[0]}`),
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/** What the gate makes of every fix offered, without proving each: the tally `proveWorkspace` gives, `proven` left 0. */
function gateOnly(workspace) {
  const before = workspace.analyze().findings;
  const offered = workspace.checkFixes(before);
  const byRule = new Map();
  let refused = 0;
  offered.forEach((finding, i) => {
    refused += before[i].fixes.length - finding.fixes.length;
    const tally = byRule.get(finding.rule) ?? { findings: 0, withFix: 0, fixes: 0, safe: 0, proven: 0 };
    byRule.set(finding.rule, tally);
    tally.findings++;
    if (finding.fixes.length > 0) tally.withFix++;
    tally.fixes += finding.fixes.length;
    tally.safe += finding.fixes.filter((f) => f.safety === 'safe').length;
  });
  return { byRule, failures: [], findings: offered, refused };
}

/**
 * Runs `deadbolt check --fix` (with `--unsafe-fixes` when `unsafe`) in `copy` with a check's arguments, as a user would,
 * then type-checks every file it changed against its original text, and puts the originals back. Returns the fixes it
 * says it applied, the files changed and the errors they gained.
 */
function fixAsUser(copy, args, unsafe, typeCheck, addedErrors, errorCounts) {
  const originals = new Map(sourceFiles(copy).map((file) => [file, readFileSync(file, 'utf8')]));
  const bin = join(here, '..', 'server', 'bin', 'deadbolt.js');
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', bin, 'check', '--fix', ...(unsafe ? ['--unsafe-fixes'] : []), ...args], { cwd: copy, encoding: 'utf8', maxBuffer: 1 << 30 });
  const applied = Number(/fixed (\d+) problem/.exec(run.stderr)?.[1] ?? 0);
  const changed = [...originals].filter(([file, text]) => readFileSync(file, 'utf8') !== text);
  const newErrors = [];
  const checker = typeCheck();
  try {
    for (const [file, original] of changed) {
      const after = readFileSync(file, 'utf8');
      checker.set(file, original);
      const before = errorCounts(checker.errors(file));
      checker.set(file, after);
      for (const error of addedErrors(before, checker.errors(file))) newErrors.push(`${relative(copy, file)}: ${error}`);
      const doubled = (t) => t.match(/\bawait\s+await\b/g)?.length ?? 0;
      if (doubled(after) > doubled(original)) newErrors.push(`${relative(copy, file)}: awaits twice`);
    }
  } finally {
    for (const [file, original] of changed) writeFileSync(file, original);
  }
  return { status: run.status, applied, files: changed.length, newErrors };
}

/** The source files below a folder (outside node_modules and .git): what a fix may change. */
function sourceFiles(folder) {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(m|c)?[jt]sx?$/.test(d.name) && !/[\\/](node_modules|\.git)([\\/]|$)/.test(d.parentPath ?? d.path))
    .map((d) => join(d.parentPath ?? d.path, d.name));
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
const asUser = { refused: 0, safe: { applied: 0, files: 0, newErrors: 0 }, unsafe: { applied: 0, files: 0, newErrors: 0 } };
for (const { name } of repositories) {
  if (argv.length > 0 && !argv.includes(name)) continue;
  if (!existsSync(join(corpus, name))) {
    console.error(`${name}: not checked out under ${corpus} (node corpus/checkout.mjs)`);
    incomplete += 1;
    continue;
  }
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--one', name, '--corpus', corpus, ...(asUserOnly ? ['--as-user-only'] : []), ...(prove !== undefined ? ['--prove', prove] : [])], {
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
    asUser.refused += result.refused;
    const fixRuns = Object.entries(result.fix).map(([kind, f]) => {
      const into = asUser[kind];
      into.applied += f.applied;
      into.files += f.files;
      into.newErrors += f.newErrors.length;
      return `--fix${kind === 'unsafe' ? ' --unsafe-fixes' : ''} applied ${f.applied} in ${f.files} files, ${f.newErrors.length} new errors`;
    });
    console.log(`  ${result.refused} refused by the gate; ${fixRuns.join('; ')}`);
    for (const f of Object.values(result.fix)) for (const error of f.newErrors) console.log(`  NEW ERROR ${error}`);
    for (const failure of result.failures) console.log(`  FAILED ${failure}`);
    if (result.failures.length > 0 || Object.values(result.fix).some((f) => f.newErrors.length > 0)) incomplete += 1;
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
console.log(`offered ${all.fixes} fixes (${asUser.refused} more refused by the type-check gate); --fix applied ${asUser.safe.applied} in ${asUser.safe.files} files with ${asUser.safe.newErrors} new errors; --fix --unsafe-fixes applied ${asUser.unsafe.applied} in ${asUser.unsafe.files} files with ${asUser.unsafe.newErrors} new errors`);
if (gateChecks > 0) console.log(`type-check gate: ${gateChecks} checks, ${(gateMs / gateChecks).toFixed(0)} ms per fix on average`);
const left = results.flatMap((r) => r.unfixed.map((u) => `${r.name} ${u}`));
if (left.length > 0) console.log(`\nfindings without a fix:\n${left.map((l) => `  ${l}`).join('\n')}`);
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
process.exit(incomplete > 0 ? 1 : 0);
