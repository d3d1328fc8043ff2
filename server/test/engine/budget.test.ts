/**
 * The budgets of model building (model/budget.ts): a function whose calls fan out past its budget is analysed
 * without following them, a top level too large even for that is left out, each says so in a verbose notice, the
 * rest of the program is analysed as usual, and a budget cuts the same place in a fresh and an incremental run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { analyze, Workspace, type AnalysisResult } from '../../src/engine/index.js';
import { ROOT_STEPS } from '../../src/engine/model/budget.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-budget-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * `fanOut` holds `outer` and calls ten helpers, each calling ten more, down four levels: every one takes `inner`
 * and does some work, as generated or heavily layered code does. Followed in full that is ~11,000 inlined bodies.
 */
function fanOut(): string {
  const out = [`import { Mutex } from '@deadbolt/runtime';`, `export const outer = new Mutex({ name: 'outer' });`, `export const inner = new Mutex({ name: 'inner' });`, `const view = new Int32Array(new SharedArrayBuffer(64));`];
  const levels = 4;
  for (let level = levels; level >= 1; level--) {
    const calls = level === levels ? [] : Array.from({ length: 10 }, (_, i) => `  level${level + 1}_${i}();`);
    for (let i = 0; i < 10; i++) {
      const work = Array.from({ length: 20 }, (_, k) => `  Atomics.add(view, ${k % 16}, ${k});`);
      out.push(`function level${level}_${i}(): void {`, `  using _i = inner.lock();`, ...work, ...calls, `}`);
    }
  }
  out.push(
    `export function fanOut(): void {`,
    `  using _o = outer.lock();`,
    `  Atomics.add(view, 0, 1);`,
    `  using _i = inner.lock();`,
    ...Array.from({ length: 10 }, (_, i) => `  level1_${i}();`),
    `}`,
    // Taking inner then outer closes a cycle with fanOut's own outer -> inner, found without following calls.
    `export function reverse(): void {`,
    `  using _i = inner.lock();`,
    `  using _o = outer.lock();`,
    `}`,
  );
  return out.join('\n');
}

/** A top level of more statements than a root may step through: generated code with one leak at its end. */
function hugeTopLevel(): string {
  const statements = Array.from({ length: Math.ceil(ROOT_STEPS / 2) }, (_, i) => `view[${i % 8}] = ${i};`);
  return [`import { Mutex } from '@deadbolt/runtime';`, `const view = new Int32Array(new SharedArrayBuffer(64));`, `const m = new Mutex();`, ...statements, `m.lock();`].join('\n');
}

const SMALL = `import { Mutex } from '@deadbolt/runtime';
const m = new Mutex();
export function leaks(flag: boolean): void {
  m.lock();
  if (flag) return;
  m.unlock();
}
`;

writeFileSync(path.join(dir, 'fan-out.ts'), fanOut());
writeFileSync(path.join(dir, 'generated.ts'), hugeTopLevel());
writeFileSync(path.join(dir, 'small.ts'), SMALL);

const summary = (result: AnalysisResult): string[] => result.findings.map((f) => `${path.basename(f.span.file)}:${f.span.line} ${f.rule}`);
const budgetLines = (result: AnalysisResult): string[] =>
  result.notices.filter((n) => n.kind === 'budget').map((n) => `${n.file === undefined ? '' : `${path.basename(n.file)}:${n.line}: `}${n.message}`);

test('a fan-out past the budget is analysed without following calls; a top level past it is left out; both are named', () => {
  const result = analyze({ cwd: dir, paths: ['.'] });
  const lines = budgetLines(result);
  // Each level-one helper alone inlines 1,110 bodies: past a root's budget, so walked without following its calls.
  const helpers = Array.from({ length: 10 }, (_, i) => new RegExp(`^fan-out\\.ts:\\d+: \`level1_${i}\` took more than the analysis budget: analysed without following its calls$`));
  assert.equal(lines.length, 13, lines.join('\n'));
  assert.equal(lines[0], '12 functions took more than the analysis budget and were analysed in part (--verbose lists them)');
  helpers.forEach((pattern, i) => assert.match(lines[i + 1]!, pattern));
  // By then the file has spent its budget: fanOut is walked without following calls too (reverse calls nothing: complete).
  assert.match(lines[11]!, /^fan-out\.ts:\d+: `fanOut` took more than the analysis budget: analysed without following its calls$/);
  assert.equal(lines[12], 'generated.ts:1: top-level code took more than the analysis budget: not analysed');
  assert.ok(result.notices.filter((n) => n.kind === 'budget' && n.file !== undefined).every((n) => n.verbose === true));
  const found = summary(result);
  // The rest is analysed: the small file's leak, and the cycle between fanOut's own lock and reverse.
  assert.ok(found.includes('small.ts:4 lock-leak'), found.join('\n'));
  assert.ok(found.some((f) => f.startsWith('fan-out.ts:') && f.endsWith('lock-order')), found.join('\n'));
  // The generated top level's leak is not reported: it was not analysed, and a guess would be worse.
  assert.ok(!found.some((f) => f.startsWith('generated.ts:')), found.join('\n'));
});

test('a budget cuts the same place in an incremental analysis as in a fresh one', () => {
  const workspace = new Workspace({ cwd: dir, paths: ['.'] });
  const first = workspace.analyze();
  workspace.setFile(path.join(dir, 'small.ts'), SMALL.replace('if (flag) return;', 'if (!flag) return;'));
  const edited = workspace.analyze();
  assert.ok(edited.walks.reused > 0, 'the unaffected files were reused');
  writeFileSync(path.join(dir, 'small.ts'), SMALL.replace('if (flag) return;', 'if (!flag) return;'));
  const fresh = analyze({ cwd: dir, paths: ['.'] });
  assert.deepEqual(summary(edited), summary(fresh));
  assert.deepEqual(budgetLines(edited), budgetLines(fresh));
  assert.deepEqual(budgetLines(first), budgetLines(fresh));
});
