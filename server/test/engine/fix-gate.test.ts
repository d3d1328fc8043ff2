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
import { analyze, applyEdits, isCancellation, Workspace, type Finding, type Fix, type TextEdit } from '../../src/engine/index.js';
import { comparableError } from '../../src/engine/fix-gate.js';

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
    // add() awaits inside its section, so clear() can run in the middle of it: a real race on one thread.
    'src/cache.ts': `import { Mutex } from 'async-mutex';

async function normalise(entry: string): Promise<string> {
  return entry.trim();
}

export class Cache {
  private readonly mutex = new Mutex();
  private entries: string[] = [];

  async add(entry: string): Promise<void> {
    await this.mutex.runExclusive(async () => {
      const normalised = await normalise(entry);
      this.entries = [...this.entries, normalised];
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

/** async-mutex as `npm install` leaves it: its own declarations, without the runtime's method names. */
const ASYNC_MUTEX_TYPES = `export interface MutexInterface {
  acquire(): Promise<() => void>;
  runExclusive<T>(callback: () => T | Promise<T>): Promise<T>;
  release(): void;
}
export declare class Mutex implements MutexInterface {
  acquire(): Promise<() => void>;
  runExclusive<T>(callback: () => T | Promise<T>): Promise<T>;
  release(): void;
}
`;

test('the gate drops each of the issue\'s three broken rewrites from what is offered, where the types can tell', (t) => {
  const dir = project(t, {
    'tsconfig.json': tsconfig(['ES2023']),
    'node_modules/async-mutex/package.json': JSON.stringify({ name: 'async-mutex', version: '0.5.0', types: 'index.d.ts' }),
    'node_modules/async-mutex/index.d.ts': ASYNC_MUTEX_TYPES,
    'src/worker.ts': WAITS,
    'src/store.ts': `import { Mutex } from 'async-mutex';

const mutex = new Mutex();
const rows = new Map<string, string>();

export async function read(key: string): Promise<string | null> {
  try {
    const release = await mutex.acquire();
    try {
      return rows.get(key) ?? null;
    } finally {
      release();
    }
  } catch {
    return null;
  }
}

export async function write(key: string, value: string): Promise<void> {
  await mutex.runExclusive(() => {
    rows.set(key, value);
  });
}
`,
  });
  const workspace = new Workspace({ cwd: dir, tsconfig: 'tsconfig.json', config: {} });
  const findings = workspace.analyze().findings;
  const worker = path.join(dir, 'src', 'worker.ts');
  const store = path.join(dir, 'src', 'store.ts');
  const replace = (file: string, old: string, newText: string): TextEdit => {
    const start = readFileSync(file, 'utf8').indexOf(old);
    assert.ok(start >= 0, `${old} is in ${file}`);
    return { file, start, end: start + old.length, newText };
  };
  // The rewrites the issue reports, as an engine without the gate or its lock-API checks would have offered them.
  const broken: Record<string, Fix> = {
    'TS2550 waitAsync under lib ES2023': {
      title: 'Use await Atomics.waitAsync(...).value',
      safety: 'safe',
      preferred: true,
      edits: [replace(worker, 'Atomics.wait(control, 0, 0, 1000)', 'await Atomics.waitAsync(control, 0, 0, 1000).value')],
    },
    'TS2339 withLockAsync on an async-mutex Mutex': {
      title: 'Run the write under mutex',
      safety: 'safe',
      preferred: false,
      edits: [replace(store, 'await mutex.runExclusive(() => {', 'await mutex.withLockAsync(async () => {')],
    },
    'TS2339 await await acquireAsync': {
      title: 'Use acquireAsync',
      safety: 'safe',
      preferred: false,
      edits: [replace(store, 'await mutex.acquire()', 'await await mutex.acquireAsync()')],
    },
  };
  for (const [why, fix] of Object.entries(broken)) {
    const verdict = workspace.checkEdits(fix.edits);
    assert.equal(verdict.ok, false, `${why} is refused`);
    assert.match(verdict.added.join('\n'), new RegExp(why.split(' ')[0]!), why);
  }
  const carrier: Finding = { ...findings[0]!, fixes: Object.values(broken) };
  const [offered] = workspace.checkFixes([carrier]);
  assert.deepEqual(offered!.fixes, [], 'none of them is offered');
  for (const finding of workspace.checkFixes(findings)) {
    for (const fix of finding.fixes) {
      const text = fix.edits.map((e) => e.newText).join('\n');
      assert.doesNotMatch(text, /waitAsync|withLockAsync|acquireAsync|await await/, `${finding.rule}: ${fix.title}`);
    }
  }
});

test('a fix check a newer edit made moot stops with a cancellation, and the next check still answers', (t) => {
  const dir = project(t, { 'tsconfig.json': tsconfig(['ES2024']), 'src/worker.ts': WAITS });
  const workspace = new Workspace({ cwd: dir, tsconfig: 'tsconfig.json', config: {} });
  const findings = workspace.analyze().findings;
  assert.ok(findings.some((f) => f.fixes.length > 0), 'a fix to check');
  assert.throws(() => workspace.checkFixes(findings, () => true, () => true), isCancellation);
  const checked = workspace.checkFixes(findings, () => true, () => false);
  assert.deepEqual(checked.flatMap((f) => f.fixes.map((fix) => fix.title)), ['Use await Atomics.waitAsync(...).value']);
});

test('a file of a "type": "module" package is checked in the module format the analysis read it in: its extensionless imports add no error', (t) => {
  // tinypool and PGlite write `from '../common'` in ESM packages: read as ESM, each such import is TS2835. The
  // analysed program reads the file as CommonJS, so the edited copy must too, or every fix there is refused for them.
  const dir = project(t, {
    'package.json': JSON.stringify({ type: 'module' }),
    'src/common.ts': 'export const kField = 0;\n',
    'src/worker.ts': `import { kField } from './common';\n\n${WAITS.replace('control, 0, 0, 1000', 'control, kField, 0, 1000')}`,
  });
  const workspace = new Workspace({ cwd: dir, paths: ['src'], config: {} });
  const finding = only(workspace.analyze().findings, 'blocking-in-async');
  const file = path.join(dir, 'src', 'worker.ts');
  const at = readFileSync(file, 'utf8').indexOf('return Atomics.load');
  // An edit that cannot add an error of its own: a comment line.
  assert.deepEqual(workspace.checkEdits([{ file, start: at, end: at, newText: '// next job\n  ' }]), { ok: true, added: [] });
  assert.deepEqual(finding.fixes.map((f) => f.title), ['Use await Atomics.waitAsync(...).value']);
  // And an edit that does add one is still refused.
  assert.equal(workspace.checkEdits([{ file, start: at, end: at, newText: 'const n: number = "x";\n  ' }]).ok, false);
});

test('the programs the gate builds on one analysis resolve each module once: imports that do not resolve are not probed for again', (t) => {
  // prisma's JSON output (a clone without node_modules) asked for 37 programs, one per fix of its busiest file, and
  // each resolved every package import of the project afresh: TypeScript reuses only resolutions that succeeded.
  const packages = ['vitest', '@prisma/client', 'zod', 'pathe', 'execa', 'tinyglobby'];
  const dir = project(t, {
    'tsconfig.json': tsconfig(['ES2023']),
    'src/io.ts': `${packages.map((name, i) => `import * as p${i} from '${name}';`).join('\n')}
import { Mutex } from '@deadbolt/runtime';

const lock = new Mutex();
export const used = [${packages.map((_, i) => `p${i}`).join(', ')}];
let total = 0;

export function add(): number {
  lock.lock();
  total += 1;
  return total;
}
`,
  });
  const workspace = new Workspace({ cwd: dir, tsconfig: 'tsconfig.json', config: {} });
  workspace.analyze();
  const file = path.join(dir, 'src', 'io.ts');
  const at = readFileSync(file, 'utf8').indexOf('total += 1;') + 'total += '.length;
  // Three fixes of one file: three programs, as the gate checks one fix of a file at a time.
  const first = workspace.checkEdits([{ file, start: at, end: at + 1, newText: '2' }]);
  assert.deepEqual(first, { ok: true, added: [] });
  const once = workspace.gateStats.lookups;
  assert.ok(once > packages.length, `the first program probes for the ${packages.length} packages (${once} probes)`);
  for (const newText of ['3', '4']) assert.deepEqual(workspace.checkEdits([{ file, start: at, end: at + 1, newText }]), { ok: true, added: [] });
  assert.equal(workspace.gateStats.checks, 3);
  assert.equal(workspace.gateStats.lookups, once, 'the second and third programs reuse the first one\'s resolutions, failed ones included');
});

test('an import error worded with and without its suggestion compares as one error', () => {
  // TypeScript words one extensionless import two ways (continue's core/ under NodeNext: 2835 in one program state,
  // 2834 in the next), which read as a new error after an edit that did not touch the import.
  const head = "Relative import paths need explicit file extensions in ECMAScript imports when '--moduleResolution' is 'node16' or 'nodenext'.";
  const suggesting = comparableError(2835, `${head} Did you mean './uri.js'?`);
  const plain = comparableError(2834, `${head} Consider adding an extension to the import path.`);
  assert.deepEqual(suggesting, plain);
  assert.deepEqual(plain, { code: 2834, message: head });
  // Errors that differ stay apart.
  assert.notDeepEqual(comparableError(2304, "Cannot find name 'a'."), comparableError(2304, "Cannot find name 'b'."));
  assert.deepEqual(comparableError(2552, "Cannot find name 'fo'. Did you mean 'foo'?"), { code: 2304, message: "Cannot find name 'fo'." });
});
