/**
 * The rule fixtures' fixes proven under the two other compiler settings than fixes-proven.test.ts's: an ES2020
 * CommonJS project and an ES2023 Node ESM one, whose libs have neither `Atomics.waitAsync` nor `using`. Each fix
 * offered there is applied alone and proven as helpers/prove-fixes.ts describes; the totals per setting are a table
 * of docs/rules/fixes.md.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RULE_IDS } from '../../src/engine/index.js';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';
import { addTally, checkGeneratedSection, emptyTally, proveProgram, SETTINGS, tallyRow, type Tally } from '../helpers/prove-fixes.js';

const TABLE_FILE = fileURLToPath(new URL('../../../../docs/rules/fixes.md', import.meta.url));
const totals = new Map<string, Tally>();

for (const setting of SETTINGS.filter((s) => s.name !== 'ESNext/bundler')) {
  for (const rule of RULE_IDS) {
    test(`every fix of every ${rule} finding in test-fixtures/${rule} is proven under ${setting.name}`, () => {
      const proof = proveProgram(path.join(FIXTURES_ROOT, rule), setting, [rule]);
      const total = totals.get(setting.name) ?? emptyTally();
      addTally(total, proof.byRule.get(rule) ?? emptyTally());
      totals.set(setting.name, total);
      assert.deepEqual(proof.failures, [], `fixes that fail their proof:\n  ${proof.failures.join('\n  ')}`);
    });
  }
}

test('docs/rules/fixes.md shows the totals these proofs produce', () => {
  const table = [
    '| compiled as | findings in the rule fixtures | with a fix | fixes | of them safe | proven |',
    '|---|---|---|---|---|---|',
    ...[...totals].map(([name, t]) => tallyRow(name, t)),
  ].join('\n');
  assert.equal(checkGeneratedSection(TABLE_FILE, 'fixes-settings', table), undefined);
});
