/**
 * Fixture and fix tests for the `blocking-in-async` rule (test-fixtures/blocking-in-async), whose fixtures also
 * mark the sync I/O that `sync-io-in-async` reports beside it: the two rules share their walk and their fixes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';
import type { DeadboltConfig, Finding } from '../../src/engine/index.js';

const config: DeadboltConfig = { blockingFunctions: ['legacyWait', './spin.js#waitForever'] };
checkFixtureFolder('blocking-in-async', { config, rules: ['blocking-in-async', 'sync-io-in-async'] });

function fixture(file: string): string {
  return readFileSync(path.join(FIXTURES_ROOT, 'blocking-in-async', file), 'utf8');
}

function findingOn(file: string, fragment: string): { finding: Finding; text: string; line: number } {
  const text = fixture(file);
  const line = text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
  assert.ok(line > 0, fragment);
  const finding = findingsIn('blocking-in-async', file, undefined, config).find((f) => f.span.line === line && (f.rule === 'blocking-in-async' || f.rule === 'sync-io-in-async'));
  assert.ok(finding, `no finding on ${file}:${line}`);
  return { finding, text, line };
}

/** Applies the preferred fix of the finding on the line holding `fragment`; returns the fixed file. */
function fixed(file: string, fragment: string): string | undefined {
  const { finding, text } = findingOn(file, fragment);
  const fix = finding.fixes.find((f) => f.preferred);
  return fix === undefined ? undefined : applyEdits(text, fix.edits);
}

/** The fixed line, counted from the end of the file since import edits above it may add or remove lines. */
function fixedLine(file: string, fragment: string): string | undefined {
  const { line, text } = findingOn(file, fragment);
  const fromEnd = text.split('\n').length - line;
  const lines = fixed(file, fragment)?.split('\n');
  return lines?.[lines.length - 1 - fromEnd]!.replace(/ \/\/ expect:.*$/, '').trim();
}

const lineFixes: [string, string][] = [
  ['using _guard = mutex.lock();', 'using _guard = await mutex.lockAsync();'],
  ['permits.acquire();', 'await permits.acquireAsync();'],
  ['this.changed.wait();', 'await this.changed.waitAsync();'],
  ['const item = queue.get();', 'const item = await queue.getAsync();'],
  ['return Atomics.wait(signal, 0, 0, 100);', 'return await Atomics.waitAsync(signal, 0, 0, 100).value;'],
  ['fs.writeFileSync(path, text);', 'await fs.promises.writeFile(path, text);'],
  ['ready.wait();', 'await ready.waitAsync();'],
  ['mutex.withLock(() => undefined);', 'await mutex.withLockAsync(() => undefined);'],
];

for (const [fragment, expected] of lineFixes) {
  test(`fix: ${fragment}`, () => {
    assert.equal(fixedLine('direct.ts', fragment), expected);
  });
}

test('fix: readFileSync becomes await readFile with an import from node:fs/promises', () => {
  const out = fixed('direct.ts', 'JSON.parse(readFileSync(path');
  assert.ok(out);
  assert.match(out, /return JSON\.parse\(await readFile\(path, 'utf8'\)\);/);
  assert.match(out, /import \{ pbkdf2Sync \} from 'node:crypto';\nimport \{ readFile \} from 'node:fs\/promises';\n/);
});

test('fix: a member access on the result is parenthesised', () => {
  const out = fixed('direct.ts', 'return readFileSync(path).toString()');
  assert.match(out ?? '', /return \(await readFile\(path\)\)\.toString\(\)\.split/);
});

test('fix: lockAll becomes await lockAllAsync, renaming its import when that was its last use', () => {
  const out = fixed('direct.ts', 'lockAll([mutex, other]');
  assert.ok(out);
  assert.match(out, /await lockAllAsync\(\[mutex, other\], \(\) => undefined\);/);
  assert.match(out, /import \{ Barrier, Condition, Event, Mutex, Semaphore, SharedQueue, lockAllAsync \} from '@deadbolt\/runtime';/);
});

test('fix: lockAll through a namespace stays on the namespace, and is not a use of the named import', () => {
  const out = fixed('runtime-methods.ts', '  lockAll([a, b], () => undefined); // expect');
  assert.ok(out);
  assert.match(out, /^\s+await lockAllAsync\(\[a, b\], \(\) => undefined\);/m);
  assert.match(out, /SharedQueue, lockAllAsync, type SharedQueueHandle \} from '@deadbolt\/runtime';/);
  assert.equal(fixedLine('runtime-methods.ts', 'runtime.lockAll('), 'await runtime.lockAllAsync([a, b], () => undefined);');
});

test('fix: the last use of a named import removes it; the line of a lone import takes the new import', () => {
  const out = fixed('fix-imports.ts', 'return readFileSync(p');
  assert.ok(out);
  assert.match(out, /return await readFile\(p, 'utf8'\);/);
  assert.match(out, /import \{ existsSync, statSync \} from 'node:fs';\nimport \{ readFile \} from 'node:fs\/promises';\n\nexport const mutex/);
  assert.doesNotMatch(out, /readFileSync/);
});

test('fix: the last use of one name of several removes only that name', () => {
  const out = fixed('fix-imports.ts', 'return statSync(p)');
  assert.ok(out);
  assert.match(out, /return \(await stat\(p\)\)\.size;/);
  assert.match(out, /import \{ existsSync \} from 'node:fs';\nimport \{ readFileSync \} from 'node:fs';\nimport \{ stat \} from 'node:fs\/promises';\n/);
});

test('fix: an import still used elsewhere stays', () => {
  const out = fixed('direct.ts', 'JSON.parse(readFileSync(path');
  assert.match(out ?? '', /^import \{ readFileSync \} from 'node:fs';$/m);
});

const runtimeFixes: [string, string][] = [
  ['const job = queue.get({ timeout: 100 });', 'const job = await queue.getAsync({ timeout: 100 });'],
  ['queue.put({ id: job.id + 1 });', 'await queue.putAsync({ id: job.id + 1 });'],
  ['queue.join();', 'await queue.joinAsync();'],
  ['return queue.get();', 'return await queue.getAsync();'],
  ['this.inbox.put({ id: 1 }, { priority: 2 });', 'await this.inbox.putAsync({ id: 1 }, { priority: 2 });'],
  ['this.outbox?.put({ id: 2 });', 'await this.outbox?.putAsync({ id: 2 });'],
  ['this.outbox!.join();', 'await this.outbox!.joinAsync();'],
  ['reentrant.lock();', 'await reentrant.lockAsync();'],
  ['reentrant.withLock(() => 1);', 'await reentrant.withLockAsync(() => 1);'],
  ['return mutex.withLock(() => 2);', 'return await mutex.withLockAsync(() => 2);'],
  ['semaphore.acquire({ timeout: 50 });', 'await semaphore.acquireAsync({ timeout: 50 });'],
  ['semaphore.withPermit(() => undefined);', 'await semaphore.withPermitAsync(() => undefined);'],
  ['changed.wait();', 'await changed.waitAsync();'],
  ['changed.waitFor(() => flag.done);', 'await changed.waitForAsync(() => flag.done);'],
  ['ready.wait();', 'await ready.waitAsync();'],
  ['gate.wait();', 'await gate.waitAsync();'],
];

for (const [fragment, expected] of runtimeFixes) {
  test(`fix: ${fragment}`, () => {
    assert.equal(fixedLine('runtime-methods.ts', fragment), expected);
  });
}

const expressionBodyFixes: [string, string][] = [
  ['export const load = async', 'export const load = async (p: string): Promise<Buffer> => await readFile(p);'],
  ['export const tasks', 'export const tasks = [async (): Promise<number> => await mutex.withLockAsync(() => 1)];'],
  ['export const size = async', 'export const size = async (p: string): Promise<number> => (await readFile(p)).length;'],
];

for (const [fragment, expected] of expressionBodyFixes) {
  test(`fix in an expression body: ${fragment}`, () => {
    assert.equal(fixedLine('expression-bodies.ts', fragment), expected);
  });
}

test('an expression-bodied arrow is named in the message, and a chain through an expression-bodied helper is followed', () => {
  assert.match(findingOn('expression-bodies.ts', 'export const load = async').finding.message, /inside async function `load`/);
  assert.match(findingOn('expression-bodies.ts', 'export const restLonger').finding.message, /`doze\(\)` → `Atomics\.wait\(\)`/);
  assert.equal(fixed('expression-bodies.ts', 'export const rest = async'), undefined, 'a chain through helpers needs a person');
});

test('no automatic fix where await is impossible or there is no twin', () => {
  assert.equal(fixed('direct.ts', 'paths.map((p) => readFileSync'), undefined, 'inside a sync callback');
  assert.equal(fixed('direct.ts', "execSync('make')"), undefined, 'child_process has no drop-in twin');

});

test('a chain through helpers of the module is made async: each helper, its blocking call and every call of it', () => {
  const text = fixed('transitive.ts', 'backoff(attempt)');
  assert.ok(text !== undefined, 'a fix is offered');
  for (const line of [
    'async function sleep(ms: number): Promise<void> {',
    '  await Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms).value;',
    'async function backoff(attempt: number): Promise<void> {',
    '  await sleep(2 ** attempt);',
    '    await backoff(attempt); // expect: blocking-in-async',
    '  await sleep(10); // expect: blocking-in-async',
  ]) {
    assert.ok(text.split('\n').includes(line), `missing ${JSON.stringify(line)} in:\n${text}`);
  }
  // spinFor is exported from another module, whose other callers this module cannot see.
  assert.equal(fixed('transitive.ts', 'spinFor(5)'), undefined, 'a helper of another module');
});

test('a transitive finding names the chain and points at every step', () => {
  const { finding } = findingOn('transitive.ts', 'backoff(attempt)');
  assert.match(finding.message, /`backoff\(\)` → `sleep\(\)` → `Atomics\.wait\(\)`/);
  assert.match(finding.message, /async function `retry`/);
  const text = fixture('transitive.ts').split('\n');
  const related = finding.related.map((r) => text[r.span.line - 1]!.trim());
  assert.deepEqual(related, ['sleep(2 ** attempt);', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);']);
  assert.match(finding.related.at(-1)!.message, /blocks here/);
});

test('a transitive chain across files and through a method', () => {
  assert.match(findingOn('transitive.ts', 'spinFor(5)').finding.message, /a busy-wait loop/);
  assert.match(findingOn('transitive.ts', 'this.take()').finding.message, /`takeJob\(\)` → `mutex\.lock\(\)`/);
});

test('messages name the blocking call and the coroutine', () => {
  const { finding } = findingOn('direct.ts', 'this.changed.wait();');
  assert.match(finding.message, /`this\.changed\.wait\(\)` \(Condition\.wait\) blocks the thread inside async method `waitForChange`/);
  assert.match(finding.message, /waitAsync/);
  assert.match(findingOn('direct.ts', "execSync('make')").finding.message, /\(child_process\)/);
});

test('configured functions are only reported when configured', () => {
  const unconfigured = findingsIn('blocking-in-async', 'configured.ts', 'blocking-in-async', {});
  assert.deepEqual(unconfigured, []);
});
