/**
 * The lock rules' fixture folders are data, but they must stay valid TypeScript against the real runtime's
 * types, or the engine would be tested on programs no user could write.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { Project, ts } from 'ts-morph';
import { discoverFiles } from '../../src/engine/files.js';
import { FIXTURES_ROOT } from '../helpers/fixtures.js';

const FOLDERS = ['lock-order', 'double-lock', 'lock-leak', 'unguarded-write', 'await-holding-lock', 'clean'];

test('the lock rules\' fixtures type-check against @deadbolt/runtime', () => {
  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      // Bundler resolution: the fixtures are ESM by their package.json, which an in-process Project does not always see.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2024.d.ts', 'lib.esnext.disposable.d.ts'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
  });
  for (const folder of FOLDERS) {
    for (const file of discoverFiles(FIXTURES_ROOT, [folder])) project.addSourceFileAtPath(file);
  }
  const errors = project
    .getPreEmitDiagnostics()
    .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
    .map((d) => `${path.relative(FIXTURES_ROOT, d.getSourceFile()?.getFilePath() ?? '?')}:${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string, ' ')}`);
  assert.deepEqual(errors, []);
});
