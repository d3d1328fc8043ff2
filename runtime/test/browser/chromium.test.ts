/**
 * The runtime in a real browser: Debian's Chromium, driven by Playwright, loads the runtime bundled by esbuild from a
 * local server (server.ts). Module Web Workers share every primitive and the counts come out exact; the page's main
 * thread gets BlockingNotAllowedError from every blocking call; a page that is not cross-origin isolated loads the
 * runtime and hears why it cannot create a lock; the IIFE bundle works in a classic script. Without Chromium this
 * suite fails, saying how to install it.
 */

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WITHIN_MS } from '../harness.js';
import { startServer, type SuiteServer } from './server.js';

const CHROMIUM = process.env['DEADBOLT_CHROMIUM'] ?? '/usr/bin/chromium';
/** A scenario runs thousands of lock rounds in workers on a machine that may be busy: its bound, not its expected time. */
const SCENARIO_MS = 3 * WITHIN_MS;

let server: SuiteServer | undefined;
let browser: Browser | undefined;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the runtime's browser suite needs it. Install Debian's package ` +
        '(apt-get install chromium, as .ci/run does) or set DEADBOLT_CHROMIUM to a Chromium executable.',
    );
  }
  server = await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: WITHIN_MS,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path`, waits for its script to say it is ready, and fails on any uncaught page error. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  page.setDefaultTimeout(SCENARIO_MS);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server!.url}${path}`);
  await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true, undefined, { timeout: WITHIN_MS });
  return { page, errors };
}

/** Runs one scenario of assets/page.js in a fresh page and returns its result. */
async function scenario<T>(name: string): Promise<T> {
  const { page, errors } = await open('/');
  try {
    const result = await page.evaluate((n) => (globalThis as unknown as { run(name: string): Promise<unknown> }).run(n), name);
    assert.deepEqual(errors, [], `uncaught errors on the page during ${name}`);
    return result as T;
  } finally {
    await page.close();
  }
}

test('Mutex: four module workers (blocking lock) and the page (withLockAsync) lose no increment', async () => {
  const r = await scenario<{ counter: number; expected: number }>('mutex');
  assert.equal(r.counter, r.expected);
});

test("the page's lockAsync waits without blocking it (timers and frames run), and honours abort and timeout", async () => {
  const r = await scenario<{ takenWhileHeld: boolean; endings: string[] }>('responsive');
  assert.equal(r.takenWhileHeld, false);
  assert.deepEqual(r.endings, ['AbortError', 'TimeoutError']);
});

test('RecursiveMutex: re-entered in three workers, exact', async () => {
  const r = await scenario<{ counter: number; expected: number }>('recursive');
  assert.equal(r.counter, r.expected);
});

test('Semaphore(2): never more than two holders among four workers, and every permit returned', async () => {
  const r = await scenario<{ most: number; inside: number; available: number }>('semaphore');
  assert.ok(r.most >= 1 && r.most <= 2, `most holders at once: ${r.most}`);
  assert.equal(r.inside, 0);
  assert.equal(r.available, 2);
});

test('Condition: three workers take strict turns, no notify lost', async () => {
  const r = await scenario<{ turns: number; expected: number }>('condition');
  assert.equal(r.turns, r.expected);
});

test('Event: workers wait until the page sets it', async () => {
  const r = await scenario<{ early: string; results: boolean[] }>('event');
  assert.equal(r.early, 'waiting');
  assert.deepEqual(r.results, [true, true, true]);
});

test('Barrier: in every round each worker sees all four arrivals', async () => {
  const r = await scenario<{ consistent: number[]; rounds: number; broken: boolean }>('barrier');
  assert.deepEqual(r.consistent, [r.rounds, r.rounds, r.rounds, r.rounds]);
  assert.equal(r.broken, false);
});

test('SharedQueue: two producers, two consumers, every item once, joinAsync on the page', async () => {
  const r = await scenario<{ total: number; expected: number; size: number }>('queue');
  assert.equal(r.total, r.expected);
  assert.equal(r.size, 0);
});

test('lockAll: workers naming two locks in opposite orders neither deadlock nor lose updates', async () => {
  const r = await scenario<{ counters: number[]; expected: number }>('lockAll');
  assert.deepEqual(r.counters, [r.expected, r.expected]);
});

interface Refusal {
  name: string;
  message: string;
  deadbolt: boolean;
}

function assertRefused(r: Refusal | string, lock: string, instead: string): void {
  assert.equal(typeof r, 'object', `expected a refusal naming ${lock}, got ${JSON.stringify(r)}`);
  const refusal = r as Refusal;
  assert.equal(refusal.name, 'BlockingNotAllowedError', refusal.message);
  assert.equal(refusal.deadbolt, true);
  assert.ok(refusal.message.includes(lock), `names ${lock}: ${refusal.message}`);
  assert.ok(refusal.message.includes(`Use ${instead}`), `names ${instead}: ${refusal.message}`);
}

test("the page's main thread: every blocking call is refused, contended or not, leaving nothing behind", async () => {
  const r = await scenario<Record<string, unknown> & { refused: Record<string, Refusal> }>('mainThread');
  assert.equal(r['isolated'], true);
  assert.equal(r['engine'], 'TypeError', 'Chromium forbids Atomics.wait on the page, which the probe detects');
  assertRefused(r['uncontended'] as Refusal, "Mutex 'page'", 'lockAsync()');
  assertRefused(r['withLock'] as Refusal, "Mutex 'page'", 'withLockAsync()');
  assert.equal(r['heldAfterRefusal'], false);
  assertRefused(r['contended'] as Refusal, "Mutex 'page'", 'lockAsync()');
  assert.equal(r['tryLockWhileHeld'], 'undefined');
  const refused = r.refused;
  assertRefused(refused['recursive']!, "RecursiveMutex 'r'", 'lockAsync()');
  assertRefused(refused['semaphore']!, "Semaphore 's'", 'acquireAsync()');
  assertRefused(refused['withPermit']!, "Semaphore 's'", 'withPermitAsync()');
  assertRefused(refused['event']!, "Event 'e'", 'waitAsync()');
  assertRefused(refused['condition']!, "Condition 'c'", 'waitAsync()');
  assertRefused(refused['lockAll']!, 'lockAll()', 'lockAllAsync()');
  assertRefused(refused['barrier']!, "Barrier 'pair'", 'waitAsync()');
  assertRefused(refused['put']!, "SharedQueue 'q'", 'putAsync()');
  assertRefused(refused['get']!, "SharedQueue 'q'", 'getAsync()');
  assertRefused(refused['join']!, "SharedQueue 'q'", 'joinAsync()');
  assert.equal(r['conditionMutexStillHeld'], true, 'a refused Condition.wait keeps the mutex held');
  assert.equal(r['permitsAfter'], 1);
  assert.deepEqual(r['barrierIndices'], [0, 1], 'the refused Barrier.wait counted no arrival');
  assert.equal(r['tryGetWhileBusy'], 'no error');
  assert.equal(r['tryGetValue'], 'undefined', "tryGet while a worker holds the queue's lock: nothing now");
  assert.equal(r['tryPutValue'], false, "tryPut while a worker holds the queue's lock: no room now");
  assert.equal(r['taskDone'], 'no error', 'taskDone never throws the engine TypeError nor waits');
  assert.deepEqual(r['queueAfter'], { size: 1, next: 2 });
});

test('a page that is not cross-origin isolated loads the runtime and hears why it cannot create a lock', async () => {
  const { page, errors } = await open('/plain/');
  try {
    const r = (await page.evaluate(() => (globalThis as unknown as { result: unknown }).result)) as Record<string, unknown>;
    assert.deepEqual(errors, []);
    assert.equal(r['isolated'], false);
    assert.equal(r['sharedArrayBuffer'], 'undefined');
    assert.equal(r['loaded'], true, `the module loaded: ${JSON.stringify(r)}`);
    const error = r['error'] as { name: string; message: string; deadbolt: boolean };
    assert.equal(error.name, 'SharedMemoryUnavailableError');
    assert.equal(error.deadbolt, true);
    assert.match(error.message, /^new Mutex: .*not cross-origin isolated.*Cross-Origin-Embedder-Policy/);
  } finally {
    await page.close();
  }
});

test('the IIFE bundle works from a classic script, with the same main-thread refusal', async () => {
  const { page, errors } = await open('/iife/');
  try {
    const r = await page.evaluate(() => (globalThis as unknown as { result: unknown }).result);
    assert.deepEqual(errors, []);
    assert.deepEqual(r, { isolated: true, tryLock: true, lock: 'BlockingNotAllowedError' });
  } finally {
    await page.close();
  }
});
