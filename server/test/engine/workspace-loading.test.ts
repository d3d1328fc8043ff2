/**
 * How the engine loads a project: the syntactic prefilter (including configured blocking functions), the
 * compiler options used without a tsconfig, and loading Node's types only when an analysed file refers to Node.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { Project, SyntaxKind } from 'ts-morph';
import { analyze, Workspace } from '../../src/engine/index.js';
import { blockingPattern, mentionsConcurrency } from '../../src/engine/files.js';
import { defaultCompilerOptions, mentionsNode, nodeTypesRoot } from '../../src/engine/project.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('mentionsNode: Node built-in modules and globals in use count, words in comments do not', () => {
  assert.ok(mentionsNode("import { readFileSync } from 'node:fs';"));
  assert.ok(mentionsNode("import { Worker } from 'worker_threads';"));
  assert.ok(mentionsNode("export * from 'fs/promises';"));
  assert.ok(mentionsNode("const fs = require('fs');"));
  assert.ok(mentionsNode('const port = process.env.PORT;'));
  assert.ok(mentionsNode('await new Promise((resolve) => setTimeout(resolve, 10));'));
  assert.ok(mentionsNode('/// <reference types="node" />'));
  assert.ok(!mentionsNode("// This module processes orders globally.\nimport { Mutex } from '@deadbolt/runtime';\nimport { a } from './a.js';"));
  assert.ok(!mentionsNode('const counters = new Int32Array(new SharedArrayBuffer(16)); Atomics.add(counters, 0, 1);'));
});

test('blockingPattern: configured names, with or without a module, match whole names only', () => {
  assert.equal(blockingPattern(undefined), undefined);
  assert.equal(blockingPattern([]), undefined);
  const pattern = blockingPattern(['legacyWait', './spin.js#waitForever', 'db.$query'])!;
  assert.ok(mentionsConcurrency('legacyWait();', pattern));
  assert.ok(mentionsConcurrency('import { waitForever as wf } from "./spin.js";', pattern));
  assert.ok(mentionsConcurrency('await db.$query(sql);', pattern));
  assert.ok(!mentionsConcurrency('legacyWaiting(); myWaitForever();', pattern));
  assert.ok(!mentionsConcurrency('legacyWait();'));
});

test('analyze: a file whose only blocking call is a configured function is analysed', () => {
  const folder = mkdtempSync(path.join(dir, 'configured-'));
  writeFileSync(
    path.join(folder, 'slow.ts'),
    'export function crunch(): number {\n  return 42;\n}\nexport async function handler(): Promise<number> {\n  return crunch();\n}\n',
  );
  const result = analyze({ cwd: folder, paths: ['.'], config: { blockingFunctions: ['crunch'] } });
  assert.deepEqual(result.findings.map((f) => [f.rule, f.span.line]), [['blocking-in-async', 5]]);
  assert.deepEqual(analyze({ cwd: folder, paths: ['.'], config: {} }).findings, []);
});

test('defaultCompilerOptions: modern ESM, and Node types through an explicit root when @types/node is installed above', () => {
  const options = defaultCompilerOptions(path.join(REPO, 'server', 'src'));
  assert.deepEqual(options.types, ['node']);
  assert.deepEqual(options.typeRoots, [path.join(REPO, 'node_modules', '@types')]);
  assert.equal(options.allowJs, true);
  assert.equal(options.strict, true);
  // The DOM lib too: a folder checked without a tsconfig may be browser code (`navigator.locks`, `LockManager`).
  assert.deepEqual(options.lib, ['lib.es2024.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts']);
  assert.equal(nodeTypesRoot(dir), undefined, 'nothing installed above the temporary folder');
  assert.deepEqual(defaultCompilerOptions(dir).types, []);
});

test('defaultCompilerOptions: `node:fs` and `@deadbolt/runtime` symbols resolve to their declarations', () => {
  const project = new Project({ compilerOptions: defaultCompilerOptions(path.join(REPO, 'server')) });
  const file = project.createSourceFile(
    path.join(REPO, 'server', 'virtual-load-check.ts'),
    "import { readFileSync } from 'node:fs';\nimport { Mutex } from '@deadbolt/runtime';\nreadFileSync('x');\nnew Mutex();\n",
  );
  const declarationFile = (name: string): string => {
    // The last occurrence is the use, after the import.
    const identifier = file.getDescendantsOfKind(SyntaxKind.Identifier).filter((n) => n.getText() === name).at(-1)!;
    const symbol = identifier.getSymbolOrThrow();
    return (symbol.isAlias() ? symbol.getAliasedSymbol()! : symbol).getDeclarations()[0]!.getSourceFile().getFilePath();
  };
  assert.match(declarationFile('readFileSync'), /@types\/node\/fs\.d\.ts$/);
  assert.match(declarationFile('Mutex'), /runtime\/dist\/src\/mutex\.d\.ts$/);
});

test('Workspace: a file that starts importing Node after the first analysis is analysed with Node types', () => {
  // Inside the repository (.bench-work is ignored by git) so @types/node and the runtime resolve as in a project.
  mkdirSync(path.join(REPO, '.bench-work'), { recursive: true });
  const folder = mkdtempSync(path.join(REPO, '.bench-work', 'load-test-'));
  try {
    const locks = "import { Mutex } from '@deadbolt/runtime';\nexport const m = new Mutex({ name: 'm' });\n";
    writeFileSync(path.join(folder, 'locks.ts'), locks);
    const workspace = new Workspace({ cwd: folder, paths: ['.'], config: {} });
    assert.deepEqual(workspace.analyze().findings, []);
    workspace.setFile(
      path.join(folder, 'locks.ts'),
      `${locks}import { readFileSync } from 'node:fs';\nexport async function load(): Promise<string> {\n  return readFileSync('x', 'utf8');\n}\n`,
    );
    assert.deepEqual(workspace.analyze().findings.map((f) => [f.rule, f.span.line]), [['sync-io-in-async', 5]]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('Workspace: a tsconfig that is not valid JSON throws, so a caller can fall back to the folder', () => {
  const folder = mkdtempSync(path.join(dir, 'broken-'));
  writeFileSync(path.join(folder, 'tsconfig.json'), '{ "compilerOptions": { "strict": true,');
  assert.throws(() => new Workspace({ cwd: folder, tsconfig: 'tsconfig.json', config: {} }));
});

test('Workspace: an edit undone before the next analysis reuses the result; a cancelled run forgets no edit', () => {
  const folder = mkdtempSync(path.join(dir, 'edits-'));
  const forward = "import { Mutex } from '@deadbolt/runtime';\nconst a = new Mutex();\nconst b = new Mutex();\nexport function f(): void {\n  using _a = a.lock();\n  using _b = b.lock();\n}\n";
  const backward = 'export function g(): void {\n  using _b = b.lock();\n  using _a = a.lock();\n}\n';
  writeFileSync(path.join(folder, 'locks.ts'), forward);
  let runs = 0;
  let cancel = false;
  const workspace = new Workspace({
    cwd: folder,
    paths: ['.'],
    config: {},
    onProgress: (done, total) => {
      if (cancel) throw new Error('cancelled');
      if (done === total) runs++;
    },
  });
  assert.deepEqual(workspace.analyze().findings, []);
  workspace.setFile(path.join(folder, 'locks.ts'), `${forward}${backward}`);
  workspace.setFile(path.join(folder, 'locks.ts'), forward);
  assert.deepEqual(workspace.analyze().findings, []);
  assert.equal(runs, 1, 'the text analysed last is back: nothing to redo');

  workspace.setFile(path.join(folder, 'locks.ts'), `${forward}${backward}`);
  cancel = true;
  assert.throws(() => workspace.analyze(), /cancelled/);
  cancel = false;
  assert.deepEqual(workspace.analyze().findings.map((f) => f.rule), ['lock-order']);
  assert.equal(runs, 2);
});

test('Workspace: Node types load when a file the analysed ones import further down names Node', () => {
  mkdirSync(path.join(REPO, '.bench-work'), { recursive: true });
  const folder = mkdtempSync(path.join(REPO, '.bench-work', 'load-test-'));
  try {
    // locks.ts is analysed; paths.ts (imported by helper.ts, imported by locks.ts) is read by the checker only.
    writeFileSync(path.join(folder, 'locks.ts'), "import { Mutex } from '@deadbolt/runtime';\nimport { helper } from './helper.js';\nexport const m = new Mutex();\nhelper();\n");
    writeFileSync(path.join(folder, 'helper.ts'), "import { where } from './paths.js';\nexport function helper(): string {\n  return where();\n}\n");
    writeFileSync(path.join(folder, 'paths.ts'), "import { tmpdir } from 'node:os';\nexport function where(): string {\n  return tmpdir();\n}\n");
    writeFileSync(path.join(folder, 'plain.ts'), 'export const x = 1;\n');
    const typesOf = (workspace: Workspace): unknown => {
      workspace.analyze();
      return workspace['project'].getCompilerOptions().types;
    };
    assert.deepEqual(typesOf(new Workspace({ cwd: folder, paths: ['.'], config: {} })), ['node']);
    writeFileSync(path.join(folder, 'helper.ts'), "export function helper(): string {\n  return 'here';\n}\n");
    assert.deepEqual(typesOf(new Workspace({ cwd: folder, paths: ['.'], config: {} })), [], 'nothing analysed reaches paths.ts any more');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('Workspace: a result whose graph is read only after later edits still shows the graph of its own analysis', () => {
  const folder = mkdtempSync(path.join(dir, 'graph-'));
  const locks = "import { Mutex } from '@deadbolt/runtime';\nconst a = new Mutex({ name: 'a' });\nconst b = new Mutex({ name: 'b' });\n";
  const nested = 'export function f(): void {\n  using _a = a.lock();\n  using _b = b.lock();\n}\n';
  writeFileSync(path.join(folder, 'locks.ts'), `${locks}${nested}`);
  const workspace = new Workspace({ cwd: folder, paths: ['.'], config: {} });
  const first = workspace.analyze();
  workspace.setFile(path.join(folder, 'locks.ts'), locks);
  const second = workspace.analyze();
  workspace.removeFile(path.join(folder, 'locks.ts'));
  assert.equal(first.graph.edges.length, 1);
  const taken = first.graph.edges[0]!.chains[0]!.steps.at(-1)!.location;
  assert.match(taken.uri, /locks\.ts$/);
  assert.equal(taken.range.start.line, 5, 'the line of `b.lock()` in the text analysed, not in the later edit');
  assert.deepEqual(second.graph, { nodes: [], edges: [], cycles: [] }, 'no lock is taken any more');
});
