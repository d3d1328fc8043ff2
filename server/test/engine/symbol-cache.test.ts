/**
 * The symbol cache (model/symbol-cache.ts): while a model is built, the checker is asked once per node what it
 * names, however many call sites inline the function the node is in; outside a build every question is asked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Node, Project } from 'ts-morph';
import { analyze } from '../../src/engine/index.js';
import { symbolOf, withSymbolCache } from '../../src/engine/model/symbol-cache.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-symbols-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Counts the checker's symbol questions about identifiers spelled `name` while `run` runs. */
function countSymbolQuestions(name: string, run: () => void): number {
  let asked = 0;
  const getSymbol = Node.prototype.getSymbol;
  Node.prototype.getSymbol = function (this: Node) {
    if (Node.isIdentifier(this) && this.getText() === name) asked++;
    return getSymbol.call(this);
  } as Node['getSymbol'];
  try {
    run();
  } finally {
    Node.prototype.getSymbol = getSymbol;
  }
  return asked;
}

test('a lock expression in a helper inlined at five call sites is asked about once, and the findings are unchanged', () => {
  writeFileSync(path.join(dir, 'inlined.ts'), [
    `import { Mutex } from '@deadbolt/runtime';`,
    `const storeLock = new Mutex({ name: 'store' });`,
    `const indexLock = new Mutex({ name: 'index' });`,
    `function store(): void {`,
    `  using _g = storeLock.lock();`,
    `  using _h = indexLock.lock();`,
    `}`,
    `function index(): void {`,
    `  using _h = indexLock.lock();`,
    `  using _g = storeLock.lock();`,
    `}`,
    ...Array.from({ length: 5 }, (_, i) => `export function caller${i}(): void { store(); index(); }`),
  ].join('\n'));
  let result: ReturnType<typeof analyze> | undefined;
  const asked = countSymbolQuestions('storeLock', () => {
    result = analyze({ cwd: dir, paths: ['inlined.ts'] });
  });
  assert.ok(result!.walks.run >= 7, `store, index and their five callers were walked (${result!.walks.run} walks)`);
  // The two `storeLock.lock()` receivers, once each; without the cache, once per walk that reaches them (12 and more).
  assert.ok(asked <= 3, `the checker was asked about storeLock ${asked} times`);
  assert.ok(result!.findings.some((f) => f.rule === 'lock-order'), 'the inverted order of store and index is still found');
});

test('outside a model build, and after it, every question goes to the checker', () => {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('/a.ts', 'const value = 1;\nexport const copy = value;');
  const use = file.getVariableDeclarationOrThrow('copy').getInitializerOrThrow();
  const declaration = file.getVariableDeclarationOrThrow('value');
  assert.equal(countSymbolQuestions('value', () => {
    for (let i = 0; i < 3; i++) assert.equal(symbolOf(use)?.getDeclarations()[0], declaration);
  }), 3);
  assert.equal(countSymbolQuestions('value', () => withSymbolCache(() => {
    for (let i = 0; i < 3; i++) assert.equal(symbolOf(use)?.getDeclarations()[0], declaration);
  })), 1);
  assert.equal(countSymbolQuestions('value', () => void symbolOf(use)), 1);
});
