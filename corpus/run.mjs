#!/usr/bin/env node
// Runs `deadbolt check --format json` on every checkout of the corpus (see checkout.mjs) and compares each finding
// with the verdict a person gave it in corpus/verdicts.json, so precision on code Deadbolt was not written for can
// be rerun after every change. Usage: node corpus/run.mjs [--corpus dir] [--out results.json] [--timeout seconds]
// [--rules id,id] [name...]; --rules limits the study (tallies, unread findings, exit code) to those rules.
// Prints, per repository and check: files, findings per rule, wall time, peak memory and exit code; then, per rule,
// true / harmless / false / unread findings and precision (true and harmless over all read ones). Exit 1 when a
// check crashed (exit code other than 0 and 1) or a finding has no verdict, so the study stays complete.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, here, repositories } from './options.mjs';

const deadbolt = join(here, '..', 'server', 'bin', 'deadbolt.js');
const verdicts = JSON.parse(readFileSync(join(here, 'verdicts.json'), 'utf8')).verdicts;

// An hour per check: the large repositories need it on a loaded machine.
const { option, corpus, out, timeoutSeconds, rest: only } = commandLine(process.argv.slice(2), 3600);
const rules = option('--rules')?.split(',').map((r) => r.trim()).filter((r) => r !== '');

/** The key a verdict is filed under: the finding's place and rule, stable while the pinned commit is. */
const findingKey = (name, d) => `${name} ${d.rule} ${d.file}:${d.line}`;

function check(dir, args) {
  // GNU time reports the peak resident set of the whole run on stderr's last line.
  const started = process.hrtime.bigint();
  // `timeout` ends the check itself: killing /usr/bin/time alone would leave the analysis running, orphaned.
  const command = ['-f', '%M', 'timeout', '--kill-after=10', String(timeoutSeconds), process.execPath, deadbolt, 'check', ...args, '--format', 'json'];
  const run = spawnSync('/usr/bin/time', command, {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: (timeoutSeconds + 60) * 1000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = Number(run.stderr.trim().split('\n').at(-1)) / 1024;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = undefined;
  }
  return { exit: run.status, signal: run.signal, seconds, peakMb, report, stderr: run.stderr };
}

const results = [];
const perRule = new Map();
let incomplete = 0;
for (const { name, checks } of repositories) {
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = join(corpus, name);
  if (!existsSync(dir)) {
    console.error(`${name}: not checked out under ${corpus} (node corpus/checkout.mjs)`);
    incomplete += 1;
    continue;
  }
  for (const args of checks) {
    const label = `${name} ${args.length ? args.join(' ') : '(tsconfig)'}`;
    const run = check(dir, args);
    const diagnostics = (run.report?.diagnostics ?? []).filter((d) => rules === undefined || rules.includes(d.rule));
    const counts = {};
    for (const d of diagnostics) {
      counts[d.rule] = (counts[d.rule] ?? 0) + 1;
      const verdict = verdicts[findingKey(name, d)]?.verdict ?? 'unread';
      const tally = perRule.get(d.rule) ?? { true: 0, harmless: 0, false: 0, unread: 0 };
      tally[verdict] += 1;
      perRule.set(d.rule, tally);
      if (verdict === 'unread') {
        incomplete += 1;
        console.log(`  unread: ${findingKey(name, d)}  ${d.message.split('\n')[0]}`);
      }
    }
    if (run.exit !== 0 && run.exit !== 1) {
      incomplete += 1;
      console.log(`  ${label}: exit ${run.exit ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3, -1).join(' | ')}`);
    }
    const summary = Object.entries(counts).map(([rule, n]) => `${rule} ${n}`).join(', ') || 'no findings';
    console.log(`${label}: ${run.report?.summary.files ?? '?'} files, ${summary}; ${run.seconds.toFixed(1)} s, ${run.peakMb.toFixed(0)} MB, exit ${run.exit ?? run.signal}`);
    results.push({ name, args, exit: run.exit, seconds: run.seconds, peakMb: run.peakMb, files: run.report?.summary.files, diagnostics });
  }
}

console.log('\nrule: true / harmless / false / unread, precision (true + harmless over read)');
for (const [rule, t] of [...perRule].sort()) {
  const read = t.true + t.harmless + t.false;
  const precision = read > 0 ? ((t.true + t.harmless) / read).toFixed(2) : 'n/a';
  console.log(`${rule}: ${t.true} / ${t.harmless} / ${t.false} / ${t.unread}, ${precision}`);
}
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
process.exit(incomplete > 0 ? 1 : 0);
