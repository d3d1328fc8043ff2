/** Rule `lock-order`: the fixture folder's expectations, and the text of the reorder fix. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyEdits, checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';
import type { Fix } from '../../src/engine/index.js';

checkFixtureFolder('lock-order');

test('lock-order: the finding names both locks of the cycle and relates the other chain', () => {
  const findings = findingsIn('lock-order', 'opposite-order.ts', 'lock-order');
  // Reported once, where the cycle closes (against the order the rest of the program uses), not where it opens.
  assert.deepEqual(findings.map((f) => f.span.line), [16]);
  const finding = findings[0]!;
  assert.match(finding.message, /`lockA` is taken while holding `lockB`/);
  assert.match(finding.message, /`lockA` -> `lockB` -> `lockA`/);
  assert.ok(finding.related.some((r) => r.span.line === 8 && /takes `lockA`/.test(r.message)));
  assert.ok(finding.related.some((r) => r.span.line === 9 && /takes `lockB` while holding `lockA`/.test(r.message)));
});

test('lock-order: the inverted `using` pair is fixed by swapping the locks (safe, preferred), or by a safe lockAll', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'opposite-order.ts');
  const [swap, together] = findingsIn('lock-order', 'opposite-order.ts', 'lock-order')[0]!.fixes;
  assert.ok(swap?.preferred);
  assert.equal(swap.safety, 'safe');
  const fixed = applyEdits(readFileSync(file, 'utf8'), swap.edits);
  assert.match(fixed, /using _b = lockA\.lock\(\);\n  using _a = lockB\.lock\(\); \/\/ expect: lock-order/);
  assert.equal(together?.title, 'Take `lockA` and `lockB` together with lockAll');
  assert.deepEqual([together.safety, together.preferred], ['safe', false]);
  assert.match(applyEdits(readFileSync(file, 'utf8'), together.edits), /export function second\(\): void \{\n  lockAll\(\[lockA, lockB\], \(\) => \{\}\);\n\}/);
});

test('lock-order: with code between the acquisitions, the fix is an unsafe lockAll over the rest of the block, titled so', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'lockall-fix.ts');
  const finding = findingsIn('lock-order', 'lockall-fix.ts', 'lock-order').find((f) => f.span.line === 17);
  assert.equal(finding?.fixes.length, 1);
  const fix = finding.fixes[0]!;
  assert.deepEqual([fix.safety, fix.preferred], ['unsafe', false]);
  assert.match(fix.title, /^Take `orders` and `stock` together with lockAll \(unsafe: .*holding both\)$/);
  const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits);
  assert.equal(
    fixed.slice(fixed.indexOf('export function restock')),
    [
      'export function restock(): void {',
      '  lockAll([orders, stock], () => {',
      '    reserved = 0;',
      '    reserved++;',
      '  });',
      '}',
      '',
    ].join('\n'),
  );
  assert.match(fixed, /import \{ Mutex, lockAll \} from '@deadbolt\/runtime';/);
});

test('lock-order: nested try/finally acquisitions are swapped together with their releases', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'try-finally-fix.ts');
  const findings = findingsIn('lock-order', 'try-finally-fix.ts', 'lock-order');
  assert.deepEqual(findings.map((f) => f.span.line), [24]);
  const fix = findings[0]!.fixes[0];
  assert.ok(fix?.preferred);
  const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits);
  assert.equal(
    fixed.slice(fixed.indexOf('export function save')),
    [
      'export function save(): void {',
      '  config.lock();',
      '  try {',
      '    state.lock(); // expect: lock-order',
      '    try {',
      '      // write both',
      '    } finally {',
      '      state.unlock();',
      '    }',
      '  } finally {',
      '    config.unlock();',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
});

test('lock-order: one field of two instances of a class is named as such, with no double-lock', () => {
  const findings = findingsIn('lock-order', 'instance-fields.ts', 'lock-order');
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /`account` of `other` is taken while holding it of `this`, the same field of another Account/);
  assert.deepEqual(findingsIn('lock-order', 'instance-fields.ts', 'double-lock'), []);
});

test('lock-order: a rank inversion that closes a cycle is one finding, on the inverted function only', () => {
  const findings = findingsIn('lock-order', 'ranks.ts', 'lock-order');
  assert.deepEqual(findings.map((f) => f.span.line), [10]);
  assert.match(findings[0]!.message, /Potential deadlock: `low` is taken while holding `high`.*`low` \(rank 1\) must be taken before `high` \(rank 2\)/);
});

test('lock-order: ranks from deadbolt.config.json decide which acquisition closes the cycle, and the lockAll order', () => {
  const config = { lockRanks: { ledger: 1, inventory: 2 } };
  const findings = findingsIn('lock-order', 'classic-pairs.ts', 'lock-order', config);
  assert.deepEqual(findings.map((f) => f.span.line), [14]);
  assert.equal(findings[0]!.fixes[0]?.title.startsWith('Take `ledger` and `inventory` together with lockAll'), true);
});

test('lock-order: the classic manual pairs with work between them get an unsafe lockAll, and the work stays inside it', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'classic-pairs.ts');
  const [finding] = findingsIn('lock-order', 'classic-pairs.ts', 'lock-order');
  const fix = finding?.fixes[0];
  assert.ok(fix);
  assert.deepEqual([fix.safety, fix.preferred], ['unsafe', false]);
  assert.match(fix.title, /^Take `inventory` and `ledger` together with lockAll \(unsafe/);
  const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits);
  assert.equal(
    fixed.slice(fixed.indexOf('export function review')),
    [
      'export function review(): void {',
      '  lockAll([inventory, ledger], () => {',
      "    console.log('reviewing', entries.length, 'entries');",
      "    console.log('stock is', stock);",
      '  });',
      '}',
      '',
    ].join('\n'),
  );
});

test('lock-order: guards released in finally blocks trade locks in place, or become a returning lockAll, safe when nothing else ran under one lock', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'guarded-pairs.ts');
  const findings = findingsIn('lock-order', 'guarded-pairs.ts', 'lock-order');
  const [swap, count] = findings.find((f) => f.span.line === 34)!.fixes as [Fix, Fix];
  // The guards follow what they were taken from: only the two acquisitions change.
  assert.deepEqual([swap.title, swap.safety, swap.preferred], ['Take `prices` before `orders`, the order used elsewhere', 'safe', true]);
  assert.match(applyEdits(readFileSync(file, 'utf8'), swap.edits), /const guard = prices\.lock\(\);\n  try \{\n    const other = orders\.lock\(\); \/\/ expect: lock-order\n/);
  assert.deepEqual([count.safety, count.preferred], ['safe', false]);
  const fixed = applyEdits(readFileSync(file, 'utf8'), count.edits);
  assert.match(fixed, /export function count\(\): number \{\n  return lockAll\(\[prices, orders\], \(\) => \{\n    return book\.size \+ pending;\n  \}\);\n\}/);
  // The catch clause stays; only the release-only finally clauses go.
  const reprice = findings.find((f) => f.span.line === 51)!.fixes[0]!;
  assert.equal(reprice.safety, 'unsafe');
  const repriced = applyEdits(readFileSync(file, 'utf8'), reprice.edits);
  assert.match(repriced, /\} catch \(error\) \{\n      console\.error\('reprice failed', error\);\n      throw error;\n    \}\n  \}\);\n\}/);
  assert.doesNotMatch(repriced.slice(repriced.indexOf('export function reprice')), /unlock/);
});

test('lock-order: lockAsync pairs become lockAllAsync, awaited, with an async callback', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'async-pairs.ts');
  const [finding] = findingsIn('lock-order', 'async-pairs.ts', 'lock-order');
  const fix = finding!.fixes.find((f) => f.title.includes('lockAllAsync'))!;
  const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits);
  assert.match(fixed, /  await lockAllAsync\(\[tokens, sessions\], async \(\) => \{\n    store\.set\(user, token\);\n    await persist\(\);\n  \}\);/);
  assert.match(fixed, /import \{ Mutex, lockAllAsync \} from '@deadbolt\/runtime';/);
});
