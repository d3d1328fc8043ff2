/** `deadbolt check` end to end on the small projects of test-fixtures/cli: exit codes and the json report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

interface JsonOutput {
  diagnostics: { file: string; line: number; column: number; endLine: number; endColumn: number; rule: string; severity: string; message: string; related: unknown[] }[];
  summary: { files: number; errors: number; warnings: number };
}

test('a clean project exits 0 and prints nothing in text format', () => {
  const run = deadbolt(['check'], path.join(CLI_FIXTURES, 'clean'));
  assert.equal(run.status, 0);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '', 'no progress line when stderr is not a terminal');
});

test('json: exact shape, 1-based positions and paths relative to the working directory', () => {
  const run = deadbolt(['check', '--format', 'json'], path.join(CLI_FIXTURES, 'findings'));
  assert.equal(run.status, 1);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(Object.keys(report), ['diagnostics', 'summary', 'notices']);
  assert.deepEqual(report.summary, { files: 2, errors: 1, warnings: 1 });
  const [io, stats] = report.diagnostics;
  assert.deepEqual(Object.keys(io!), ['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message', 'related', 'fixes']);
  // `  return Number(readFileSync('/tmp/total.txt', 'utf8'));`: the call starts in column 17.
  assert.deepEqual(
    { file: io!.file, line: io!.line, column: io!.column, endLine: io!.endLine, endColumn: io!.endColumn, rule: io!.rule, severity: io!.severity },
    { file: 'src/io.ts', line: 5, column: 17, endLine: 5, endColumn: 55, rule: 'sync-io-in-async', severity: 'warning' },
  );
  assert.deepEqual(
    { file: stats!.file, line: stats!.line, column: stats!.column, endColumn: stats!.endColumn, rule: stats!.rule },
    { file: 'src/stats.ts', line: 7, column: 3, endColumn: 17, rule: 'non-atomic-update' },
  );
  // Each finding carries its fixes: title, safety, and edits placed by line and column as well as by offset.
  const [fix] = (stats as unknown as { fixes: { title: string; safety: string; preferred: boolean; edits: Record<string, unknown>[] }[] }).fixes;
  assert.deepEqual({ title: fix!.title, safety: fix!.safety, preferred: fix!.preferred }, { title: 'Use Atomics.add(...)', safety: 'safe', preferred: true });
  assert.deepEqual(
    { file: fix!.edits[0]!.file, line: fix!.edits[0]!.line, column: fix!.edits[0]!.column, endColumn: fix!.edits[0]!.endColumn, newText: fix!.edits[0]!.newText },
    { file: 'src/stats.ts', line: 7, column: 3, endColumn: 17, newText: 'Atomics.add(counts, slot, 1)' },
  );
});

test('json from a parent folder with a path argument keeps paths relative to cwd', () => {
  const run = deadbolt(['check', 'findings/src/stats.ts', '--format', 'json'], CLI_FIXTURES);
  const report = JSON.parse(run.stdout) as JsonOutput;
  assert.deepEqual(report.diagnostics.map((d) => `${d.file}:${d.line}`), ['findings/src/stats.ts:7']);
  assert.equal(report.summary.files, 1);
});
