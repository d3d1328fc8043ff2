/**
 * `ignore` and `overrides` of deadbolt.config.json: how globs match (as .gitignore lines do, relative to the
 * config's folder), and that a long-lived Workspace (the language server's) honours them for editor buffers too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileGlobs, FileRules } from '../../src/engine/file-globs.js';
import { Workspace } from '../../src/engine/index.js';

const base = path.resolve('/repo');
const at = (relative: string): string => path.join(base, relative);

const cases: [string, string, boolean][] = [
  ['*.test.ts', 'src/deep/store.test.ts', true],
  ['*.test.ts', 'src/store.ts', false],
  ['scripts/**', 'scripts/release/publish.ts', true],
  ['scripts/**', 'packages/a/scripts/x.ts', false],
  ['scripts', 'scripts/build.ts', true],
  ['test/fixtures', 'test/fixtures/a/b.ts', true],
  ['test/fixtures', 'src/test/fixtures/a.ts', false],
  ['./vendor/', 'vendor/lib.js', true],
  ['**/__tests__/**', 'packages/x/src/__tests__/a.ts', true],
  ['src/*.ts', 'src/a/b.ts', false],
  ['{scripts,tools}/**', 'tools/gen.ts', true],
  ['.github/**', '.github/scripts/a.ts', true],
  ['**', '../outside/a.ts', false],
];

for (const [pattern, file, expected] of cases) {
  test(`glob ${pattern} ${expected ? 'matches' : 'does not match'} ${file}`, () => {
    assert.equal(new FileGlobs([pattern], base).matches(at(file)), expected);
  });
}

test('overrides: the last entry that matches and names the rule wins; others keep the earlier one', () => {
  const rules = new FileRules({
    baseDir: base,
    overrides: [
      { files: ['scripts/**'], rules: { 'sync-io-in-async': 'off', 'blocking-in-async': 'warning' } },
      { files: ['scripts/release/**'], rules: { 'sync-io-in-async': 'error' } },
    ],
  });
  assert.equal(rules.severityIn(at('scripts/a.ts'), 'sync-io-in-async'), 'off');
  assert.equal(rules.severityIn(at('scripts/release/a.ts'), 'sync-io-in-async'), 'error');
  assert.equal(rules.severityIn(at('scripts/release/a.ts'), 'blocking-in-async'), 'warning');
  assert.equal(rules.severityIn(at('src/a.ts'), 'sync-io-in-async'), undefined);
  assert.equal(rules.enablesSomewhere('sync-io-in-async'), true);
  assert.equal(rules.enablesSomewhere('lock-order'), false);
});

const WAITS = 'const flag = new Int32Array(new SharedArrayBuffer(4));\nexport async function poll(): Promise<void> {\n  Atomics.wait(flag, 0, 0, 5);\n}\n';

test('a Workspace leaves ignored buffers unreported and applies overrides to edited ones', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-globs-'));
  try {
    const workspace = new Workspace({
      cwd: dir,
      paths: [],
      config: { ignore: ['generated'], overrides: [{ files: ['legacy/**'], rules: { 'blocking-in-async': 'hint' } }] },
    });
    workspace.setFile(path.join(dir, 'generated', 'poll.ts'), WAITS);
    workspace.setFile(path.join(dir, 'legacy', 'poll.ts'), WAITS);
    workspace.setFile(path.join(dir, 'src', 'poll.ts'), WAITS);
    const result = workspace.analyze();
    const found = result.findings.map((f) => `${path.relative(dir, f.span.file)} ${f.rule} ${f.severity}`);
    assert.deepEqual(found, [`${path.join('legacy', 'poll.ts')} blocking-in-async hint`, `${path.join('src', 'poll.ts')} blocking-in-async error`]);
    assert.equal(result.files, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules off by default may be turned on for some files by an override', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-globs-'));
  try {
    const workspace = new Workspace({
      cwd: dir,
      paths: [],
      config: { rules: { 'blocking-in-async': 'off' }, overrides: [{ files: ['server/**'], rules: { 'blocking-in-async': 'error' } }] },
    });
    workspace.setFile(path.join(dir, 'server', 'poll.ts'), WAITS);
    workspace.setFile(path.join(dir, 'cli', 'poll.ts'), WAITS);
    assert.deepEqual(workspace.analyze().findings.map((f) => path.relative(dir, f.span.file)), [path.join('server', 'poll.ts')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
