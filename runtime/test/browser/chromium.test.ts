/**
 * The runtime in a real browser: Debian's Chromium, driven by Playwright, loads the runtime bundled by esbuild from a
 * local server (server.ts). Module Web Workers share every primitive and the counts come out exact; the page's main
 * thread gets BlockingNotAllowedError from every blocking call; a page that is not cross-origin isolated loads the
 * runtime and hears why it cannot create a lock; a page without Atomics.waitAsync waits by polling; the IIFE bundle
 * works in a classic script; workers started with startWorker (by the page or by a worker) are named in messages,
 * share checked mode (call sites named in esbuild and Rollup bundles too) and have their deaths found, terminated or
 * closed by themselves. Without Chromium this suite fails, saying how to install it.
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

test('a page without Atomics.waitAsync takes a contended lock asynchronously by polling, exact, with abort and timeout', async () => {
  const { page, errors } = await open('/no-wait-async/');
  try {
    const r = (await page.evaluate(() => (globalThis as unknown as { result: unknown }).result)) as Record<string, unknown>;
    assert.deepEqual(errors, []);
    assert.equal(r['error'], undefined, `the page failed: ${JSON.stringify(r)}`);
    assert.equal(r['waitAsync'], 'undefined');
    assert.equal(r['counter'], r['expected'], 'two workers (blocking lock) and the page (withLockAsync) lost no increment');
    assert.deepEqual(r['endings'], ['AbortError', 'TimeoutError']);
    assert.equal(typeof r['handoffMs'], 'number', 'the lockAsync pending while a worker held the lock was taken');
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

/** What a worker or the page reported an error as (context-worker.js, context-page.js). */
interface Reported {
  name: string;
  message: string;
  recorded?: string[];
  attempted?: string;
}

/** Runs one scenario of assets/context-page.js (workers started with startWorker) in a fresh page. */
async function contextScenario<T>(name: string, options: unknown, worker = '/context-worker.js'): Promise<T> {
  const { page, errors } = await open(`/context/?worker=${encodeURIComponent(worker)}`);
  try {
    const result = await page.evaluate(([n, o]) => (globalThis as unknown as { run(name: string, options: unknown): Promise<unknown> }).run(n as string, o), [name, options] as const);
    assert.deepEqual(errors, [], `uncaught errors on the page during ${name}`);
    return result as T;
  } finally {
    await page.close();
  }
}

const DECODER = "worker 'decoder' (id 1)";
const ENCODER = "worker 'encoder' (id 2)";

/**
 * The checked-mode cycle: one worker's second acquisition is refused with LockOrderViolation naming it and, in the
 * recorded chain, the other worker; the other then takes its second lock. Returns the violation's call site text.
 * The worker taking a then b is `firstThread`, the one taking b then a `secondThread`.
 */
function assertCycle(r: { first: Reported | string; second: Reported | string }, firstThread = DECODER, secondThread = ENCODER): string {
  const outcomes = [r.first, r.second];
  const violations = outcomes.filter((o): o is Reported => typeof o === 'object' && o.name === 'LockOrderViolation');
  assert.equal(violations.length, 1, `exactly one worker is refused: ${JSON.stringify(outcomes)}`);
  assert.deepEqual(outcomes.filter((o) => o === 'taken').length, 1, `the other takes its second lock: ${JSON.stringify(outcomes)}`);
  const v = violations[0]!;
  const [me, other, wanted] = v === r.second ? [secondThread, firstThread, "Mutex 'a' (#1)"] : [firstThread, secondThread, "Mutex 'b' (#2)"];
  assert.equal(v.attempted, me);
  assert.deepEqual(v.recorded, [other], v.message);
  assert.ok(v.message.startsWith(`Lock order violation (potential deadlock): ${me} tries ${wanted} at `), v.message);
  assert.ok(v.message.includes(other), `names the other worker: ${v.message}`);
  assert.ok(!v.message.includes('unknown location') && !v.message.includes('this thread'), v.message);
  return /tries Mutex '[ab]' \(#\d+\) at (.+?) while holding/.exec(v.message)?.[1] ?? '';
}

test('startWorker: an opposite-order deadlock between two named workers is reported by checked mode as the cycle', async () => {
  const r = await contextScenario<{ first: Reported; second: Reported }>('cycle', { checked: true, timeout: SCENARIO_MS });
  const site = assertCycle(r);
  assert.match(site, /^takeSecond \(http:\/\/127\.0\.0\.1:\d+\/context-worker\.js:\d+:\d+\)$/);
});

test('startWorker: without checked mode the same two workers deadlock, and both time out naming themselves', async () => {
  const r = await contextScenario<{ first: Reported; second: Reported }>('cycle', { checked: false, timeout: 1000 });
  assert.equal(r.first.name, 'TimeoutError', JSON.stringify(r.first));
  assert.equal(r.first.message, `${DECODER} timed out after 1000 ms waiting for Mutex 'b' (#2)`);
  assert.equal(r.second.name, 'TimeoutError', JSON.stringify(r.second));
  assert.equal(r.second.message, `${ENCODER} timed out after 1000 ms waiting for Mutex 'a' (#1)`);
});

test('checked mode names call sites in a worker bundled with the runtime by esbuild', async () => {
  const r = await contextScenario<{ first: Reported; second: Reported }>('cycle', { checked: true, timeout: SCENARIO_MS }, '/context-worker.bundle.js');
  const site = assertCycle(r);
  assert.match(site, /^takeSecond \(http:\/\/127\.0\.0\.1:\d+\/context-worker\.bundle\.js:\d+:\d+\)$/);
});

test('checked mode names call sites in a worker bundled with the runtime by Rollup', async () => {
  const r = await contextScenario<{ first: Reported; second: Reported }>('cycle', { checked: true, timeout: SCENARIO_MS }, '/context-worker.rollup.js');
  const site = assertCycle(r);
  assert.match(site, /^takeSecond \(http:\/\/127\.0\.0\.1:\d+\/context-worker\.rollup\.js:\d+:\d+\)$/);
});

test('checked mode names call sites in a minified bundle: a place in the program, after the runtime', async () => {
  const r = await contextScenario<{ first: Reported; second: Reported }>('cycle', { checked: true, timeout: SCENARIO_MS }, '/context-worker.min.js');
  const site = assertCycle(r);
  const place = /context-worker\.min\.js:(\d+):(\d+)\)?$/.exec(site);
  assert.ok(place !== null, `a place in the bundle: ${site}`);
  const bundle = server!.script('/context-worker.min.js')!;
  const lines = bundle.split('\n');
  const offset = lines.slice(0, Number(place[1]) - 1).reduce((sum, line) => sum + line.length + 1, 0) + Number(place[2]) - 1;
  // The program's module comes after the runtime's in the bundle; this string is the program's own.
  const programStart = bundle.indexOf('did not happen within');
  assert.ok(programStart > 0 && offset > programStart, `the site (offset ${offset}) lies in the program (from ${programStart})`);
  assert.match(bundle.slice(offset, offset + 12), /lock\(/, `the site is a lock call: ${bundle.slice(offset - 20, offset + 20)}`);
});

/**
 * Both waiters on a mutex whose holder ended (outcomes: the worker's, then the page's): one hears of the death naming
 * the holder, the other then takes it. Returns which one heard.
 */
function assertDeathHeard(outcomes: (Reported | string)[], holder: string, mutex: string): string {
  const died = outcomes.filter((o): o is Reported => typeof o === 'object' && o.name === 'OwnerDiedError');
  assert.equal(died.length, 1, `one waiter hears of the death: ${JSON.stringify(outcomes)}`);
  assert.ok(died[0]!.message.startsWith(`${holder} died holding ${mutex}; `), died[0]!.message);
  assert.ok(outcomes.includes('taken'), `the other waiter then takes the repaired mutex: ${JSON.stringify(outcomes)}`);
  return died[0] === outcomes[0] ? "the worker's lock()" : "the page's lockAsync()";
}

test('startWorker: a terminated holder gives OwnerDiedError to a blocked worker or the waiting page, naming it', async (t) => {
  const r = await contextScenario<{ outcomes: (Reported | string)[]; ms: number }>('death', {});
  const heard = assertDeathHeard(r.outcomes, "worker 'holder' (id 1)", "Mutex 'jobs' (#1)");
  t.diagnostic(`from terminate() to both waiters done: ${r.ms} ms; OwnerDiedError in ${heard}`);
});

const GRANDCHILD = "worker 'grandchild' (id 2)";

test('startWorker in a worker: the grandchild has its id and name, and shares checked mode with the page\'s workers', async () => {
  const r = await contextScenario<{ unlock: Reported; first: Reported; second: Reported }>('nested', { timeout: SCENARIO_MS });
  assert.equal(r.unlock.name, 'LockNotHeldError', JSON.stringify(r.unlock));
  assert.equal(r.unlock.message, `${GRANDCHILD} cannot unlock Mutex 'm' (#3): it does not hold it (it is held by the main thread)`);
  const site = assertCycle(r, GRANDCHILD, "worker 'sibling' (id 3)");
  assert.match(site, /^takeSecond \(http:\/\/127\.0\.0\.1:\d+\/context-worker\.js:\d+:\d+\)$/);
});

test("startWorker in a worker: a grandchild terminated by its parent gives OwnerDiedError to the page's waiters", async (t) => {
  const r = await contextScenario<{ outcomes: (Reported | string)[]; ms: number }>('nestedDeath', { by: 'parent' });
  const heard = assertDeathHeard(r.outcomes, GRANDCHILD, "Mutex 'jobs' (#1)");
  t.diagnostic(`OwnerDiedError in ${heard}; from the parent's terminate() to both waiters done: ${r.ms} ms`);
});

test('startWorker in a worker: a grandchild ended with its parent by the page gives OwnerDiedError naming it', async (t) => {
  const r = await contextScenario<{ outcomes: (Reported | string)[]; ms: number }>('nestedDeath', { by: 'page' });
  const heard = assertDeathHeard(r.outcomes, GRANDCHILD, "Mutex 'jobs' (#1)");
  t.diagnostic(`OwnerDiedError in ${heard}; from the page's terminate() of the parent to both waiters done: ${r.ms} ms`);
});

test('startWorker: a holder that ends itself with self.close() gives OwnerDiedError to a blocked worker or the page', async (t) => {
  const r = await contextScenario<{ outcomes: (Reported | string)[]; ms: number }>('closed', {});
  const heard = assertDeathHeard(r.outcomes, "worker 'holder' (id 1)", "Mutex 'jobs' (#1)");
  t.diagnostic(`OwnerDiedError in ${heard}; from the signal to close to both waiters done: ${r.ms} ms`);
});

test('startWorker: messages name the page and the workers', async () => {
  const r = await contextScenario<{ workerUnlock: Reported; pageUnlock: Reported }>('names', {});
  assert.equal(r.workerUnlock.name, 'LockNotHeldError');
  assert.equal(r.workerUnlock.message, `${DECODER} cannot unlock Mutex 'm' (#1): it does not hold it (it is held by the main thread)`);
  assert.equal(r.pageUnlock.name, 'LockNotHeldError');
  assert.equal(r.pageUnlock.message, `main thread cannot unlock Mutex 'n' (#2): it does not hold it (it is held by ${DECODER})`);
});

test('startWorker: a classic worker loading the IIFE bundle with importScripts is named in its messages', async () => {
  const r = await contextScenario<Reported>('classic', {});
  assert.equal(r.name, 'TimeoutError', JSON.stringify(r));
  assert.equal(r.message, "worker 'classic' (id 1) timed out after 50 ms waiting for Mutex 'm' (#1)");
});

test('a worker started with plain new Worker (no context) holding a lock is waited for, never judged dead', async () => {
  const r = await contextScenario<{ waited: Reported; pageUnlock: Reported }>('outsider', {});
  assert.equal(r.waited.name, 'TimeoutError', JSON.stringify(r.waited));
  assert.equal(r.waited.message, "main thread timed out after 1500 ms waiting for Mutex 'o' (#1)");
  assert.equal(r.pageUnlock.message, "main thread cannot unlock Mutex 'o' (#1): it does not hold it (it is held by another thread)");
});

test("startWorker: a worker module that cannot be loaded fires 'error' on the Worker", async () => {
  assert.equal(await contextScenario<string>('missing', {}), 'error');
});
