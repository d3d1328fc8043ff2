/**
 * Inlining a call (model/walker.ts): the arguments are resolved only for a callee the walk enters. A helper that
 * takes no lock and calls no callback is not walked, so what its parameters would be bound to is not worked out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Node } from 'ts-morph';
import { analyze } from '../../src/engine/index.js';
import { ValueResolver } from '../../src/engine/model/values.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-inline-arguments-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = `import { Mutex } from '@deadbolt/runtime';
const m = new Mutex({ name: 'm' });
const inner = new Mutex({ name: 'inner' });
function format(x: number): string {
  return String(x);
}
function nested(x: number): void {
  using _i = inner.lock();
}
export function log(plainArgument: number, lockingArgument: number): void {
  using _g = m.lock();
  format(plainArgument);
  nested(lockingArgument);
}
export function reverse(): void {
  using _i = inner.lock();
  using _g = m.lock();
}
`;

test('arguments are resolved for a callee the walk enters, not for one it does not', () => {
  writeFileSync(path.join(dir, 'log.ts'), PROGRAM);
  const resolved = new Map<string, number>();
  const resolve = ValueResolver.prototype.resolve;
  ValueResolver.prototype.resolve = function (this: ValueResolver, expression: Node, ...rest) {
    const text = expression.getText();
    if (text.endsWith('Argument')) resolved.set(text, (resolved.get(text) ?? 0) + 1);
    return resolve.call(this, expression, ...rest);
  } as ValueResolver['resolve'];
  let findings: string[];
  try {
    findings = analyze({ cwd: dir, paths: ['log.ts'] }).findings.map((f) => f.rule);
  } finally {
    ValueResolver.prototype.resolve = resolve;
  }
  assert.ok((resolved.get('lockingArgument') ?? 0) >= 1, 'the argument of the lock-taking helper was bound');
  assert.equal(resolved.get('plainArgument'), undefined);
  // The order m -> inner is still seen through the inlined helper: with reverse's inner -> m, a cycle.
  assert.ok(findings.includes('lock-order'), findings.join(', '));
});
