/** `deadbolt check` on projects that configure it: deadbolt.config.json severities, and a solution-style tsconfig. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

interface JsonOutput {
  diagnostics: { file: string; line: number; column: number; rule: string; severity: string }[];
  summary: { files: number; errors: number; warnings: number };
}

test('deadbolt.config.json severities: "off" drops a rule, "hint" keeps the finding and exit 0', () => {
  const run = deadbolt(['check', '--format', 'json'], path.join(CLI_FIXTURES, 'configured'));
  assert.equal(run.status, 0);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => [d.rule, d.severity]), [['sync-io-in-async', 'hint']]);
  assert.deepEqual(report.summary, { files: 2, errors: 0, warnings: 0 });
});

test('a solution tsconfig (files: [] and references) in cwd stands for its referenced projects', () => {
  const run = deadbolt(['check', '--format', 'json'], path.join(CLI_FIXTURES, 'solution'));
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`), ['pkg/hits.ts:5 non-atomic-update']);
});

test('--project dir/tsconfig.json uses dir/deadbolt.config.json, the configuration nearest to the analysed files', () => {
  // Run from the folder above the project: its lockModels live next to its tsconfig, not in the working directory.
  const run = deadbolt(['check', '--project', 'app/tsconfig.json', '--format', 'json'], path.join(CLI_FIXTURES, 'project-config'));
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`), ['app/src/ledger.ts:20 double-lock']);
});

test('paths narrow the search the same way: `check app/src` finds app/deadbolt.config.json above them', () => {
  const run = deadbolt(['check', 'app/src', '--format', 'json'], path.join(CLI_FIXTURES, 'project-config'));
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`), ['app/src/ledger.ts:20 double-lock']);
});
