/** `deadbolt check --fix` rewrites a copy of test-fixtures/cli/fixable to the expected text and reports what remains. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI_FIXTURES, deadbolt } from './spawn.js';

test('--fix applies every preferred fix, re-running until stable, and exits 0 when nothing remains', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(CLI_FIXTURES, 'fixable'), dir, { recursive: true });

  const run = deadbolt(['check', '--fix'], dir);
  const fixed = readFileSync(path.join(dir, 'src', 'worker.ts'), 'utf8');
  assert.equal(fixed, readFileSync(path.join(CLI_FIXTURES, 'fixable', 'worker.ts.expected'), 'utf8'));
  assert.equal(run.status, 0);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /fixed 6 problems/);

  // A second run has nothing left to do and changes nothing.
  const again = deadbolt(['check', '--fix', '--format', 'json'], dir);
  assert.equal(again.status, 0);
  assert.deepEqual(JSON.parse(again.stdout).diagnostics, []);
  assert.equal(readFileSync(path.join(dir, 'src', 'worker.ts'), 'utf8'), fixed);
});

test('--fix works across the files of a project', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(CLI_FIXTURES, 'findings'), dir, { recursive: true });
  const run = deadbolt(['check', '--fix', '--format', 'json'], dir);
  const report = JSON.parse(run.stdout) as { diagnostics: { rule: string }[] };
  // Both findings here have preferred fixes, so nothing remains; the files changed accordingly.
  assert.deepEqual(report.diagnostics, []);
  assert.equal(run.status, 0);
  assert.match(readFileSync(path.join(dir, 'src', 'stats.ts'), 'utf8'), /Atomics\.add\(counts, slot, 1\);/);
  assert.match(readFileSync(path.join(dir, 'src', 'io.ts'), 'utf8'), /return Number\(await readFile\('\/tmp\/total\.txt', 'utf8'\)\);/);
});

test('the classic deadlock: --fix leaves it (its fix is unsafe), --diff --unsafe-fixes shows the patch, --fix --unsafe-fixes applies it', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(CLI_FIXTURES, '..', 'lsp', 'classic'), dir, { recursive: true });
  const file = path.join(dir, 'actions.ts');
  const original = readFileSync(file, 'utf8');

  const safeOnly = deadbolt(['check', '--fix'], dir);
  assert.equal(safeOnly.status, 1);
  assert.equal(readFileSync(file, 'utf8'), original, 'no safe fix, nothing written');

  const diff = deadbolt(['check', '--diff', '--unsafe-fixes'], dir);
  assert.equal(diff.status, 1, 'a fix would apply');
  assert.equal(readFileSync(file, 'utf8'), original, '--diff writes nothing');
  assert.match(diff.stdout, /^--- a\/actions\.ts\n\+\+\+ b\/actions\.ts\n@@ /);
  assert.match(diff.stdout, /\n-import \{ Mutex \} from '@deadbolt\/runtime';\n\+import \{ Mutex, lockAll \} from '@deadbolt\/runtime';\n/);
  assert.match(diff.stdout, /\n-  b\.lock\(\);\n/);
  assert.match(diff.stdout, /\n\+  lockAll\(\[a, b\], \(\) => \{\n/);
  assert.equal(deadbolt(['check', '--diff'], dir).stdout, '', 'without --unsafe-fixes there is nothing to show');

  const fixed = deadbolt(['check', '--fix', '--unsafe-fixes'], dir);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stderr, /fixed 1 problem/);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /export function actionB\(\): void \{\n  lockAll\(\[a, b\], \(\) => \{\n    console\.log\('B has b'\);\n    console\.log\('B has both'\);\n  \}\);\n\}/);
});
