// The Chromium suite's page for workers started with startWorker (they share this page's runtime context):
// window.run(name, options) runs one scenario and resolves with what the Node side asserts. The worker module is
// /context-worker.js, or the bundle named by ?worker= (the same module bundled with the runtime by esbuild).
import * as d from '/runtime.js';
import { call, deadline, shared } from '/page-helpers.js';

const workerUrl = new URLSearchParams(location.search).get('worker') ?? '/context-worker.js';
const workers = [];

function start(name) {
  const worker = d.startWorker(workerUrl, { name });
  workers.push(worker);
  return worker;
}

function described(error) {
  return { name: error.name, message: error.message };
}

/** Starts a worker as the worker `parent` does (startWorker in a worker) and returns the port that reaches it. */
async function startNested(parent, name) {
  const channel = new MessageChannel();
  channel.port1.start();
  const what = `the worker '${parent.name}' starting '${name}'`;
  await call(parent.worker, { scenario: 'spawn', url: workerUrl, name, port: channel.port2 }, what, [channel.port2]);
  return channel.port1;
}

/**
 * Two waiters (a worker in lock(), the page in lockAsync()) on a mutex whose holder is about to end: resolves with
 * what each got. An OwnerDiedError is repaired and the mutex unlocked, so the other waiter takes it.
 */
function waitForHolder(m, waiter) {
  const waited = call(waiter, { scenario: 'wait', mutex: m.handle }, 'a worker waiting for the mutex');
  const pageWait = m.lockAsync({ timeout: 60_000 }).then(
    (guard) => (guard.unlock(), 'taken'),
    (error) => {
      if (error instanceof d.OwnerDiedError) {
        m.markConsistent();
        m.unlock();
      }
      return described(error);
    },
  );
  return Promise.all([waited, pageWait]);
}

const scenarios = {
  /**
   * Two workers take two locks in opposite orders, each holding its first when it goes for its second: a real
   * deadlock. Under checked mode the second acquisition is refused with the cycle; without it both time out.
   */
  async cycle({ checked, timeout }) {
    if (checked) d.configure({ checkLockOrder: true });
    const a = new d.Mutex({ name: 'a' });
    const b = new d.Mutex({ name: 'b' });
    // The page records orders of its own too (locks of no concern to the workers): its graph lock must not block.
    const c = new d.Mutex({ name: 'c' });
    const e = new d.Mutex({ name: 'e' });
    await deadline(c.withLockAsync(() => e.withLockAsync(() => {})), "the page's nested withLockAsync");
    const flags = shared(5);
    const message = { a: a.handle, b: b.handle, flags: flags.buffer, timeout };
    const [first, second] = await Promise.all([
      call(start('decoder'), { scenario: 'first', ...message }, "the worker 'decoder' taking a then b"),
      call(start('encoder'), { scenario: 'second', ...message }, "the worker 'encoder' taking b then a"),
    ]);
    return { first, second };
  },
  /** A worker holding a mutex is terminated while a worker (blocking lock) and the page (lockAsync) wait for it. */
  async death() {
    const m = new d.Mutex({ name: 'jobs' });
    const flags = shared(1);
    const holder = start('holder');
    await call(holder, { scenario: 'hold', mutex: m.handle, flags: flags.buffer }, "the worker 'holder' taking the mutex");
    const waiting = waitForHolder(m, start('waiter'));
    // Both waiters are waiting (the worker's lock sleeps, the page's lockAsync is parked) before the holder ends.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const terminatedAt = performance.now();
    holder.terminate();
    const outcomes = await deadline(waiting, 'both waiters ending after the holder was terminated');
    return { outcomes, ms: Math.round(performance.now() - terminatedAt) };
  },
  /**
   * A worker started with startWorker starts its own ('grandchild'); the page then starts 'sibling'. The grandchild
   * unlocks the page's mutex (its name in the message), then it and the sibling take two locks in opposite orders
   * under the page's checked mode.
   */
  async nested({ timeout }) {
    d.configure({ checkLockOrder: true });
    const a = new d.Mutex({ name: 'a' });
    const b = new d.Mutex({ name: 'b' });
    const grandchild = await startNested({ worker: start('parent'), name: 'parent' }, 'grandchild');
    const sibling = start('sibling');
    const m = new d.Mutex({ name: 'm' });
    const guard = await deadline(m.lockAsync(), "the page's lockAsync");
    const unlock = await call(grandchild, { scenario: 'unlockOther', mutex: m.handle }, "the grandchild unlocking the page's mutex");
    guard.unlock();
    const flags = shared(5);
    const message = { a: a.handle, b: b.handle, flags: flags.buffer, timeout };
    const [first, second] = await Promise.all([
      call(grandchild, { scenario: 'first', ...message }, "the grandchild taking a then b"),
      call(sibling, { scenario: 'second', ...message }, "the worker 'sibling' taking b then a"),
    ]);
    return { unlock, first, second };
  },
  /**
   * A grandchild (started by the worker 'parent') holding a mutex ends, while the page's worker 'sibling' waits in
   * lock() and the page in lockAsync(): ended by its parent's terminate() (by 'parent'), or with its parent by the
   * page's terminate() of the parent (by 'page').
   */
  async nestedDeath({ by }) {
    const m = new d.Mutex({ name: 'jobs' });
    const parent = start('parent');
    const grandchild = await startNested({ worker: parent, name: 'parent' }, 'grandchild');
    const flags = shared(1);
    await call(grandchild, { scenario: 'hold', mutex: m.handle, flags: flags.buffer }, 'the grandchild taking the mutex');
    const waiting = waitForHolder(m, start('sibling'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const endedAt = performance.now();
    if (by === 'parent') await call(parent, { scenario: 'terminateChild', name: 'grandchild' }, "the worker 'parent' terminating the grandchild");
    else parent.terminate();
    const outcomes = await deadline(waiting, 'both waiters ending after the grandchild ended');
    return { outcomes, ms: Math.round(performance.now() - endedAt) };
  },
  /**
   * A worker holding a mutex ends itself with self.close() while a worker (lock()) and the page (lockAsync()) wait:
   * nobody calls terminate(), so only the waiters' probes can find it gone.
   */
  async closed() {
    const m = new d.Mutex({ name: 'jobs' });
    const flags = shared(1);
    await call(start('holder'), { scenario: 'holdAndClose', mutex: m.handle, flags: flags.buffer }, "the worker 'holder' taking the mutex");
    const waiting = waitForHolder(m, start('waiter'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closedAt = performance.now();
    Atomics.store(flags, 0, 1);
    Atomics.notify(flags, 0);
    const outcomes = await deadline(waiting, "both waiters ending after the holder's self.close()");
    return { outcomes, ms: Math.round(performance.now() - closedAt) };
  },
  /** Messages name the page and the workers: a worker unlocking the page's mutex, the page unlocking a worker's. */
  async names() {
    const decoder = start('decoder');
    const m = new d.Mutex({ name: 'm' });
    const guard = await deadline(m.lockAsync(), "the page's lockAsync");
    const workerUnlock = await call(decoder, { scenario: 'unlockOther', mutex: m.handle }, "the worker 'decoder' unlocking the page's mutex");
    guard.unlock();
    const n = new d.Mutex({ name: 'n' });
    const flags = shared(1);
    await call(decoder, { scenario: 'hold', mutex: n.handle, flags: flags.buffer }, "the worker 'decoder' taking n");
    let pageUnlock = 'no error';
    try {
      n.unlock();
    } catch (error) {
      pageUnlock = described(error);
    }
    return { workerUnlock, pageUnlock };
  },
  /** A classic worker (the IIFE bundle, importScripts) started with startWorker has its id and name too. */
  async classic() {
    const m = new d.Mutex({ name: 'm' });
    const guard = await deadline(m.lockAsync(), "the page's lockAsync");
    const classic = d.startWorker('/classic-worker.js', { type: 'classic', name: 'classic' });
    workers.push(classic);
    const outcome = await call(classic, { mutex: m.handle }, "the classic worker trying the page's mutex");
    guard.unlock();
    return outcome;
  },
  /**
   * A worker started with plain new Worker has no context: it holds a lock the page waits for. The page must wait
   * (its holder is alive), not take the lock over as if its holder had died.
   */
  async outsider() {
    const m = new d.Mutex({ name: 'o' });
    const flags = shared(1);
    const plain = new Worker('/context-worker.js', { type: 'module' });
    workers.push(plain);
    await call(plain, { scenario: 'hold', mutex: m.handle, flags: flags.buffer }, 'a worker started with new Worker taking the mutex');
    const waited = await m.lockAsync({ timeout: 1500 }).then((guard) => (guard.unlock(), 'taken'), described);
    let pageUnlock = 'no error';
    try {
      m.unlock();
    } catch (error) {
      pageUnlock = described(error);
    }
    return { waited, pageUnlock };
  },
  /** A worker module that cannot be loaded fires 'error' on the Worker startWorker returned, as new Worker would. */
  async missing() {
    const worker = d.startWorker('/missing.js', { name: 'missing' });
    workers.push(worker);
    const failed = new Promise((resolve) => worker.addEventListener('error', (event) => resolve(event.type)));
    return deadline(failed, "'error' on a worker whose module is missing");
  },
};

window.run = async (name, options) => {
  try {
    return await scenarios[name](options);
  } finally {
    for (const worker of workers.splice(0)) worker.terminate();
  }
};
window.ready = true;
