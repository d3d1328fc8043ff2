/**
 * Fixture tests for the `blocking-on-main-thread` rule (test-fixtures/blocking-on-main-thread): runtime waits and
 * Atomics.wait reached from a page script's sync code, not from a worker's; the message names the async twin and
 * why it throws; an event handler's fix makes it async and awaits the twin (unsafe).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkFixtureFolder, findingsIn } from '../helpers/fixtures.js';
import { applyEdits } from '../../src/engine/index.js';

checkFixtureFolder('blocking-on-main-thread', { rules: ['blocking-on-main-thread', 'blocking-in-async'] });

function findingAt(file: string, line: number) {
  const found = findingsIn('blocking-on-main-thread', file, 'blocking-on-main-thread').find((f) => f.span.line === line);
  assert.ok(found, `no blocking-on-main-thread finding on line ${line} of ${file}`);
  return found;
}

test('the message says why the call throws on the page and names the async twin', () => {
  assert.equal(
    findingAt('page.ts', 12).message,
    "`jobs.lock()` (Mutex.lock) would block a browser page's main thread, where Atomics.wait is not allowed: the runtime throws " +
      'BlockingNotAllowedError there, at every call. Use `await jobs.lockAsync()` in an async function, or run it in a Worker.',
  );
  assert.match(findingAt('page.ts', 23).message, /^`Atomics\.wait\(\)` would block .*the engine throws a TypeError there\. Use `await Atomics\.waitAsync\(\.\.\.\)\.value`/);
});

test('a call of a sync helper in another module is reported with the chain down to the wait', () => {
  const finding = findingAt('uses-shared.ts', 6);
  assert.match(finding.message, /through sync calls: `update\(\)` → `state\.withLock\(\)`/);
  assert.match(finding.message, /Use `await state\.withLockAsync\(\)`/);
  assert.equal(finding.related.length, 1);
  assert.deepEqual(finding.fixes, [], 'the wait is in the helper: no edit at the call fixes it');
});

test("an event handler's fix makes the handler async and awaits the twin, offered as unsafe", () => {
  const finding = findingAt('page.ts', 12);
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  assert.equal(fix.safety, 'unsafe');
  assert.equal(fix.preferred, false);
  const fixed = applyEdits(readFileSync(finding.span.file, 'utf8'), fix.edits).split('\n');
  assert.equal(fixed[10], "button.addEventListener('click', async () => {");
  assert.equal(fixed[11], '  await jobs.lockAsync(); // expect: blocking-on-main-thread');
});

test('a handler that waits twice gets no fix: made async, its second wait would still throw', () => {
  assert.deepEqual(findingAt('page.ts', 54).fixes, []);
  assert.deepEqual(findingAt('page.ts', 56).fixes, []);
});

test('top-level code gets the advice but no fix (a module may not be allowed to await at its top level)', () => {
  assert.deepEqual(findingAt('page.ts', 32).fixes, []);
});
