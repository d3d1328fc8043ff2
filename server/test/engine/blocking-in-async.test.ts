/** Fixture and fix tests for the `blocking-in-async` rule (test-fixtures/blocking-in-async). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyEdits, checkFixtureFolder, findingsIn, FIXTURES_ROOT } from '../helpers/fixtures.js';
import type { DeadboltConfig, Finding } from '../../src/engine/index.js';

const config: DeadboltConfig = { blockingFunctions: ['legacyWait', './spin.js#waitForever'] };
checkFixtureFolder('blocking-in-async', { config });

function fixture(file: string): string {
  return readFileSync(path.join(FIXTURES_ROOT, 'blocking-in-async', file), 'utf8');
}

function findingOn(file: string, fragment: string): { finding: Finding; text: string; line: number } {
  const text = fixture(file);
  const line = text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
  assert.ok(line > 0, fragment);
  const finding = findingsIn('blocking-in-async', file, 'blocking-in-async', config).find((f) => f.span.line === line);
  assert.ok(finding, `no finding on ${file}:${line}`);
  return { finding, text, line };
}

/** Applies the preferred fix of the finding on the line holding `fragment`; returns the fixed file. */
function fixed(file: string, fragment: string): string | undefined {
  const { finding, text } = findingOn(file, fragment);
  const fix = finding.fixes.find((f) => f.preferred);
  return fix === undefined ? undefined : applyEdits(text, fix.edits);
}

function fixedLine(file: string, fragment: string): string | undefined {
  const { line } = findingOn(file, fragment);
  return fixed(file, fragment)?.split('\n')[line - 1]!.replace(/ \/\/ expect:.*$/, '').trim();
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

test('fix: lockAll becomes await lockAllAsync, extending the runtime import', () => {
  const out = fixed('direct.ts', 'lockAll([mutex, other]');
  assert.ok(out);
  assert.match(out, /await lockAllAsync\(\[mutex, other\], \(\) => undefined\);/);
  assert.match(out, /import \{ Barrier, Condition, Event, Mutex, Semaphore, SharedQueue, lockAll, lockAllAsync \} from '@deadbolt\/runtime';/);
});

test('no automatic fix where await is impossible or there is no twin', () => {
  assert.equal(fixed('direct.ts', 'paths.map((p) => readFileSync'), undefined, 'inside a sync callback');
  assert.equal(fixed('direct.ts', "execSync('make')"), undefined, 'child_process has no drop-in twin');
  assert.equal(fixed('direct.ts', 'gate.wait()') === undefined, false, 'Barrier.wait has waitAsync');
  assert.equal(fixed('transitive.ts', 'backoff(attempt)'), undefined, 'a chain through helpers needs a person');
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
