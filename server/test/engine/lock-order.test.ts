/** Rule `lock-order`: the fixture folder's expectations, and the text of the reorder fix. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyEdits, checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';

checkFixtureFolder('lock-order');

test('lock-order: the finding names both locks of the cycle and relates the other chain', () => {
  const [finding] = findingsIn('lock-order', 'opposite-order.ts', 'lock-order').filter((f) => f.span.line === 9);
  assert.ok(finding);
  assert.match(finding.message, /`lockB` is taken while holding `lockA`/);
  assert.match(finding.message, /`lockA` -> `lockB` -> `lockA`/);
  assert.ok(finding.related.some((r) => r.span.line === 15 && /takes `lockB`/.test(r.message)));
  assert.ok(finding.related.some((r) => r.span.line === 16 && /takes `lockA` while holding `lockB`/.test(r.message)));
});

test('lock-order: the inverted `using` pair is fixed by swapping the locks; the consistent one gets no fix', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'opposite-order.ts');
  const findings = findingsIn('lock-order', 'opposite-order.ts', 'lock-order');
  assert.deepEqual(findings.find((f) => f.span.line === 9)?.fixes, []);
  const fix = findings.find((f) => f.span.line === 16)?.fixes[0];
  assert.ok(fix?.preferred);
  const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits);
  assert.match(fixed, /using _b = lockA\.lock\(\);\n  using _a = lockB\.lock\(\); \/\/ expect: lock-order/);
});

test('lock-order: with code between the acquisitions, the fix is a non-preferred lockAll over the rest of the block', () => {
  const file = path.join(FIXTURES_ROOT, 'lock-order', 'lockall-fix.ts');
  const finding = findingsIn('lock-order', 'lockall-fix.ts', 'lock-order').find((f) => f.span.line === 17);
  const fix = finding?.fixes[0];
  assert.ok(fix);
  assert.equal(fix.preferred, false);
  const fixed = applyEdits(readFileSync(file, 'utf8'), fix.edits);
  assert.equal(
    fixed.slice(fixed.indexOf('export function restock')),
    [
      'export function restock(): void {',
      '  lockAll([stock, orders], () => {',
      '  reserved = 0;',
      '  reserved++;',
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
  assert.deepEqual(findings.find((f) => f.span.line === 10)?.fixes, []);
  const fix = findings.find((f) => f.span.line === 24)?.fixes[0];
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
  assert.match(findings[0]!.message, /`other\.mutex` is taken while holding `this\.mutex`, the same field of another Account/);
  assert.deepEqual(findingsIn('lock-order', 'instance-fields.ts', 'double-lock'), []);
});
