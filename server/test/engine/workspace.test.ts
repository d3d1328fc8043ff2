/**
 * The engine's public entry points: `analyze()` options (paths, tsconfig, config, progress) and the long-lived
 * `Workspace` that the language server edits buffer by buffer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { analyze, Workspace } from '../../src/engine/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-ws-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LOCKS = `import { Mutex } from '@deadbolt/runtime';
export const a = new Mutex({ name: 'a' });
export const b = new Mutex({ name: 'b' });
`;
const FORWARD = `import { a, b } from './locks.js';
export function forward(): void {
  using _a = a.lock();
  using _b = b.lock();
}
`;
const BACKWARD = `import { a, b } from './locks.js';
export function backward(): void {
  using _b = b.lock();
  using _a = a.lock();
}
`;
writeFileSync(path.join(dir, 'locks.ts'), LOCKS);
writeFileSync(path.join(dir, 'forward.ts'), FORWARD);
writeFileSync(path.join(dir, 'unrelated.ts'), 'export const answer = 42;\n');

test('analyze: counts every file, reports nothing on a consistent program, and reports progress', () => {
  const progress: [number, number][] = [];
  const result = analyze({ cwd: dir, paths: ['.'], config: {}, onProgress: (done, total) => progress.push([done, total]) });
  assert.equal(result.files, 3);
  assert.deepEqual(result.findings, []);
  assert.ok(progress.length > 0);
  assert.deepEqual(progress[progress.length - 1], [progress.length, progress.length]);
  assert.deepEqual(result.graph.nodes.map((n) => n.name).sort(), ['a', 'b']);
  assert.equal(result.graph.edges.length, 1);
  assert.deepEqual(result.graph.cycles, []);
});

test('Workspace: an edited buffer creates a cycle, editing it back removes it, removing the file forgets it', () => {
  const workspace = new Workspace({ cwd: dir, paths: ['.'], config: {} });
  assert.deepEqual(workspace.analyze().findings, []);

  workspace.setFile(path.join(dir, 'backward.ts'), BACKWARD);
  assert.ok(workspace.rootFiles.includes(path.join(dir, 'backward.ts')));
  const withCycle = workspace.analyze();
  assert.deepEqual(
    withCycle.findings.map((f) => [path.basename(f.span.file), f.span.line, f.rule]),
    // Reported once, where the cycle closes: backward.ts takes `a` under `b`, against the declaration order.
    [['backward.ts', 4, 'lock-order']],
  );
  assert.equal(workspace.lockGraph().cycles.length, 1);

  workspace.setFile(path.join(dir, 'backward.ts'), FORWARD.replace('forward', 'backward'));
  assert.deepEqual(workspace.analyze().findings, []);

  workspace.setFile(path.join(dir, 'backward.ts'), BACKWARD);
  assert.equal(workspace.analyze().findings.length, 1);
  workspace.removeFile(path.join(dir, 'backward.ts'));
  assert.ok(!workspace.rootFiles.includes(path.join(dir, 'backward.ts')));
  assert.deepEqual(workspace.analyze().findings, []);
});

test('analyze: configured severities apply, "off" silences a rule, suppression comments drop a finding', () => {
  writeFileSync(path.join(dir, 'backward.ts'), BACKWARD);
  try {
    const warn = analyze({ cwd: dir, paths: ['.'], config: { rules: { 'lock-order': 'warning' } } });
    assert.deepEqual(warn.findings.map((f) => f.severity), ['warning']);
    const off = analyze({ cwd: dir, paths: ['.'], config: { rules: { 'lock-order': 'off' } } });
    assert.deepEqual(off.findings, []);
    writeFileSync(path.join(dir, 'backward.ts'), BACKWARD.replace('  using _a', '  // deadbolt-disable-next-line lock-order -- reviewed\n  using _a'));
    const suppressed = analyze({ cwd: dir, paths: ['.'], config: {} });
    // The one finding of the cycle is suppressed, so nothing is left.
    assert.deepEqual(suppressed.findings, []);
  } finally {
    rmSync(path.join(dir, 'backward.ts'));
  }
});

test('analyze: config lockRanks make an inversion an error without a cycle', () => {
  const result = analyze({ cwd: dir, paths: ['forward.ts', 'locks.ts'], config: { lockRanks: { a: 2, b: 1 } } });
  assert.equal(result.files, 2);
  assert.deepEqual(result.findings.map((f) => [path.basename(f.span.file), f.span.line]), [['forward.ts', 4]]);
  assert.match(result.findings[0]!.message, /`b` \(rank 1\) is taken while holding `a` \(rank 2\)/);
});

test('analyze: a tsconfig names the files', () => {
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext' }, files: ['locks.ts', 'forward.ts'] }));
  try {
    const result = analyze({ cwd: dir, tsconfig: 'tsconfig.json', config: {} });
    assert.equal(result.files, 2);
    assert.equal(result.graph.edges.length, 1);
  } finally {
    rmSync(path.join(dir, 'tsconfig.json'));
  }
});

test('Workspace: an edit outside the prefilter reuses the last result; an edit to a lock file recomputes it', () => {
  let runs = 0;
  const workspace = new Workspace({ cwd: dir, paths: ['.'], config: {}, onProgress: (done, total) => { if (done === total) runs++; } });
  workspace.analyze();
  assert.equal(runs, 1);
  workspace.analyze();
  workspace.setFile(path.join(dir, 'unrelated.ts'), 'export const answer = 43;\n');
  workspace.lockGraph();
  assert.equal(runs, 1);
  workspace.setFile(path.join(dir, 'forward.ts'), FORWARD);
  workspace.analyze();
  assert.equal(runs, 1, 'same text: nothing changed');
  workspace.setFile(path.join(dir, 'forward.ts'), `${FORWARD}\n`);
  workspace.analyze();
  assert.equal(runs, 2);
});
