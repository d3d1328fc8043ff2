/** Rule `unguarded-write`: the fixture folder's expectations, and one finding per write when two locks guard it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixtureFolder, findingsIn } from '../helpers/fixtures.js';

checkFixtureFolder('unguarded-write');

test('unguarded-write: a write missing two locks held together is one finding naming both', () => {
  const findings = findingsIn('unguarded-write', 'two-lock-guard.ts', 'unguarded-write');
  const unlocked = findings.filter((f) => f.span.line === 27);
  assert.equal(unlocked.length, 1);
  assert.match(unlocked[0]!.message, /without holding `left` and `right`, which are held at 3 of its 5 writes/);
  const half = findings.filter((f) => f.span.line === 32);
  assert.equal(half.length, 1);
  assert.match(half[0]!.message, /without holding `right`, which is held/);
});
