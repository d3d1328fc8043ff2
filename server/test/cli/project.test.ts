/** `deadbolt check` options that choose what is reported: --quiet, and the tsconfig.json of the working directory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

interface JsonOutput {
  diagnostics: { file: string; line: number; column: number; rule: string }[];
  summary: { files: number; errors: number; warnings: number };
}

test('--quiet reports errors only', () => {
  const run = deadbolt(['check', '--quiet', '--format', 'json'], path.join(CLI_FIXTURES, 'configured'));
  assert.equal(run.status, 0);
  assert.deepEqual((JSON.parse(run.stdout) as JsonOutput).diagnostics, []);
});

test('a tsconfig.json in cwd is the default project: files outside its include are not analysed', () => {
  const run = deadbolt(['check', '--format', 'json'], path.join(CLI_FIXTURES, 'tsconfig-project'));
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`), ['src/tally.ts:5:3 non-atomic-update']);
  assert.equal(report.summary.files, 1);
  // Naming the folder explicitly analyses every file under it instead.
  const all = JSON.parse(deadbolt(['check', '.', '--format', 'json'], path.join(CLI_FIXTURES, 'tsconfig-project')).stdout) as JsonOutput;
  assert.deepEqual(all.diagnostics.map((d) => d.file), ['scripts/outside.ts', 'src/tally.ts']);
});
