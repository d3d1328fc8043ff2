/**
 * test-fixtures/non-atomic-update must stay valid TypeScript against @deadbolt/runtime and @types/node: the rule is tested
 * on programs a user could write, not on text that merely looks like them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import { discoverFiles } from '../../src/engine/files.js';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';

function typeErrorsIn(folder: string): string[] {
  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      // Bundler resolution: an in-process Project does not always see that the fixtures are ESM.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2024.d.ts', 'lib.esnext.disposable.d.ts'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
  });
  for (const file of discoverFiles(FIXTURES_ROOT, [folder])) project.addSourceFileAtPath(file);
  return project
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .map((d) => `${path.relative(FIXTURES_ROOT, d.getSourceFile()?.getFilePath() ?? '?')}:${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string, ' ')}`);
}

test('non-atomic-update fixtures type-check', () => {
  assert.deepEqual(typeErrorsIn('non-atomic-update'), []);
});
