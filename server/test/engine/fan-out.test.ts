/**
 * Inlining stays bounded: eight levels of six lock-taking helpers, each calling all six of the next level, would be
 * 1.7 million inlined walks without the per-root budget. The test's timeout is the bound.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { analyze } from '../../src/engine/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-fanout-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LEVELS = 8;
const WIDTH = 6;

function program(): string {
  const lines = ["import { Mutex } from '@deadbolt/runtime';", 'const a = new Mutex();', 'const b = new Mutex();'];
  for (let level = 0; level < LEVELS; level++) {
    for (let i = 0; i < WIDTH; i++) {
      const calls = level + 1 < LEVELS ? Array.from({ length: WIDTH }, (_, j) => `f${level + 1}_${j}();`).join(' ') : '';
      lines.push(`function f${level}_${i}(): void { a.withLock(() => {}); ${calls} }`);
    }
  }
  lines.push(`export function root(): void { b.withLock(() => { f0_0(); }); }`);
  lines.push(`export function inverse(): void { a.withLock(() => { b.withLock(() => {}); }); }`);
  return lines.join('\n');
}

test('a wide, deep call tree of lock-taking helpers is analysed in bounded time', { timeout: 60_000 }, () => {
  writeFileSync(path.join(dir, 'fan.ts'), program());
  const result = analyze({ cwd: dir, paths: ['.'], config: {} });
  const lines = [...new Set(result.findings.filter((f) => f.rule === 'lock-order').map((f) => f.span.line))].sort((x, y) => x - y);
  // root() holds b while f0_0 takes a; inverse() takes b under a, which closes the cycle (a is declared first).
  assert.deepEqual(lines, [LEVELS * WIDTH + 5]);
});
