/** Rule `async-atomicity`: the fixture folder's expectations, and the text of its fixes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Workspace } from '../../src/engine/index.js';
import { applyEdits, checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';

checkFixtureFolder('async-atomicity');

/** The lines `from` to `to` of `file` after applying the fix of the finding on the line holding `fragment`. */
function fixed(file: string, fragment: string, from: number, to: number): { text: string; safety: string } | undefined {
  const text = readFileSync(path.join(FIXTURES_ROOT, 'async-atomicity', file), 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
  assert.ok(line > 0, fragment);
  const finding = findingsIn('async-atomicity', file, 'async-atomicity').find((f) => f.span.line === line);
  assert.ok(finding, `no finding on line ${line} of ${file}`);
  const fix = finding.fixes[0];
  if (fix === undefined) return undefined;
  const lines = applyEdits(text, fix.edits).split('\n');
  return { text: lines.slice(line - 1 + from, line + to).map((l) => l.trim()).join('\n'), safety: fix.safety };
}

test('a lost update whose await is in the written expression awaits first, into a constant', () => {
  assert.deepEqual(fixed('lost-update.ts', 'this.balance = this.balance - await price(item)', 0, 1), {
    text: 'const awaited = await price(item);\nthis.balance = this.balance - awaited; // expect: async-atomicity',
    safety: 'safe',
  });
  assert.deepEqual(fixed('lost-update.ts', 'this.balance -= await price(item)', 0, 1), {
    text: 'const awaited = await price(item);\nthis.balance -= awaited; // expect: async-atomicity',
    safety: 'safe',
  });
});

test('a lost update through a local read earlier has no fix: where to read again is the author\'s call', () => {
  assert.equal(fixed('lost-update.ts', 'this.spent.set(item, before + cost)', 0, 0), undefined);
});

test('a batch taken into a constant is emptied before the await (swap, then write)', () => {
  assert.deepEqual(fixed('lost-batch.ts', 'this.queue = []; // expect', -2, 0), {
    text: 'const batch = this.queue;\nthis.queue = [];\nawait new Promise<void>((resolve) => this.worker.once(\'message\', () => resolve()).postMessage(batch));',
    safety: 'safe',
  });
});

test('a batch handed straight to the call, or emptied with .length = 0, has no fix', () => {
  assert.equal(fixed('lost-batch.ts', 'this.insertBuffer.length = 0; // expect', 0, 0), undefined);
});

/** Fixes of cache-stampede.ts: the line holding the fragment, how many lines after it to read, the text they become. */
const RECHECKS: { why: string; fragment: string; after: number; text: string }[] = [
  { why: 'an `if` around the write', fragment: 'cache.set(url, text); // expect', after: 0, text: 'if (!cache.has(url)) cache.set(url, text);' },
  { why: 'an `if` that returns early: its condition, negated', fragment: 'client = await connect(); // expect', after: 1, text: 'const awaited = await connect();\nif (!client) client = awaited;' },
  { why: 'a write that is the whole branch of its `if`: braces', fragment: 'if (!cache.has(url)) cache.set(url, await load(url))', after: 0, text: 'if (!cache.has(url)) { const awaited = await load(url); if (!cache.has(url)) cache.set(url, awaited); }' },
  { why: 'an equality: its opposite operator', fragment: 'token = fresh; // expect', after: 0, text: 'if (token === undefined) token = fresh;' },
  { why: 'a write that awaits after an earlier await: its own await first', fragment: 'outputs[key] = await load(`/out/${key}`); // expect', after: 1, text: 'const awaited = await load(`/out/${key}`);\nif (!(key in outputs)) outputs[key] = awaited;' },
  { why: '`??=`: the target tested again, inside a check that keeps the call lazy', fragment: 'shared ??= await connect(); // expect', after: 3, text: 'if (shared == null) {\nconst awaited = await connect();\nshared ??= awaited;\n}' },
];

test('a check-then-act checks again right before its write (unsafe), awaiting first when the write awaits', () => {
  for (const { why, fragment, after, text } of RECHECKS) {
    assert.deepEqual(fixed('cache-stampede.ts', fragment, 0, after), { text: `${text} // expect: async-atomicity`, safety: 'unsafe' }, why);
  }
});

/** The whole text of `file` after the first fix of the finding on the line holding `fragment`, and that fix. */
function fixedFile(file: string, fragment: string): { text: string; title: string; safety: string } {
  const text = readFileSync(path.join(FIXTURES_ROOT, 'async-atomicity', file), 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
  const fix = findingsIn('async-atomicity', file, 'async-atomicity').find((f) => f.span.line === line)?.fixes[0];
  assert.ok(fix, `no fix on line ${line} of ${file}`);
  return { text: applyEdits(text, fix.edits), title: fix.title, safety: fix.safety };
}

test('state another function empties gets a generation count, bumped by the invalidation and compared before the write', () => {
  // CacheStore.drop() deletes the entry: a second check would pass after it, the count does not.
  const { text, title, safety } = fixedFile('cache-stampede.ts', 'this.data[key] = await value(); // expect');
  assert.match(title, /generation check/);
  assert.equal(safety, 'unsafe');
  assert.match(text, /private data: Record<string, string> = \{\};\n {2}private dataGeneration = 0;/);
  assert.match(text, /const generation = this\.dataGeneration;\n {6}const awaited = await value\(\);\n {6}if \(generation === this\.dataGeneration\) this\.data\[key\] = awaited;/);
  assert.match(text, /delete this\.data\[key\];\n {4}this\.dataGeneration\+\+;/);
  // The count is read before the first await, not before the write.
  const { text: mode } = fixedFile('generation-token.ts', 'this.mode = `${next}:${mode}`');
  assert.match(mode, /const generation = this\.modeGeneration;\n {4}await performKeyReservation/);
  assert.match(mode, /if \(generation === this\.modeGeneration\) this\.mode = /);
});

test('a check of state the coroutine writes before the checked write has no fix: the second check would read its own store', () => {
  assert.equal(fixed('cache-stampede.ts', 'this.#marketsAt = now; // expect', 0, 0), undefined);
});

test('adding to a set after a check has no fix: checking again would hide the work done twice, not prevent it', () => {
  assert.equal(fixed('per-run-state.ts', 'archived.add(path); // expect', 0, 0), undefined);
});

/** The message of the finding on the line holding `fragment` in lost-batch.ts. */
function messageAt(fragment: string): string {
  const text = readFileSync(path.join(FIXTURES_ROOT, 'async-atomicity', 'lost-batch.ts'), 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
  const finding = findingsIn('async-atomicity', 'lost-batch.ts', 'async-atomicity').find((f) => f.span.line === line);
  assert.ok(finding, `no finding on line ${line} of lost-batch.ts`);
  return finding.message;
}

test('a lost batch is told how to take the entries out for the type of the collection', () => {
  assert.match(messageAt('this.insertBuffer.length = 0; // expect'), /`const batch = this\.insertBuffer\.splice\(0\)`/);
  const map = messageAt('this.threadWorkers.clear(); // expect');
  assert.match(map, /`const batch = this\.threadWorkers; this\.threadWorkers = new Map\(\);`/);
  assert.doesNotMatch(map, /splice/);
  const set = messageAt('this.dirty.clear(); // expect');
  assert.match(set, /`const batch = new Set\(this\.dirty\); this\.dirty\.clear\(\);`/);
  assert.doesNotMatch(set, /splice/);
});

test('a second refill of the same invalidated state reuses the count the first fix declared; comments stay put', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'deadbolt-generation-'));
  const file = path.join(folder, 'db.ts');
  // absurd-sql src/examples/bench/main.worker.js: getDatabase() opens `_db` on two paths, closeDatabase() forgets it.
  writeFileSync(file, [
    'declare function open(raw: boolean): Promise<{ close(): void }>;',
    'let db: { close(): void } | null = null; // opened lazily',
    'export function closeDatabase(): void {',
    '  db = null; // closed',
    '}',
    'export async function getDatabase(raw: boolean): Promise<void> {',
    '  if (db == null) {',
    '    if (raw) {',
    '      db = await open(true);',
    '      return;',
    '    }',
    "    if (typeof SharedArrayBuffer === 'undefined') await open(false);",
    '    db = await open(false);',
    '  }',
    '}',
    'let cached: string | undefined;',
    'export function forget(): void {',
    '  cached = undefined;',
    '}',
    'export async function lazily(): Promise<void> {',
    "  if (typeof SharedArrayBuffer === 'undefined') {",
    "    cached ??= await open(true).then(() => 'opened');",
    '  }',
    '}',
    '',
  ].join('\n'));
  try {
    const workspace = new Workspace({ cwd: folder, paths: ['.'] });
    // `cached ??= await ...` is invalidated by forget(): a generation check would have to await first and so call
    // open() even when `cached` is set; no fix rather than that.
    const lazy = workspace.analyze().findings.find((f) => f.rule === 'async-atomicity' && f.message.includes('`cached`'));
    assert.ok(lazy, 'the ??= refill is reported');
    assert.equal(lazy.fixes.length, 0);
    const first = workspace.analyze().findings.find((f) => f.rule === 'async-atomicity');
    assert.ok(first?.fixes[0], 'no fix for the first refill');
    const once = applyEdits(readFileSync(file, 'utf8'), first.fixes[0].edits);
    workspace.setFile(file, once);
    const second = workspace.analyze().findings.find((f) => f.rule === 'async-atomicity');
    assert.ok(second?.fixes[0], 'no fix for the second refill');
    const text = applyEdits(once, second.fixes[0].edits);
    assert.equal(text.match(/let dbGeneration = 0;/g)?.length, 1, text);
    assert.equal(text.match(/dbGeneration\+\+;/g)?.length, 1, text);
    assert.equal(text.match(/=== dbGeneration\)/g)?.length, 2, text);
    // Line-end comments stay on the lines they annotate.
    assert.match(text, /= null; \/\/ opened lazily\nlet dbGeneration = 0;/);
    assert.match(text, /db = null; \/\/ closed\n {2}dbGeneration\+\+;/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
