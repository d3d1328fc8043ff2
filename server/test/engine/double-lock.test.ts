/** Rule `double-lock`: the fixture folder's expectations and the message of a re-take through a helper. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFixtureFolder, findingsIn } from '../helpers/fixtures.js';

checkFixtureFolder('double-lock');

test('double-lock: a helper re-taking the caller lock is reported at the call, naming the lock and the chain', () => {
  const finding = findingsIn('double-lock', 'helper.ts', 'double-lock').find((f) => f.span.line === 15);
  assert.ok(finding);
  // The lock by its name option (`new Mutex({ name: 'inventory' })`), not by `this.mutex`, the path this code takes.
  assert.match(finding.message, /`inventory` is taken again .* \(taken on line 14\).*DeadlockError/);
  assert.ok(finding.related.some((r) => r.span.line === 9 && /takes `inventory`/.test(r.message)));
});
