// The Chromium suite's page: window.run(name) runs one scenario with module Web Workers and resolves with what the
// Node side asserts. Every wait on a worker or a lock has a deadline naming what did not happen.
import * as d from '/runtime.js';
import { call, deadline, shared } from '/page-helpers.js';

const workers = [];

function start(count) {
  return Array.from({ length: count }, () => {
    const worker = new Worker('/worker.js', { type: 'module' });
    workers.push(worker);
    return worker;
  });
}

/** What a call threw, for the Node side to assert on. */
function refusal(fn) {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return { name: error.name, message: error.message, deadbolt: error instanceof d.BlockingNotAllowedError };
  }
}

const scenarios = {
  /** Four workers and the page (withLockAsync) increment one plain counter under one Mutex. */
  async mutex() {
    const mutex = new d.Mutex({ name: 'counter' });
    const counter = shared(1);
    const n = 2000;
    const runs = start(4).map((w, i) => call(w, { scenario: 'mutex', mutex: mutex.handle, counter: counter.buffer, n }, `mutex worker ${i}`));
    for (let i = 0; i < 200; i++) await deadline(mutex.withLockAsync(() => counter[0]++), 'withLockAsync on the page');
    await Promise.all(runs);
    return { counter: counter[0], expected: 4 * n + 200 };
  },
  /** While a worker holds the lock, the page's lockAsync waits and the page keeps running timers and frames. */
  async responsive() {
    const mutex = new d.Mutex({ name: 'held' });
    const flag = shared(1);
    const [holder] = start(1);
    await call(holder, { scenario: 'hold', mutex: mutex.handle, flag: flag.buffer }, 'a worker taking the mutex');
    let taken = false;
    const waiting = mutex.lockAsync().then((guard) => ((taken = true), guard));
    // Five timer turns and two animation frames of the page while the lock is held elsewhere: the wait does not block.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    for (let i = 0; i < 2; i++) await deadline(new Promise((resolve) => requestAnimationFrame(resolve)), 'an animation frame');
    const takenWhileHeld = taken;
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    (await deadline(waiting, 'lockAsync after the worker released')).unlock();
    const aborter = new AbortController();
    await call(holder, { scenario: 'hold', mutex: mutex.handle, flag: (flag[0] = 0, flag.buffer) }, 'the worker taking it again');
    const aborted = mutex.lockAsync({ signal: aborter.signal }).then(() => 'taken', (e) => e.name);
    const timedOut = mutex.lockAsync({ timeout: 20 }).then(() => 'taken', (e) => e.name);
    aborter.abort();
    const endings = [await deadline(aborted, 'the aborted lockAsync'), await deadline(timedOut, 'the timed-out lockAsync')];
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    return { takenWhileHeld, endings };
  },
  async recursive() {
    const mutex = new d.RecursiveMutex({ name: 'tree' });
    const counter = shared(1);
    const n = 1000;
    await Promise.all(start(3).map((w, i) => call(w, { scenario: 'recursive', mutex: mutex.handle, counter: counter.buffer, n }, `recursive worker ${i}`)));
    return { counter: counter[0], expected: 3 * n };
  },
  async semaphore() {
    const semaphore = new d.Semaphore(2, { name: 'slots' });
    const gauge = shared(2);
    await Promise.all(start(4).map((w, i) => call(w, { scenario: 'semaphore', semaphore: semaphore.handle, gauge: gauge.buffer, n: 500 }, `semaphore worker ${i}`)));
    return { most: gauge[1], inside: gauge[0], available: semaphore.available };
  },
  async condition() {
    const mutex = new d.Mutex({ name: 'turns' });
    const condition = new d.Condition(mutex, { name: 'turn' });
    const turn = shared(1);
    const parties = 3;
    const n = 300;
    await Promise.all(
      start(parties).map((w, me) =>
        call(w, { scenario: 'condition', mutex: mutex.handle, condition: condition.handle, turn: turn.buffer, me, parties, n }, `condition worker ${me}`),
      ),
    );
    return { turns: turn[0], expected: parties * n };
  },
  async event() {
    const event = new d.Event({ name: 'go' });
    const waits = start(3).map((w, i) => call(w, { scenario: 'event', event: event.handle }, `event worker ${i}`));
    const early = await Promise.race([Promise.all(waits).then(() => 'a worker returned before set()'), new Promise((r) => setTimeout(() => r('waiting'), 100))]);
    event.set();
    return { early, results: await Promise.all(waits) };
  },
  async barrier() {
    const parties = 4;
    const rounds = 50;
    const barrier = new d.Barrier(parties, { name: 'rounds' });
    const slots = shared(parties);
    const consistent = await Promise.all(
      start(parties).map((w, me) => call(w, { scenario: 'barrier', barrier: barrier.handle, slots: slots.buffer, me, parties, rounds }, `barrier worker ${me}`)),
    );
    return { consistent, rounds, broken: barrier.broken };
  },
  async queue() {
    const queue = new d.SharedQueue({ capacity: 8, name: 'jobs' });
    const n = 500;
    const [p1, p2, c1, c2] = start(4);
    const produced = [call(p1, { scenario: 'produce', queue: queue.handle, from: 0, n }, 'producer 1'), call(p2, { scenario: 'produce', queue: queue.handle, from: n, n }, 'producer 2')];
    const sums = [call(c1, { scenario: 'consume', queue: queue.handle, n }, 'consumer 1'), call(c2, { scenario: 'consume', queue: queue.handle, n }, 'consumer 2')];
    await Promise.all(produced);
    await deadline(queue.joinAsync(), 'joinAsync on the page');
    const total = (await Promise.all(sums)).reduce((a, b) => a + b, 0);
    return { total, expected: ((2 * n - 1) * 2 * n) / 2, size: queue.size };
  },
  async lockAll() {
    const a = new d.Mutex({ name: 'a' });
    const b = new d.Mutex({ name: 'b' });
    const counters = shared(2);
    const n = 1000;
    await Promise.all(start(4).map((w, i) => call(w, { scenario: 'lockAll', a: a.handle, b: b.handle, counters: counters.buffer, flip: i % 2 === 1, n }, `lockAll worker ${i}`)));
    return { counters: [counters[0], counters[1]], expected: 4 * n };
  },

  /** The page's main thread may not block: every blocking call is refused, contended or not; try calls never wait. */
  async mainThread() {
    const out = { isolated: crossOriginIsolated };
    // What the engine itself does here, which the runtime's probe relies on.
    out.engine = (() => {
      try {
        Atomics.wait(shared(1), 0, 1, 0);
        return 'allowed';
      } catch (error) {
        return error.name;
      }
    })();
    const mutex = new d.Mutex({ name: 'page' });
    out.uncontended = refusal(() => mutex.lock());
    out.withLock = refusal(() => mutex.withLock(() => 0));
    out.heldAfterRefusal = mutex.isHeldByCurrentThread();

    const [holder] = start(1);
    const flag = shared(1);
    await call(holder, { scenario: 'hold', mutex: mutex.handle, flag: flag.buffer }, 'a worker taking the mutex');
    out.contended = refusal(() => mutex.lock({ timeout: 10 }));
    out.tryLockWhileHeld = mutex.tryLock() === undefined ? 'undefined' : 'a guard';
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    (await deadline(mutex.lockAsync(), 'lockAsync after the worker released')).unlock();

    const recursive = new d.RecursiveMutex({ name: 'r' });
    const semaphore = new d.Semaphore(1, { name: 's' });
    const event = new d.Event({ name: 'e' });
    event.set();
    const cm = new d.Mutex({ name: 'cm' });
    const condition = new d.Condition(cm, { name: 'c' });
    await cm.lockAsync();
    out.refused = {
      recursive: refusal(() => recursive.lock()),
      semaphore: refusal(() => semaphore.acquire()),
      withPermit: refusal(() => semaphore.withPermit(() => 0)),
      event: refusal(() => event.wait()),
      condition: refusal(() => condition.wait({ timeout: 10 })),
      lockAll: refusal(() => d.lockAll([mutex, cm], () => 0)),
    };
    out.conditionMutexStillHeld = cm.isHeldByCurrentThread();
    cm.unlock();
    out.permitsAfter = semaphore.available;

    const barrier = new d.Barrier(2, { name: 'pair' });
    out.refused.barrier = refusal(() => barrier.wait());
    out.barrierIndices = (await deadline(Promise.all([barrier.waitAsync(), barrier.waitAsync()]), 'the two async parties')).sort();

    // SharedQueue: a worker holds the queue's internal lock; the page's try calls and taskDone must not wait for it.
    const queue = new d.SharedQueue({ capacity: 2, name: 'q' });
    out.refused.put = refusal(() => queue.put(1));
    out.refused.get = refusal(() => queue.get());
    out.refused.join = refusal(() => queue.join());
    queue.tryPut(1);
    queue.tryGet();
    queue.tryPut(2);
    const qflag = shared(1);
    const [queueHolder] = start(1);
    await call(queueHolder, { scenario: 'hold', mutex: queue.handle.mutex, flag: qflag.buffer }, "a worker taking the queue's lock");
    out.tryGetWhileBusy = refusal(() => queue.tryGet());
    out.tryGetValue = queue.tryGet() ?? 'undefined';
    out.tryPutValue = queue.tryPut(3);
    out.taskDone = refusal(() => {
      queue.taskDone();
      queue.taskDone();
    });
    Atomics.store(qflag, 0, 1);
    Atomics.notify(qflag, 0);
    await deadline(queue.joinAsync(), 'joinAsync after both deferred taskDone marks');
    out.queueAfter = { size: queue.size, next: await deadline(queue.getAsync(), 'getAsync of the item left') };
    return out;
  },
};

window.run = async (name) => {
  try {
    return await scenarios[name]();
  } finally {
    for (const worker of workers.splice(0)) worker.terminate();
  }
};
window.ready = true;
