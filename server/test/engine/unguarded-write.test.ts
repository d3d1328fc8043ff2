/** Rule `unguarded-write`: the fixture folder's expectations, and one finding per write when two locks guard it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { applyEdits, checkFixtureFolder, findingsIn } from '../helpers/fixtures.js';

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

test('unguarded-write: adjacent writes missing one guard are fixed as one section, named by the lock\'s name', () => {
  const findings = findingsIn('unguarded-write', 'adjacent-reset.ts', 'unguarded-write');
  assert.deepEqual(findings.map((f) => f.span.line), [32, 33]);
  for (const finding of findings) {
    // The lock by its name option, in the message and the fix's title alike.
    assert.match(finding.message, /without holding `cacheStats`/);
    const [fix] = finding.fixes;
    assert.equal(fix?.title, 'Take `cacheStats` around these 2 writes, as one update');
    const text = readFileSync(findings[0]!.span.file, 'utf8');
    const fixed = applyEdits(text, fix!.edits);
    assert.match(fixed, /  reset\(\): void \{\n    \/\/ Clearing both counters at once\.\n    this\.statsLock\.withLock\(\(\) => \{\n      this\.hits = 0; \/\/ expect: unguarded-write\n      this\.misses = 0; \/\/ expect: unguarded-write\n    \}\);\n  \}/, fixed);
    assert.equal(fixed.match(/withLock\(/g)!.length, text.match(/withLock\(/g)!.length + 1, 'one section, not one per write');
  }
});
