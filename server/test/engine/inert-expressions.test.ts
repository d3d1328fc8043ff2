/**
 * Inert expressions (model/inert-expressions.ts): an inlined callee's expressions that can change nothing are not
 * visited node by node at every call site, and the steps they cost still count against the walk's budget.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Node, SyntaxKind } from 'ts-morph';
import { analyze } from '../../src/engine/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-inert-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PRELUDE = [`import { Mutex } from '@deadbolt/runtime';`, `const m = new Mutex({ name: 'm' });`, `const view = new Int32Array(new SharedArrayBuffer(64));`];

/** `callers` functions each call `store`, which takes `m` and evaluates `expression`: store's body is inlined at each. */
function program(expression: string, callers: number, callsEach = 1): string {
  const calls = Array.from({ length: callsEach }, () => '  store();');
  return [
    ...PRELUDE,
    `function store(): void {`,
    `  using _g = m.lock();`,
    `  view[0] = ${expression};`,
    `}`,
    ...Array.from({ length: callers }, (_, i) => [`export function caller${i}(): void {`, ...calls, `}`]).flat(),
  ].join('\n');
}

/** A sum of `terms` reads of the array: about three walk steps per term, and nothing in it can take a lock. */
const longSum = (terms: number): string => Array.from({ length: terms }, (_, i) => `view[${i % 8}]`).join(' + ');

test('an inert expression is walked node by node only in its own function, not at each inlined call', () => {
  writeFileSync(path.join(dir, 'inlined.ts'), program(longSum(20), 5));
  let visits = 0;
  const forEachChild = Node.prototype.forEachChild;
  Node.prototype.forEachChild = function (this: Node, ...args: Parameters<Node['forEachChild']>) {
    if (this.getKind() === SyntaxKind.BinaryExpression && this.getText().startsWith('view[0] =')) visits++;
    return forEachChild.apply(this, args);
  } as Node['forEachChild'];
  try {
    const result = analyze({ cwd: dir, paths: ['inlined.ts'] });
    assert.ok(result.walks.run >= 6, `store and its five callers were walked (${result.walks.run} walks)`);
  } finally {
    Node.prototype.forEachChild = forEachChild;
  }
  // store's own walk visits the assignment; its five inlined copies take its steps without visiting it.
  assert.equal(visits, 1);
});

test('the steps of inert expressions count against the budget as if each node were visited', () => {
  const budgetNotices = (file: string): string[] =>
    analyze({ cwd: dir, paths: [file] }).notices.filter((n) => n.kind === 'budget' && n.file !== undefined).map((n) => n.message);
  // 150 inlined copies of ~300 terms are well over a root's 100,000 steps; of one term, well under.
  writeFileSync(path.join(dir, 'heavy.ts'), program(longSum(300), 1, 150));
  writeFileSync(path.join(dir, 'light.ts'), program(longSum(1), 1, 150));
  assert.deepEqual(budgetNotices('heavy.ts'), ['`caller0` took more than the analysis budget: analysed without following its calls']);
  assert.deepEqual(budgetNotices('light.ts'), []);
});
