// A module Web Worker for the Chromium suite: it runs one scenario per message with the runtime's blocking methods (a
// dedicated worker may block) on primitives rebuilt from their handles, and replies { id, ok, value | error }.
// Every wait has a timeout, so a broken primitive ends in an error the page reports, never a hang.
import * as d from '/runtime.js';
import { serveScenarios } from './serve-scenarios.js';

const T = { timeout: 60_000 };

/** A read-modify-write with a gap, so a lock that failed to exclude would lose increments. */
function bump(view, index) {
  const v = view[index];
  for (let spin = 0; spin < 20; spin++);
  view[index] = v + 1;
}

const scenarios = {
  mutex({ mutex, counter, n }) {
    const m = d.Mutex.from(mutex);
    const c = new Int32Array(counter);
    for (let i = 0; i < n; i++) {
      m.lock(T);
      bump(c, 0);
      m.unlock();
    }
  },
  recursive({ mutex, counter, n }) {
    const m = d.RecursiveMutex.from(mutex);
    const c = new Int32Array(counter);
    for (let i = 0; i < n; i++) {
      m.lock(T);
      m.lock(T);
      bump(c, 0);
      m.unlock();
      m.unlock();
    }
  },
  semaphore({ semaphore, gauge, n }) {
    const s = d.Semaphore.from(semaphore);
    const g = new Int32Array(gauge);
    for (let i = 0; i < n; i++) {
      s.withPermit(() => {
        const now = Atomics.add(g, 0, 1) + 1;
        for (let seen = Atomics.load(g, 1); now > seen; seen = Atomics.load(g, 1)) Atomics.compareExchange(g, 1, seen, now);
        for (let spin = 0; spin < 200; spin++);
        Atomics.sub(g, 0, 1);
      }, T);
    }
  },
  condition({ mutex, condition, turn, me, parties, n }) {
    const m = d.Mutex.from(mutex);
    const cond = d.Condition.from(condition, m);
    const t = new Int32Array(turn);
    for (let i = 0; i < n; i++) {
      m.withLock(() => {
        cond.waitFor(() => t[0] % parties === me, T);
        t[0]++;
        cond.notifyAll();
      }, T);
    }
  },
  event({ event }) {
    return d.Event.from(event).wait(T);
  },
  barrier({ barrier, slots, me, parties, rounds }) {
    const b = d.Barrier.from(barrier);
    const s = new Int32Array(slots);
    let consistent = 0;
    for (let round = 1; round <= rounds; round++) {
      Atomics.store(s, me, round);
      b.wait(T);
      let all = true;
      for (let p = 0; p < parties; p++) if (Atomics.load(s, p) < round) all = false;
      if (all) consistent++;
      b.wait(T); // nobody starts the next round before every party has checked this one
    }
    return consistent;
  },
  produce({ queue, from, n }) {
    const q = d.SharedQueue.from(queue);
    for (let i = 0; i < n; i++) q.put(from + i, T);
  },
  consume({ queue, n }) {
    const q = d.SharedQueue.from(queue);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += q.get(T);
      q.taskDone();
    }
    return sum;
  },
  lockAll({ a, b, counters, flip, n }) {
    const ma = d.Mutex.from(a);
    const mb = d.Mutex.from(b);
    const c = new Int32Array(counters);
    const locks = flip ? [mb, ma] : [ma, mb];
    for (let i = 0; i < n; i++) {
      d.lockAll(locks, () => {
        bump(c, 0);
        bump(c, 1);
      }, T);
    }
  },
  /** Holds a mutex until the page stores 1 in `flag`; replies once it holds it (see the message handler). */
  hold({ mutex, flag }, reply) {
    const m = d.Mutex.from(mutex);
    m.lock(T);
    reply('held');
    const f = new Int32Array(flag);
    if (Atomics.wait(f, 0, 0, T.timeout) === 'timed-out') throw new Error('hold: the page never released the lock');
    m.unlock();
  },
};

serveScenarios(scenarios);
