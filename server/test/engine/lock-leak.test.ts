/** Rule `lock-leak`: the fixture folder's expectations and the exit paths named in the message. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixtureFolder, findingsIn } from '../helpers/fixtures.js';

checkFixtureFolder('lock-leak');

test('lock-leak: the message names the lock and the path that leaves holding it', () => {
  const finding = findingsIn('lock-leak', 'paths.ts', 'lock-leak').find((f) => f.span.line === 8);
  assert.ok(finding);
  assert.match(finding.message, /`m` is taken here but still held when the function returns on line 9/);
  assert.deepEqual(finding.related.map((r) => r.span.line), [9]);
});

test('lock-leak: a lease object is released by its method, and the advice says so', () => {
  const finding = findingsIn('lock-leak', 'hand-offs.ts', 'lock-leak').find((f) => f.span.line === 110);
  assert.ok(finding);
  assert.match(finding.message, /when the promise of `write` rejects on line 111/);
  assert.match(finding.message, /call `lease\.release\(\)` in a `finally` block/);
  const releaser = findingsIn('lock-leak', 'hand-offs.ts', 'lock-leak').find((f) => f.span.line === 35);
  assert.match(releaser?.message ?? '', /call `release\(\)` in a `finally` block/);
});
