/**
 * A call resolved through what its function returns (values.ts, `resolveReturn`): the function's body is searched
 * for its one `return` once, not at every resolution of a call of it (each inlined call site asks again).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Node, SyntaxKind } from 'ts-morph';
import { analyze } from '../../src/engine/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-returned-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a lock handed back by a helper is found by one search of the helper, however many call sites are inlined', () => {
  writeFileSync(path.join(dir, 'returned.ts'), [
    `import { Mutex } from '@deadbolt/runtime';`,
    `const storeLock = new Mutex({ name: 'store' });`,
    `const indexLock = new Mutex({ name: 'index' });`,
    `function lockOfStore(): Mutex {`,
    `  return storeLock;`,
    `}`,
    `function store(): void {`,
    `  using _g = lockOfStore().lock();`,
    `  using _h = indexLock.lock();`,
    `}`,
    `function index(): void {`,
    `  using _h = indexLock.lock();`,
    `  using _g = lockOfStore().lock();`,
    `}`,
    ...Array.from({ length: 5 }, (_, i) => `export function caller${i}(): void { store(); index(); }`),
  ].join('\n'));
  let searches = 0;
  const getDescendantsOfKind = Node.prototype.getDescendantsOfKind;
  Node.prototype.getDescendantsOfKind = function (this: Node, kind: SyntaxKind) {
    if (kind === SyntaxKind.ReturnStatement && this.getParent()?.getText().startsWith('function lockOfStore')) searches++;
    return getDescendantsOfKind.call(this, kind);
  } as Node['getDescendantsOfKind'];
  let result: ReturnType<typeof analyze>;
  try {
    result = analyze({ cwd: dir, paths: ['returned.ts'] });
  } finally {
    Node.prototype.getDescendantsOfKind = getDescendantsOfKind;
  }
  assert.ok(result.walks.run >= 7, `store, index and their five callers were walked (${result.walks.run} walks)`);
  const order = result.findings.filter((f) => f.rule === 'lock-order');
  assert.ok(order.length > 0 && order.some((f) => f.message.includes('store')), 'the inverted order of the returned lock and index is found');
  // Once; before, once per resolution of `lockOfStore()` in each walk (12 here).
  assert.equal(searches, 1);
});
