/** `deadbolt check` on projects that configure it: deadbolt.config.json severities, and a solution-style tsconfig. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

interface JsonOutput {
  diagnostics: { file: string; line: number; column: number; rule: string; severity: string }[];
  summary: { files: number; errors: number; warnings: number };
}

test('deadbolt.config.json severities: "off" drops a rule, "warning" keeps exit 0', () => {
  const run = deadbolt(['check', '--format', 'json'], path.join(CLI_FIXTURES, 'configured'));
  assert.equal(run.status, 0);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => [d.rule, d.severity]), [['blocking-in-async', 'warning']]);
  assert.deepEqual(report.summary, { files: 2, errors: 0, warnings: 1 });
});

test('a solution tsconfig (files: [] and references) in cwd means the folder is analysed', () => {
  const run = deadbolt(['check', '--format', 'json'], path.join(CLI_FIXTURES, 'solution'));
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`), ['pkg/hits.ts:5 non-atomic-update']);
});
