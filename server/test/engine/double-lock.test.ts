/** Rule `double-lock`: the fixture folder's expectations and the message of a re-take through a helper. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyze } from '../../src/engine/index.js';
import { FIXTURES_ROOT, checkFixtureFolder, expectedLines, findingsIn } from '../helpers/fixtures.js';

/** Every rule about locks: none may speak of the untyped handles, and only the expected double-locks of the cache. */
const LOCK_RULES: readonly string[] = ['double-lock', 'lock-order', 'lock-leak', 'await-holding-lock', 'unguarded-write', 'non-atomic-update', 'blocking-in-async'];

checkFixtureFolder('double-lock');

test('double-lock: a helper re-taking the caller lock is reported at the call, naming the lock and the chain', () => {
  const finding = findingsIn('double-lock', 'helper.ts', 'double-lock').find((f) => f.span.line === 15);
  assert.ok(finding);
  // The lock by its name option (`new Mutex({ name: 'inventory' })`), not by `this.mutex`, the path this code takes.
  assert.match(finding.message, /`inventory` is taken again .* \(taken on line 14\).*DeadlockError/);
  assert.ok(finding.related.some((r) => r.span.line === 9 && /takes `inventory`/.test(r.message)));
});

test('double-lock: before npm install (a copy with no node_modules) async-mutex is known by its require, and untyped handles are no locks', () => {
  // The fixture folder itself sees the repository's node_modules; a copy under the system's temp folder does not.
  const source = path.join(FIXTURES_ROOT, 'double-lock', 'before-install');
  const copy = mkdtempSync(path.join(tmpdir(), 'deadbolt-before-install-'));
  try {
    cpSync(source, copy, { recursive: true });
    const result = analyze({ cwd: copy, paths: ['.'], config: {} });
    assert.ok(result.files >= 2, `both files of the copy were analysed (${result.files})`);
    for (const name of readdirSync(source)) {
      const expected = expectedLines(readFileSync(path.join(source, name), 'utf8'), 'double-lock');
      const found = result.findings.filter((f) => f.span.file === path.join(copy, name) && LOCK_RULES.includes(f.rule));
      assert.deepEqual(found.map((f) => `${f.rule}:${f.span.line}`).sort(), expected.map((line) => `double-lock:${line}`).sort(), name);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
