/**
 * The type-check gate and the fixes it stands behind, on the shapes of issue 22 reproduced in small projects outside
 * the repository (so nothing resolves from its node_modules, as in a fresh clone): a lib without
 * `Atomics.waitAsync`, an async-mutex lock guarded with its own API, an already awaited blocking call, and edits
 * that add a type error (refused) or only an import of a package the file already cannot resolve (accepted).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { analyze, applyEdits, Workspace, type Finding } from '../../src/engine/index.js';

function project(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-gate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const tsconfig = (lib: string[]): string =>
  JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib, strict: true, noEmit: true, types: [] }, include: ['src'] });

const WAITS = `export async function nextJob(control: Int32Array): Promise<number> {
  while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0, 1000);
  return Atomics.load(control, 1);
}
`;

function only(findings: readonly Finding[], rule: string): Finding {
  const found = findings.filter((f) => f.rule === rule);
  assert.equal(found.length, 1, `one ${rule} finding: ${findings.map((f) => `${f.rule}:${f.span.line}`).join(', ')}`);
  return found[0]!;
}

test('Atomics.waitAsync is offered only where the project\'s lib declares it (ES2024), never in an ES2023 project', (t) => {
  const es2023 = project(t, { 'tsconfig.json': tsconfig(['ES2023']), 'src/worker.ts': WAITS });
  const finding = only(analyze({ cwd: es2023, tsconfig: 'tsconfig.json', config: {} }).findings, 'blocking-in-async');
  assert.deepEqual(finding.fixes, []);
  const es2024 = project(t, { 'tsconfig.json': tsconfig(['ES2024']), 'src/worker.ts': WAITS });
  const fixed = only(analyze({ cwd: es2024, tsconfig: 'tsconfig.json', config: {} }).findings, 'blocking-in-async');
  assert.deepEqual(fixed.fixes.map((f) => f.title), ['Use await Atomics.waitAsync(...).value']);
});

test('an unguarded write to state an async-mutex Mutex guards is wrapped in its runExclusive, even where async-mutex is not installed', (t) => {
  const dir = project(t, {
    'src/cache.ts': `import { Mutex } from 'async-mutex';

export class Cache {
  private readonly mutex = new Mutex();
  private entries: string[] = [];

  async add(entry: string): Promise<void> {
    await this.mutex.runExclusive(() => {
      this.entries = [...this.entries, entry];
    });
  }

  async drop(entry: string): Promise<void> {
    await this.mutex.runExclusive(() => {
      this.entries = this.entries.filter((e) => e !== entry);
    });
  }

  async clear(): Promise<void> {
    this.entries = []; // eslint-disable-line no-restricted-syntax
  }
}
`,
  });
  const finding = only(analyze({ cwd: dir, paths: ['src'], config: {} }).findings, 'unguarded-write');
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  const text = fix.edits.map((e) => e.newText).join('\n');
  assert.doesNotMatch(text, /withLock|lockAsync|acquireAsync/, 'no runtime method on an async-mutex lock');
  assert.match(text, /await this\.mutex\.runExclusive\(async \(\) => \{\n {6}this\.entries = \[\]; \/\/ eslint-disable-line no-restricted-syntax\n {4}\}\);/);
});

test('a blocking runtime call already awaited becomes its twin under one await', (t) => {
  const dir = project(t, {
    'src/slots.ts': `import { Semaphore } from '@deadbolt/runtime';

const slots = new Semaphore(2);

export async function withSlot(work: () => Promise<void>): Promise<void> {
  await slots.acquire();
  try {
    await work();
  } finally {
    slots.release();
  }
}
`,
  });
  const finding = only(analyze({ cwd: dir, paths: ['src'], config: {} }).findings, 'blocking-in-async');
  const [fix] = finding.fixes;
  assert.ok(fix, 'a fix is offered');
  const fixed = applyEdits(readFileSync(path.join(dir, 'src', 'slots.ts'), 'utf8'), fix.edits);
  assert.match(fixed, /^ {2}await slots\.acquireAsync\(\);$/m);
  assert.doesNotMatch(fixed, /await await/);
});

test('the gate refuses an edit that adds a type error, and accepts an import of a package the file already cannot resolve', (t) => {
  const dir = project(t, {
    'tsconfig.json': tsconfig(['ES2023']),
    'src/io.ts': `import { readFileSync } from 'node:fs';
import { Mutex } from '@deadbolt/runtime';

const lock = new Mutex();
let total = 0;

export function load(file: string): string {
  lock.lock();
  total += 1;
  return readFileSync(file, 'utf8');
}
`,
  });
  const workspace = new Workspace({ cwd: dir, tsconfig: 'tsconfig.json', config: {} });
  workspace.analyze();
  const file = path.join(dir, 'src', 'io.ts');
  const at = (text: string): number => readFileSync(file, 'utf8').indexOf(text);
  const broken = workspace.checkEdits([{ file, start: at('total += 1;'), end: at('total += 1;') + 'total += 1;'.length, newText: "total += 'one';" }]);
  assert.equal(broken.ok, false);
  assert.match(broken.added.join('\n'), /TS2322/);
  const imported = workspace.checkEdits([{ file, start: 0, end: 0, newText: "import { readFile } from 'node:fs/promises';\n" }]);
  assert.deepEqual(imported, { ok: true, added: [] }, 'node:fs does not resolve here either: where @types/node is installed, both do');
  const unknown = workspace.checkEdits([{ file, start: 0, end: 0, newText: "import { nothing } from './missing.js';\n" }]);
  assert.equal(unknown.ok, false, 'a relative import that does not resolve is an error of the fix');
});
