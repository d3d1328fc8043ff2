/**
 * Keeps the rules in step: every rule of the registry has its source file, its fixture folder and its doc
 * page, all named by the rule id, and the doc's first paragraph repeats the rule's description.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RULE_IDS, rules } from '../../src/engine/index.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

test('the registry lists every rule id once, in the order of RULE_IDS', () => {
  assert.deepEqual(rules.map((r) => r.id), [...RULE_IDS]);
});

for (const rule of rules) {
  test(`${rule.id}: source, fixtures and doc exist under its id`, () => {
    assert.ok(existsSync(path.join(REPO, 'server/src/engine/rules', `${rule.id}.ts`)), 'server/src/engine/rules/<id>.ts');
    assert.ok(existsSync(path.join(REPO, 'test-fixtures', rule.id)), 'test-fixtures/<id>/');
    assert.ok(existsSync(path.join(REPO, 'docs/rules', `${rule.id}.md`)), 'docs/rules/<id>.md');
  });

  test(`${rule.id}: the doc's title is the id and its first paragraph is the rule's description`, () => {
    const doc = readFileSync(path.join(REPO, 'docs/rules', `${rule.id}.md`), 'utf8');
    const [title, ...rest] = doc.split(/\r?\n\r?\n/);
    assert.equal(title?.trim(), `# ${rule.id}`);
    assert.equal(rest[0]?.replace(/\s*\n\s*/g, ' ').trim(), rule.description);
  });
}
