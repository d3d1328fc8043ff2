/**
 * Fixture tests for the `sync-io-in-async` rule (test-fixtures/sync-io-in-async): Node's `*Sync` calls in
 * coroutines, split from `blocking-in-async`, at warning by default; its advice names only twins that exist;
 * CommonJS `require` is recognised even where @types/node cannot be found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';
import { analyze, applyEdits } from '../../src/engine/index.js';
import { nodeTypesRoot } from '../../src/engine/project.js';

checkFixtureFolder('sync-io-in-async', { rules: ['sync-io-in-async', 'blocking-in-async'] });

function findingWith(file: string, fragment: string) {
  const found = findingsIn('sync-io-in-async', file, 'sync-io-in-async').find((f) => f.message.includes(fragment));
  assert.ok(found, `no sync-io-in-async finding mentioning ${fragment} in ${file}`);
  return found;
}

test('sync I/O is a warning by default, thread-blocking waits stay errors', () => {
  const all = findingsIn('sync-io-in-async', 'config-loader.ts');
  assert.deepEqual([...new Set(all.filter((f) => f.rule === 'sync-io-in-async').map((f) => f.severity))], ['warning']);
  assert.deepEqual([...new Set(all.filter((f) => f.rule === 'blocking-in-async').map((f) => f.severity))], ['error']);
});

test('existsSync advice names access(), not a fs/promises exists that does not exist, and offers no fix', () => {
  const finding = findingWith('config-loader.ts', 'existsSync');
  assert.match(finding.message, /fs\/promises has no `exists`/);
  assert.match(finding.message, /`await access\(path\)`/);
  assert.doesNotMatch(finding.message, /Use the fs\/promises twin/);
  assert.deepEqual(finding.fixes, []);
});

test('readFileSync advice names its real twin and the fix uses it', () => {
  const finding = findingWith('config-loader.ts', 'fs.readFileSync');
  assert.match(finding.message, /Use `await readFile\(\)` from fs\/promises\./);
  // Edits are minimal (only the characters that change): the fixed line is what carries the whole call.
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  const fixed = applyEdits(readFileSync(finding.span.file, 'utf8'), fix.edits);
  assert.equal(fixed.split('\n')[finding.span.line - 1]?.includes('await fs.promises.readFile(file, \'utf8\')'), true, fixed.split('\n')[finding.span.line - 1]);
});

test('a helper that reads and then waits is reported by both rules, each with its own chain', () => {
  const both = findingsIn('sync-io-in-async', 'helpers.ts').filter((f) => f.message.includes('readThenWait'));
  const byRule = Object.fromEntries(both.map((f) => [f.rule, f.message]));
  assert.match(byRule['sync-io-in-async'] ?? '', /`readThenWait\(\)` → `readFileSync\(\)` \(fs\)/);
  assert.match(byRule['blocking-in-async'] ?? '', /`readThenWait\(\)` → `Atomics\.wait\(\)`/);
});

test('require() of fs and child_process is recognised in CommonJS without @types/node', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-cjs-'));
  try {
    // The temp folder has no node_modules above it, so nothing declares Node's modules there.
    assert.equal(nodeTypesRoot(dir), undefined, 'this test needs a folder with no @types/node above it');
    copyFileSync(path.join(FIXTURES_ROOT, 'sync-io-in-async', 'require-style.cjs'), path.join(dir, 'build.cjs'));
    const result = analyze({ cwd: dir, paths: ['.'] });
    const lines = result.findings.filter((f) => f.rule === 'sync-io-in-async').map((f) => `${f.span.line} ${f.message.split(' ')[0]}`);
    assert.deepEqual(lines, ['8 `fs.readFileSync()`', "9 `execFileSync()`", "10 `require('fs').writeFileSync()`"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
