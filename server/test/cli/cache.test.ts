/**
 * `deadbolt check --cache`: a run with nothing changed is answered from the cache, and every change a result can
 * depend on misses it, so the cached output always equals a cold run's. The central case edits a file that others
 * import: findings in the importers change, and the cache must not hide it. Run in process through `run()`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { run } from '../../src/cli/run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LOCKS = `import { Mutex } from '@deadbolt/runtime';
export const a = new Mutex({ name: 'a' });
export const b = new Mutex({ name: 'b' });
`;
/** takeB holds b: mid's a -> b is an edge, and nothing else; the edit below makes takeB take a, under a. */
const LOW = `import { b } from './locks.js';
export function takeB(): void {
  using _b = b.lock();
}
`;
const MID = `import { a } from './locks.js';
import { takeB } from './low.js';
export function viaMid(): void {
  using _a = a.lock();
  takeB();
}
`;
const OTHER = `export function format(n: number): string {
  return n.toFixed(2);
}
`;

function write(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

write({ 'src/locks.ts': LOCKS, 'src/low.ts': LOW, 'src/mid.ts': MID, 'src/other.ts': OTHER });

async function check(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    cwd: dir,
    env: {},
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: (text: string) => ((stderr += text), true) },
  };
  const status = await run(['check', 'src', '--format', 'json', ...args], io);
  return { status, stdout, stderr };
}

const HIT = /results from \.deadboltcache/;

/** Runs with the cache and without it: the outputs must be equal; returns whether the cached run was a hit. */
async function cachedEqualsCold(): Promise<boolean> {
  const cached = await check(['--cache', '--verbose']);
  const cold = await check([]);
  assert.equal(cached.stdout, cold.stdout);
  assert.equal(cached.status, cold.status);
  return HIT.test(cached.stderr);
}

test('a first run writes the cache; a second with nothing changed is answered from it', async () => {
  assert.equal(await cachedEqualsCold(), false);
  assert.ok(existsSync(path.join(dir, '.deadboltcache')));
  assert.equal(await cachedEqualsCold(), true);
});

test('editing a file that others import misses, and the result equals a cold run', async () => {
  const before = await check(['--cache']);
  write({ 'src/low.ts': LOW.replace('b.lock()', 'a.lock()').replace('{ b }', '{ a }') });
  const after = await check(['--cache', '--verbose']);
  assert.doesNotMatch(after.stderr, HIT);
  assert.notEqual(after.stdout, before.stdout, 'the edit changes the findings of mid.ts, which imports low.ts');
  assert.match(after.stdout, /"rule": "double-lock"/);
  assert.equal(await cachedEqualsCold(), true);
});

test('editing a file the analysis never reads in a way the prefilter cannot see is still a hit', async () => {
  write({ 'src/other.ts': OTHER.replace('toFixed(2)', 'toFixed(3)') });
  assert.equal(await cachedEqualsCold(), true);
});

test('a file that starts importing a lock module, a new file and a changed configuration each miss', async () => {
  write({ 'src/other.ts': `import { a } from './locks.js';\n${OTHER}export function lockedFormat(): void {\n  a.lock();\n}\n` });
  assert.equal(await cachedEqualsCold(), false);
  assert.equal(await cachedEqualsCold(), true);
  write({ 'src/added.ts': `import { b } from './locks.js';\nexport function leak(): void {\n  b.lock();\n}\n` });
  assert.equal(await cachedEqualsCold(), false);
  write({ 'deadbolt.config.json': '{ "rules": { "lock-leak": "off" } }' });
  assert.equal(await cachedEqualsCold(), false);
  assert.equal(await cachedEqualsCold(), true);
});

test('--cache-location names the file, or a folder to hold .deadboltcache', async () => {
  await check(['--cache', '--cache-location', 'build/cache/']);
  assert.ok(existsSync(path.join(dir, 'build', 'cache', '.deadboltcache')));
  await check(['--cache', '--cache-location', 'ci.cache']);
  assert.ok(existsSync(path.join(dir, 'ci.cache')));
  const hit = await check(['--cache', '--cache-location', 'ci.cache', '--verbose']);
  assert.match(hit.stderr, /results from ci\.cache/);
});
