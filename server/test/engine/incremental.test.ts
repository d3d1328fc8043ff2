/**
 * A Workspace reuses the walks of files no edit can affect. Whatever it reuses, its findings and lock graph after
 * every edit must be exactly those of a fresh analysis of the same texts; and it must actually reuse, or the
 * language server is slow for nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Workspace, type AnalysisResult } from '../../src/engine/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-incremental-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A layered program: locks <- low <- mid <- top, a worker started from main, and lock modules nothing edited reaches. */
const FILES: Record<string, string> = {
  'locks.ts': `import { Mutex } from '@deadbolt/runtime';
export const a = new Mutex({ name: 'a' });
export const b = new Mutex({ name: 'b' });
export const c = new Mutex({ name: 'c' });
export const counters = new Int32Array(new SharedArrayBuffer(16));
`,
  'low.ts': `import { b, c, counters } from './locks.js';
export function takeB(): void {
  using _b = b.lock();
  counters[0] = counters[0]! + 1;
}
export function takeC(): void {
  c.lock();
  try { Atomics.add(counters, 1, 1); } finally { c.unlock(); }
}
`,
  'mid.ts': `import { a } from './locks.js';
import { takeB, takeC } from './low.js';
export function viaMid(): void {
  using _a = a.lock();
  takeB();
  takeC();
}
`,
  'top.ts': `import { viaMid } from './mid.js';
export async function serve(): Promise<void> {
  viaMid();
}
`,
  'main.ts': `import { Worker } from 'node:worker_threads';
import { a, c } from './locks.js';
export function start(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { workerData: { m: a.handle, n: c.handle } });
}
`,
  'worker.ts': `import { workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';
const m = Mutex.from(workerData.m);
const n = Mutex.from(workerData.n);
export function work(): void {
  using _m = m.lock();
  using _n = n.lock();
}
`,
  'side.ts': `import { Mutex } from '@deadbolt/runtime';
const s1 = new Mutex({ name: 's1' });
const s2 = new Mutex({ name: 's2' });
export function sideways(): void {
  using _1 = s1.lock();
  using _2 = s2.lock();
}
export function backwards(): void {
  using _2 = s2.lock();
  nested();
}
function nested(): void {
  using _1 = s1.lock();
}
`,
  'script.ts': `const flags = new Int32Array(new SharedArrayBuffer(8));
function raise(): void { Atomics.store(flags, 0, 1); }
`,
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(dir, name), text);

/** Everything a client sees of a result: findings (with fixes) and the lock graph. */
function visible(result: AnalysisResult): unknown {
  return JSON.parse(JSON.stringify({ findings: result.findings, graph: result.graph }));
}

/** The same texts analysed from scratch. */
function fresh(texts: ReadonlyMap<string, string>, removed: ReadonlySet<string>): AnalysisResult {
  const workspace = new Workspace({ cwd: dir, paths: ['.'], config: {} });
  for (const [file, text] of texts) workspace.setFile(file, text);
  for (const file of removed) workspace.removeFile(file);
  return workspace.analyze();
}

interface Edit {
  name: string;
  file: string;
  /** The new text, or undefined to remove the file. */
  text: string | undefined;
}

const edit = (name: string, file: string, from: string, to: string): Edit => ({ name, file, text: currentText(file).replace(from, to) });
const texts = new Map<string, string>();
function currentText(file: string): string {
  return texts.get(path.join(dir, file)) ?? FILES[file] ?? '';
}

test('after each edit, the incremental result equals a fresh analysis, and unaffected walks are reused', () => {
  const workspace = new Workspace({ cwd: dir, paths: ['.'], config: {} });
  const first = workspace.analyze();
  assert.equal(first.walks.reused, 0);
  const removed = new Set<string>();
  const steps: (() => Edit)[] = [
    () => edit('low takes c then b: new order edges through mid', 'low.ts', 'using _b = b.lock();', 'using _c = c.lock();\n  using _b = b.lock();'),
    () => edit('low takes a under b: a cycle with mid', 'low.ts', 'using _c = c.lock();', 'using _a = a.lock();'),
    () => edit('low imports a as well', 'low.ts', "import { b, c, counters }", "import { a, b, c, counters }"),
    () => edit('the spawn site swaps the locks it hands the worker', 'main.ts', '{ m: a.handle, n: c.handle }', '{ m: c.handle, n: a.handle }'),
    () => edit('mid no longer calls takeB', 'mid.ts', '  takeB();\n', ''),
    () => edit('low renames takeC: mid now imports nothing by that name', 'low.ts', 'export function takeC()', 'export function takeC2()'),
    () => edit('low renames it back', 'low.ts', 'export function takeC2()', 'export function takeC()'),
    () => edit('a script declaring globals changes', 'script.ts', 'Atomics.store(flags, 0, 1);', 'flags[0]++;'),
    () => ({ name: 'a new module calls into low under a lock', file: 'extra.ts', text: "import { c } from './locks.js';\nimport { takeB } from './low.js';\nexport function extra(): void {\n  using _c = c.lock();\n  takeB();\n}\n" }),
    () => edit('top blocks in its coroutine', 'top.ts', '  viaMid();', "  viaMid();\n  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);"),
    () => ({ name: 'the new module is deleted', file: 'extra.ts', text: undefined }),
    () => edit('side changes alone', 'side.ts', 'using _1 = s1.lock();\n}', 'using _1 = s1.lock();\n  using _3 = s2.lock();\n}'),
    () => edit('low gains a check that cannot throw', 'low.ts', 'export function takeB()', 'export function check(n: number): void {\n  void n;\n}\nexport function takeB()'),
    () => edit('mid calls the check between lock and unlock', 'mid.ts', "import { takeB, takeC } from './low.js';", "import { check, takeB, takeC } from './low.js';\nexport function guarded(n: number): void {\n  a.lock();\n  check(n);\n  a.unlock();\n}"),
    () => edit('the check in low now throws: mid leaks on that path', 'low.ts', '  void n;', "  if (n < 0) throw new RangeError('negative');"),
    () => edit('side passes a lock-taking function by reference', 'side.ts', 'export function sideways(): void {', 'export function byReference(): void {\n  s1.withLock(nested);\n}\nexport function sideways(): void {'),
    () => edit('low gains a helper that returns one of its locks', 'low.ts', 'export function takeC()', 'export function pick(): typeof b {\n  return b;\n}\nexport function takeC()'),
  ];
  let reusedSomewhere = false;
  let last: AnalysisResult = first;
  for (const step of steps) {
    const { name, file, text } = step();
    const absolute = path.join(dir, file);
    if (text === undefined) {
      workspace.removeFile(absolute);
      texts.delete(absolute);
      removed.add(absolute);
    } else {
      workspace.setFile(absolute, text);
      texts.set(absolute, text);
      removed.delete(absolute);
    }
    const incremental = workspace.analyze();
    last = incremental;
    assert.deepEqual(visible(incremental), visible(fresh(texts, removed)), name);
    assert.ok(incremental.walks.run > 0, `${name}: the edited file is walked again`);
    if (incremental.walks.reused > 0) reusedSomewhere = true;
  }
  assert.ok(reusedSomewhere, 'no edit reused any walk');
  // The last edits reach the new mechanisms across files: a throwing callee, a callback passed by reference.
  const found = last.findings.map((f) => `${path.basename(f.span.file)}:${f.rule}`);
  assert.ok(found.includes('mid.ts:lock-leak'), `a lock leaks through low's throwing check: ${found.join(', ')}`);
  assert.ok(found.includes('side.ts:double-lock'), `nested() re-takes s1 under withLock: ${found.join(', ')}`);
});

test('an edit re-walks the edited file and the files that import it, and reuses the others', () => {
  const workspace = new Workspace({ cwd: dir, paths: ['.'], config: {} });
  const first = workspace.analyze();
  const total = first.walks.run;
  // side.ts is imported by nothing: editing it leaves every other file's walks valid.
  workspace.setFile(path.join(dir, 'side.ts'), `${FILES['side.ts']}// touched\n`);
  const afterSide = workspace.analyze();
  assert.equal(afterSide.walks.run + afterSide.walks.reused, total);
  assert.equal(afterSide.walks.run, 4, 'side.ts: its top level and its 3 lock-touching functions');
  // locks.ts is imported, directly or not, by every file but side.ts and script.ts (the worker through its spawn site).
  workspace.setFile(path.join(dir, 'locks.ts'), `${FILES['locks.ts']}// touched\n`);
  const afterLocks = workspace.analyze();
  assert.equal(afterLocks.walks.reused, 5, 'side.ts (4 walks) and script.ts (its top level)');
});

test('a run abandoned after an edit leaves that edit to the next run, rules included', () => {
  let abandon = false;
  const workspace = new Workspace({
    cwd: dir,
    paths: ['.'],
    config: {},
    onProgress: () => {
      if (abandon) throw new Error('abandoned');
    },
  });
  workspace.analyze();
  // low.ts is analysed from the start (it imports the locks), so this edit changes no file's membership.
  const low = path.join(dir, 'low.ts');
  const blocking = `${FILES['low.ts']}export async function poll(): Promise<void> {\n  Atomics.wait(counters, 2, 0);\n}\n`;
  workspace.setFile(low, blocking);
  abandon = true;
  assert.throws(() => workspace.analyze(), /abandoned/);
  abandon = false;
  const result = workspace.analyze();
  assert.deepEqual(visible(result), visible(fresh(new Map([[low, blocking]]), new Set())));
  assert.ok(result.walks.reused > 0, 'the run after the abandoned one still reuses what the edit cannot reach');
  assert.ok(result.findings.some((f) => f.rule === 'blocking-in-async' && f.span.file === low));
});

test('a Workspace keeps no earlier result alive: a long editing session does not grow', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const workspace = new Workspace({ cwd: dir, paths: ['.'], config: {} });
  const low = path.join(dir, 'low.ts');
  const first = new WeakRef(workspace.analyze());
  for (let k = 1; k <= 3; k++) {
    workspace.setFile(low, `${FILES['low.ts']}// edit ${k}\n`);
    void workspace.analyze().graph;
  }
  // A WeakRef holds its target until the current job ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(first.deref(), undefined, 'the first result is still reachable three analyses later');
});
