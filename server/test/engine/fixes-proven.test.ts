/**
 * Proves every fix of the rule fixtures. For each finding of each rule's fixture folder, compiled as a bundled ESNext
 * project (whose lib has every feature a fix may use), each fix the engine offers is applied alone and must leave a program with no new type error
 * (checked by the `typescript` package), on which re-analysis no longer reports that finding and reports nothing it
 * did not report before, with every comment kept (helpers/prove-fixes.ts). The runnable classic deadlock is fixed and
 * then run 50 times in a row, each run finishing (and deadlocking before). The tally is the table of
 * docs/rules/fixes.md: the last test fails when that table is stale, and `DEADBOLT_UPDATE_DOCS=1` rewrites it.
 * fixes-settings.test.ts proves the same fixtures under the other two settings, fixes-heldout.test.ts a corpus they
 * do not contain.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { applyEdits, RULE_IDS, Workspace, type RuleId } from '../../src/engine/index.js';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';
import { checkGeneratedSection, emptyTally, proveProgram, SETTINGS, tallyRow, addTally, type Tally } from '../helpers/prove-fixes.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const TABLE_FILE = path.join(REPO, 'docs', 'rules', 'fixes.md');
const RUNS = 50;
const SETTING = SETTINGS.find((s) => s.name === 'ESNext/bundler')!;

const tallies = new Map<RuleId, Tally>();

for (const rule of RULE_IDS) {
  test(`every fix of every ${rule} finding in test-fixtures/${rule} is proven (${SETTING.name})`, () => {
    const proof = proveProgram(path.join(FIXTURES_ROOT, rule), SETTING, [rule]);
    tallies.set(rule, proof.byRule.get(rule) ?? emptyTally());
    assert.deepEqual(proof.failures, [], `fixes that fail their proof:\n  ${proof.failures.join('\n  ')}`);
  });
}

test('the classic deadlock example, fixed, runs to completion 50 times in a row (and deadlocked before)', (t) => {
  const source = path.join(FIXTURES_ROOT, 'examples', 'deadlock-classic.ts');
  const workspace = new Workspace({ cwd: path.dirname(source), paths: [path.basename(source)], config: {} });
  // The fix offered: the one the engine's type-check gate let through.
  const finding = workspace.checkFixes(workspace.analyze().findings).find((f) => f.rule === 'lock-order');
  assert.ok(finding, 'the example has its lock-order finding');
  const fix = finding.fixes[0];
  assert.ok(fix, 'and a fix');
  assert.match(fix.title, /^Take `a` and `b` together with lockAll/);
  const original = new Map([[source, readFileSync(source, 'utf8')]]);

  // Run it as a user would: compiled to JavaScript next to a node_modules that holds the real runtime.
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-proof-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'node_modules', '@deadbolt'), { recursive: true });
  symlinkSync(path.join(REPO, 'runtime'), path.join(dir, 'node_modules', '@deadbolt', 'runtime'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const compile = (text: string, name: string): string => {
    const file = path.join(dir, name);
    writeFileSync(file, transformSync(text, { loader: 'ts', format: 'esm', target: 'node20' }).code);
    return file;
  };
  const run = (file: string) => spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });

  // The deadlock needs both workers to take their first lock within the other's pause, which a loaded machine may
  // miss once: it must show within five runs.
  const unfixedFile = compile(original.get(source)!, 'unfixed.js');
  const attempts: ReturnType<typeof run>[] = [];
  for (let i = 0; i < 5 && !attempts.some((r) => r.status === 1); i++) attempts.push(run(unfixedFile));
  const deadlocked = attempts.find((r) => r.status === 1);
  assert.ok(deadlocked, `the example deadlocks before the fix (in one of ${attempts.length} runs):\n${attempts.map((r) => r.stdout + r.stderr).join('\n')}`);
  assert.match(deadlocked.stdout, /deadlock/);

  const fixed = compile(applyEdits(original.get(source)!, fix.edits), 'fixed.js');
  for (let i = 1; i <= RUNS; i++) {
    const result = run(fixed);
    assert.equal(result.status, 0, `run ${i} of ${RUNS} did not finish:\n${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /both actions finished/, `run ${i}`);
  }
});

/** The generated table: one row per rule, then the totals. */
function table(): string {
  const total = emptyTally();
  for (const t of tallies.values()) addTally(total, t);
  return [
    '| rule | findings in its fixtures | with a fix | fixes | of them safe | proven |',
    '|---|---|---|---|---|---|',
    ...[...tallies].map(([rule, t]) => tallyRow(`[${rule}](${rule}.md)`, t)),
    tallyRow('**all rules**', total),
  ].join('\n');
}

// Top-level tests run in order, so by now every rule's test has filled in its tally.
test('docs/rules/fixes.md shows the table these proofs produce', () => {
  assert.equal(tallies.size, RULE_IDS.length, 'every rule was proven first');
  assert.equal(checkGeneratedSection(TABLE_FILE, 'fixes-table', table()), undefined);
});
