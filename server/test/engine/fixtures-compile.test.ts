/**
 * Every rule's fixture folder is data, but it must stay valid TypeScript against the real runtime's types and
 * @types/node, or the engine would be tested on programs no user could write. One test per folder, so a
 * failure names the rule.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ts } from 'ts-morph';
import { RULE_IDS } from '../../src/engine/index.js';
import { discoverFiles } from '../../src/engine/files.js';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';
import { fixtureProject } from '../helpers/fixture-project.js';

function typeErrorsIn(folder: string): string[] {
  const project = fixtureProject(discoverFiles(FIXTURES_ROOT, [folder]));
  return project
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .map((d) => `${path.relative(FIXTURES_ROOT, d.getSourceFile()?.getFilePath() ?? '?')}:${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string, ' ')}`);
}

for (const folder of [...RULE_IDS, 'clean', 'lock-models']) {
  test(`test-fixtures/${folder} type-checks against @deadbolt/runtime`, () => {
    assert.deepEqual(typeErrorsIn(folder), []);
  });
}
