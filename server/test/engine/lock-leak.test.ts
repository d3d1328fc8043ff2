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
