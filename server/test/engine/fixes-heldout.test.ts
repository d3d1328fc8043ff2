/**
 * Fixes on code the rule fixtures do not contain: test-fixtures/fixes-heldout (modelled on public async-mutex,
 * Web Locks, runtime and in-house lock code; see its README). Each folder is one program, compiled under each of the
 * three settings of helpers/prove-fixes.ts; every fix offered is applied alone and proven (no new type error, the
 * finding gone, nothing new, comments kept). Coverage must reach the goals on this corpus: at least 90% of lock-order
 * findings and 80% of all findings offered a real fix (a suppression is none). The tally is a table of
 * docs/rules/fixes.md.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RuleId } from '../../src/engine/index.js';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';
import { addTally, checkGeneratedSection, emptyTally, proveProgram, SETTINGS, tallyRow, type Tally } from '../helpers/prove-fixes.js';

const TABLE_FILE = fileURLToPath(new URL('../../../../docs/rules/fixes.md', import.meta.url));
const HELD_OUT = path.join(FIXTURES_ROOT, 'fixes-heldout');
const FOLDERS = readdirSync(HELD_OUT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

const byRule = new Map<string, Map<RuleId, Tally>>();
const unfixed = new Map<string, string[]>();

for (const setting of SETTINGS) {
  for (const folder of FOLDERS) {
    test(`every fix offered on fixes-heldout/${folder} is proven under ${setting.name}`, () => {
      const proof = proveProgram(path.join(HELD_OUT, folder), setting);
      const rules = byRule.get(setting.name) ?? new Map<RuleId, Tally>();
      for (const [rule, tally] of proof.byRule) addTally(rules.get(rule) ?? rules.set(rule, emptyTally()).get(rule)!, tally);
      byRule.set(setting.name, rules);
      unfixed.set(`${setting.name} ${folder}`, proof.unfixed);
      assert.deepEqual(proof.failures, [], `fixes that fail their proof:\n  ${proof.failures.join('\n  ')}`);
    });
  }
}

test('held-out coverage: lock-order findings with a real fix >= 90%, all findings >= 80%, under every setting', () => {
  for (const [setting, rules] of byRule) {
    const all = emptyTally();
    for (const tally of rules.values()) addTally(all, tally);
    const order = rules.get('lock-order') ?? emptyTally();
    const left = [...unfixed].filter(([key]) => key.startsWith(setting)).flatMap(([, list]) => list);
    assert.ok(order.withFix >= 0.9 * order.findings, `${setting}: lock-order ${order.withFix} of ${order.findings} have a fix; without: ${left.join(', ')}`);
    assert.ok(all.withFix >= 0.8 * all.findings, `${setting}: ${all.withFix} of ${all.findings} findings have a fix; without: ${left.join(', ')}`);
  }
});

test('docs/rules/fixes.md shows the held-out tallies these proofs produce', () => {
  const rows: string[] = [];
  for (const [setting, rules] of byRule) {
    const all = emptyTally();
    for (const tally of rules.values()) addTally(all, tally);
    rows.push(tallyRow(`**${setting}**, all rules`, all));
    for (const [rule, tally] of [...rules].sort(([a], [b]) => (a < b ? -1 : 1))) rows.push(tallyRow(`${setting}, [${rule}](${rule}.md)`, tally));
  }
  const table = ['| compiled as, rule | findings (held-out) | with a fix | fixes | of them safe | proven |', '|---|---|---|---|---|---|', ...rows].join('\n');
  assert.equal(checkGeneratedSection(TABLE_FILE, 'fixes-heldout', table), undefined);
  const left = [...unfixed].filter(([, list]) => list.length > 0).map(([key, list]) => `${key}: ${list.join(', ')}`);
  const listed = ['Findings offered no fix:', ...left.map((line) => `- ${line}`)].join('\n');
  assert.equal(checkGeneratedSection(TABLE_FILE, 'fixes-heldout-unfixed', listed), undefined);
});
