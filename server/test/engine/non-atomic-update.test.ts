/** Fixture and fix tests for the `non-atomic-update` rule (test-fixtures/non-atomic-update). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';

checkFixtureFolder('non-atomic-update');

const FILE = 'counters.ts';
const text = readFileSync(path.join(FIXTURES_ROOT, 'non-atomic-update', FILE), 'utf8');

/** The text of `line` after applying the preferred fix of the finding on it, or undefined when it has none. */
function fixedLine(line: number): string | undefined {
  const finding = findingsIn('non-atomic-update', FILE, 'non-atomic-update').find((f) => f.span.line === line);
  assert.ok(finding, `no finding on line ${line}`);
  const fix = finding.fixes.find((f) => f.preferred);
  if (fix === undefined) return undefined;
  return applyEdits(text, fix.edits).split('\n')[line - 1]!.trim();
}

function lineOf(fragment: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(fragment));
  assert.ok(index >= 0, fragment);
  return index + 1;
}

const cases: [string, string | undefined][] = [
  ['counts[i] += amount;', 'Atomics.add(counts, i, amount); // expect: non-atomic-update'],
  ['counts[0]++;', 'Atomics.add(counts, 0, 1); // expect: non-atomic-update'],
  ['--counts[1];', 'Atomics.sub(counts, 1, 1); // expect: non-atomic-update'],
  ['flags[i] |= 4;', 'Atomics.or(flags, i, 4); // expect: non-atomic-update'],
  ['counts[i] = counts[i] + amount;', 'Atomics.add(counts, i, amount); // expect: non-atomic-update'],
  ['Atomics.store(counts, 2,', 'Atomics.add(counts, 2, 1); // expect: non-atomic-update'],
  ['big[0]++;', 'Atomics.add(big, 0, 1n); // expect: non-atomic-update'],
  ['fromWorker[i] -= 1;', 'Atomics.sub(fromWorker, i, 1); // expect: non-atomic-update'],
  // The value is used: a postfix increment evaluates to the old value, which Atomics.add returns.
  ['return counts[5]++;', 'return Atomics.add(counts, 5, 1); // expect: non-atomic-update'],
  // A prefix increment evaluates to the new value: rebuilt from the old one.
  ['counts[7]! -= 1;', 'Atomics.sub(counts, 7, 1); // expect: non-atomic-update'],
  ['return ++counts[6];', 'return (Atomics.add(counts, 6, 1) + 1); // expect: non-atomic-update'],
  ['this.hits[slot]++;', 'Atomics.add(this.hits, slot, 1); // expect: non-atomic-update'],
  ['view[0] ^= 1;', 'Atomics.xor(view, 0, 1); // expect: non-atomic-update'],
  // Float views have no Atomics arithmetic: reported, but nothing to apply.
  ['totals[3] += 0.5;', undefined],
  // `*=` has no Atomics twin: a compare-and-swap loop retries until no other thread wrote in between.
  ['counts[4] *= 2;', 'for (let seen = Atomics.load(counts, 4), found; (found = Atomics.compareExchange(counts, 4, seen, seen * 2)) !== seen; seen = found); // expect: non-atomic-update'],
  // Read into a variable, then the variable plus a constant written back: a plain store, so there is no Atomics
  // twin for the pair as written (the fix moves the update to the read; see the next test).
  ['Atomics.store(counts, 11, seen * scale);', undefined],
  // The statements between read and write touch the array: moving the update to the read could be seen there.
  ['counts[12] = before + 1;', undefined],
];

test('fix: a read into a variable and its write back become one Atomics call at the read', () => {
  const line = lineOf('counts[10] = current + 1;');
  const finding = findingsIn('non-atomic-update', FILE, 'non-atomic-update').find((f) => f.span.line === line);
  const fix = finding?.fixes.find((f) => f.preferred);
  assert.ok(fix, 'a preferred fix');
  const lines = applyEdits(text, fix.edits).split('\n');
  // The read keeps the old value in `current`; the write's line is gone.
  assert.equal(lines[lineOf('const current = counts[10];') - 1]!.trim(), 'const current = Atomics.add(counts, 10, 1);');
  assert.ok(!lines.some((l) => l.includes('counts[10] = current + 1')));
  assert.equal(lines.length, text.split('\n').length - 1);
});

for (const [fragment, expected] of cases) {
  test(`fix: ${fragment}`, () => {
    assert.equal(fixedLine(lineOf(fragment)), expected);
  });
}

test('the message names the element, the view kind and the Atomics method', () => {
  const [finding] = findingsIn('non-atomic-update', FILE, 'non-atomic-update').filter((f) => f.span.line === lineOf('flags[i] |= 4;'));
  assert.ok(finding);
  assert.match(finding.message, /`flags\[i\]`/);
  assert.match(finding.message, /Uint8Array/);
  assert.match(finding.message, /Atomics\.or/);
  assert.equal(finding.severity, 'error');
});

test('a float view is reported with advice to take a lock', () => {
  const finding = findingsIn('non-atomic-update', FILE, 'non-atomic-update').find((f) => f.span.line === lineOf('totals[3]'));
  assert.ok(finding);
  assert.match(finding.message, /no Atomics arithmetic/);
});

test('a read-then-write across statements points at the read', () => {
  const finding = findingsIn('non-atomic-update', FILE, 'non-atomic-update').find((f) => f.span.line === lineOf('counts[10] = current + 1;'));
  assert.ok(finding);
  assert.match(finding.message, /`counts\[10\]` is read into `current` and written back here/);
  assert.deepEqual(finding.related.map((r) => [r.span.line, r.message]), [[lineOf('const current = counts[10];'), 'read into `current` here']]);
});
