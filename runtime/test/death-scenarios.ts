/**
 * Owner-death scenarios with real workers, each run as independent trials: a thread that holds a lock, permits or a
 * place at a barrier is killed (terminated, crashing, exiting) at a random moment, and the waiters must end up with
 * the lock, an OwnerDiedError or a BrokenBarrierError within a deadline, never a timeout. owner-death.test.ts runs a
 * few trials of each; death-stress.ts (`npm run stress -w runtime`) runs 100 and prints a table. The runtime under
 * test is loaded from a module URL, so the stress command can measure another build the same way.
 */

import { Worker } from 'node:worker_threads';
import type * as Runtime from '../src/index.js';
import type { DeathCommand, WaitReport } from './workers/deaths.js';
import { withDeadline } from './harness.js';

/** Waiter threads the scenarios use at most (idle owner: 8), kept from trial to trial. */
const WAITERS = 8;
/** How long a waiter waits (its own timeout) before the trial counts the lock as wedged. */
export const WAIT_MS = 8_000;
/** How long the test side waits for any message: beyond WAIT_MS, so a waiter's own timeout is what normally ends it. */
export const MESSAGE_MS = WAIT_MS + 7_000;
/** How long a new thread may take to start (seconds on a 2-core machine under heavy load): a bound on a hang. */
const START_MS = 60_000;

export interface TrialResult {
  /** 'ok', or what went wrong: 'wedged' (a waiter timed out or never answered) or 'wrong' (a broken invariant). */
  verdict: 'ok' | 'wedged' | 'wrong';
  detail: string;
  /** From the death to the last waiter's answer. */
  ms: number;
}

/** A deaths worker with its messages queued, and every wait for one bounded. */
export class Party {
  readonly worker: Worker;
  readonly exited: Promise<number>;
  readonly #queue: Record<string, unknown>[] = [];
  #wake: (() => void) | undefined;
  #gone = false;

  constructor(runtime: string) {
    this.worker = new Worker(new URL('./workers/deaths.js', import.meta.url), { workerData: { runtime } });
    this.worker.on('message', (message: Record<string, unknown>) => {
      this.#queue.push(message);
      this.#wake?.();
    });
    // A crash on purpose is an 'error' event: listened to, so it does not take the test process down.
    this.worker.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.#gone = true;
        this.#wake?.();
        resolve(code);
      }),
    );
  }

  post(command: DeathCommand): void {
    this.worker.postMessage(command);
  }

  /** The next message with this event, or an Error naming `what` after `ms`, or when the worker exits first. */
  async next<T = Record<string, unknown>>(event: string, what: string, ms = MESSAGE_MS): Promise<T> {
    const deadline = performance.now() + ms;
    for (;;) {
      const i = this.#queue.findIndex((m) => m['event'] === event);
      if (i >= 0) return this.#queue.splice(i, 1)[0] as T;
      if (this.#gone) throw new Error(`${what}: the worker exited before '${event}'`);
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${what}: no '${event}' within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Resolves when the worker has exited; an Error naming `what` if it has not within `ms`. */
  async gone(what: string, ms = MESSAGE_MS): Promise<void> {
    await withDeadline(this.exited, `exit of the ${what}`, ms);
  }

  async kill(): Promise<void> {
    void this.worker.terminate();
    await this.gone('terminate()');
  }
}

/** What every trial gets: the runtime (loaded here too), a way to start a fresh holder, and long-lived waiters. */
export class Stage {
  readonly rt: typeof Runtime;
  readonly runtime: string;
  readonly #waiters: (Party | undefined)[] = [];

  constructor(rt: typeof Runtime, runtime: string) {
    this.rt = rt;
    this.runtime = runtime;
  }

  /** A fresh worker, ready for commands; holders are fresh each trial, since the trial kills them. */
  async spawn(what = 'holder'): Promise<Party> {
    const party = new Party(this.runtime);
    await party.next('ready', what, START_MS);
    return party;
  }

  /** Waiter i of the pool, started once and reused across trials (a waiter that failed to answer is replaced). */
  async waiter(i: number): Promise<Party> {
    const existing = this.#waiters[i];
    if (existing !== undefined) return existing;
    const party = await this.spawn(`waiter ${i}`);
    this.#waiters[i] = party;
    return party;
  }

  /**
   * Starts a waiter's wait; resolves once the waiter is about to wait, with its report to come (wrapped, so awaiting
   * the start does not await the report). A waiter that never answers is killed, replaced, and reported as wedged.
   */
  async wait(i: number, command: Extract<DeathCommand, { op: 'wait' }>): Promise<Pending> {
    const party = await this.waiter(i);
    party.post(command);
    await party.next('waiting', `waiter ${i}`);
    const report = party.next<WaitReport>('waited', `waiter ${i}`).catch(async (error: Error): Promise<WaitReport> => {
      this.#waiters[i] = undefined;
      await party.kill();
      return { event: 'waited', outcome: 'timeout', ms: MESSAGE_MS, error: { name: 'NoAnswer', message: error.message } };
    });
    return { report };
  }

  async close(): Promise<void> {
    await Promise.all(this.#waiters.map((w) => w?.kill()));
  }
}

/** A wait begun by a waiter, and its report to come. */
export interface Pending {
  report: Promise<WaitReport>;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const random = (lo: number, hi: number): number => lo + Math.random() * (hi - lo);

/** The verdict on waiter reports, all in by now: every one must have ended one of the `accepted` ways. */
function judge(reports: WaitReport[], accepted: WaitReport['outcome'][], since: number): TrialResult {
  const ms = performance.now() - since;
  const bad = reports.find((r) => !accepted.includes(r.outcome));
  if (bad === undefined) return { verdict: 'ok', detail: reports.map((r) => r.outcome).join(','), ms };
  const verdict = bad.outcome === 'timeout' ? 'wedged' : 'wrong';
  return { verdict, detail: `${bad.outcome}${bad.error === undefined ? '' : `: ${bad.error.name}: ${bad.error.message}`}`, ms };
}

export interface Scenario {
  name: string;
  run(stage: Stage): Promise<TrialResult>;
}

/** lock(); x++; unlock() in a loop, killed at a random moment; then the lock must be taken (by a blocked or async waiter). */
function loopLock(kind: 'mutex' | 'recursive'): Scenario {
  let trial = 0;
  return {
    name: `${kind === 'mutex' ? 'Mutex' : 'RecursiveMutex'}: lock(); x++; unlock() in a loop, terminated at a random moment`,
    async run(stage) {
      const lock = kind === 'mutex' ? new stage.rt.Mutex() : new stage.rt.RecursiveMutex();
      const counter = new SharedArrayBuffer(4);
      const holder = await stage.spawn();
      holder.post({ op: 'loop-lock', kind, lock: lock.handle, counter });
      await holder.next('started', 'holder');
      await pause(random(0, 20));
      await holder.kill();
      const since = performance.now();
      const pending = await stage.wait(0, { op: 'wait', what: kind, handle: lock.handle, async: trial++ % 2 === 0, timeout: WAIT_MS });
      return judge([await pending.report], ['taken', 'owner-died'], since);
    },
  };
}

/** withPermit(() => x++) in a loop, killed at a random moment: its permit must come back, exactly once. */
const loopPermit: Scenario = {
  name: 'Semaphore: withPermit(() => x++) in a loop, terminated at a random moment',
  async run(stage) {
    const sem = new stage.rt.Semaphore(1);
    const holder = await stage.spawn();
    holder.post({ op: 'loop-permit', semaphore: sem.handle, counter: new SharedArrayBuffer(4) });
    await holder.next('started', 'holder');
    await pause(random(0, 20));
    await holder.kill();
    const since = performance.now();
    const result = judge([await (await stage.wait(0, { op: 'wait', what: 'permit', handle: sem.handle, async: false, timeout: WAIT_MS })).report], ['taken'], since);
    if (result.verdict === 'ok' && sem.available !== 1) return { verdict: 'wrong', detail: `${sem.available} permits after recovery, expected 1`, ms: result.ms };
    return result;
  },
};

/** An owner idle in its event loop, killed at a random moment, with 8 waiters (4 blocked, 4 async). */
function idleOwner(what: 'mutex' | 'permit'): Scenario {
  return {
    name: `${what === 'mutex' ? 'Mutex' : 'Semaphore'}: owner idle in its event loop, terminated at a random moment, ${WAITERS} waiters`,
    async run(stage) {
      const primitive = what === 'mutex' ? new stage.rt.Mutex() : new stage.rt.Semaphore(1);
      const holder = await stage.spawn();
      holder.post({ op: 'hold', what, handle: primitive.handle, then: { kind: 'idle' } });
      await holder.next('holding', 'holder');
      const pending = await Promise.all(
        Array.from({ length: WAITERS }, (_, i) => stage.wait(i, { op: 'wait', what, handle: primitive.handle, async: i % 2 === 1, timeout: WAIT_MS })),
      );
      await pause(random(0, 50));
      await holder.kill();
      const since = performance.now();
      const all = await Promise.all(pending.map((p) => p.report));
      const result = judge(all, what === 'mutex' ? ['taken', 'owner-died'] : ['taken'], since);
      if (result.verdict === 'ok' && what === 'mutex' && all.filter((r) => r.outcome === 'owner-died').length !== 1) {
        return { verdict: 'wrong', detail: `${all.filter((r) => r.outcome === 'owner-died').length} waiters got OwnerDiedError, expected 1`, ms: result.ms };
      }
      return result;
    },
  };
}

/** The owner holds m1 and is blocked in m2.lock() (held here) when it is killed; m1's waiter must recover it. */
const blockedOwner: Scenario = {
  name: 'Mutex: owner blocked in another runtime wait (holds m1, waits on m2), terminated',
  async run(stage) {
    const m1 = new stage.rt.Mutex();
    const m2 = new stage.rt.Mutex();
    m2.lock();
    try {
      const holder = await stage.spawn();
      holder.post({ op: 'hold', what: 'mutex', handle: m1.handle, then: { kind: 'block-on', mutex: m2.handle } });
      await holder.next('holding', 'holder');
      const report = await stage.wait(0, { op: 'wait', what: 'mutex', handle: m1.handle, async: false, timeout: WAIT_MS });
      await pause(random(0, 300));
      await holder.kill();
      const since = performance.now();
      return judge([await report.report], ['owner-died'], since);
    } finally {
      m2.unlock();
    }
  },
};

/** A party waiting inside the barrier is killed: the others get BrokenBarrierError, not a timeout. */
const barrierParty: Scenario = {
  name: 'Barrier: party terminated while waiting inside',
  async run(stage) {
    const barrier = new stage.rt.Barrier(3);
    const holder = await stage.spawn();
    holder.post({ op: 'hold', what: 'barrier', handle: barrier.handle, then: { kind: 'idle' } });
    await holder.next('holding', 'holder');
    const waiting = await stage.wait(0, { op: 'wait', what: 'barrier', handle: barrier.handle, async: false, timeout: WAIT_MS });
    await pause(random(0, 50));
    await holder.kill();
    const since = performance.now();
    return judge([await waiting.report], ['broken'], since);
  },
};

/** A barrier broken by a party's death, then reset(): a round with a replacement party trips. */
const barrierReset: Scenario = {
  name: 'Barrier: broken by a death, then reset(); a replacement party joins the next round',
  async run(stage) {
    const barrier = new stage.rt.Barrier(3);
    const holder = await stage.spawn();
    holder.post({ op: 'hold', what: 'barrier', handle: barrier.handle, then: { kind: 'idle' } });
    await holder.next('holding', 'holder');
    // This thread waits too, so the death breaks the round (or its timeout does, if no death is ever seen).
    const mine = barrier.waitAsync({ timeout: WAIT_MS }).catch(() => undefined);
    await holder.kill();
    await mine;
    const since = performance.now();
    barrier.reset();
    const round = await Promise.all([
      stage.wait(0, { op: 'wait', what: 'barrier', handle: barrier.handle, async: false, timeout: WAIT_MS }),
      stage.wait(1, { op: 'wait', what: 'barrier', handle: barrier.handle, async: true, timeout: WAIT_MS }),
    ]);
    const last = barrier.waitAsync({ timeout: WAIT_MS }).then(
      (): WaitReport => ({ event: 'waited', outcome: 'taken', ms: 0 }),
      (error: Error): WaitReport => ({ event: 'waited', outcome: error.name === 'TimeoutError' ? 'timeout' : error.name === 'BrokenBarrierError' ? 'broken' : 'error', ms: 0, error: { name: error.name, message: error.message } }),
    );
    return judge([...(await Promise.all(round.map((r) => r.report))), await last], ['taken'], since);
  },
};

/** The owner crashes from a timer 300-500 ms after locking, while a waiter already waits. */
const timerCrash: Scenario = {
  name: 'Mutex: owner crashes from a timer 300-500 ms after locking, waiter already waiting',
  async run(stage) {
    const m = new stage.rt.Mutex();
    const holder = await stage.spawn();
    holder.post({ op: 'hold', what: 'mutex', handle: m.handle, then: { kind: 'crash-after', ms: random(300, 500), how: 'throw' } });
    await holder.next('holding', 'holder');
    const report = await stage.wait(0, { op: 'wait', what: 'mutex', handle: m.handle, async: true, timeout: WAIT_MS });
    await holder.gone('holder that was to die');
    const since = performance.now();
    return judge([await report.report], ['owner-died'], since);
  },
};

/** The owner is busy in synchronous code (its event loop never runs), then dies. */
function busyOwner(what: 'mutex' | 'permit' | 'barrier'): Scenario {
  const names = { mutex: 'Mutex', permit: 'Semaphore', barrier: 'Barrier' };
  let trial = 0;
  return {
    name: `${names[what]}: owner busy in synchronous code 50-250 ms, then dies`,
    async run(stage) {
      // Three parties: the dead one's arrival and the waiter's cannot trip the round between them.
      const primitive = what === 'mutex' ? new stage.rt.Mutex() : what === 'permit' ? new stage.rt.Semaphore(1) : new stage.rt.Barrier(3);
      const holder = await stage.spawn();
      // A synchronous throw would unwind withPermit's finally and return the permit: a scoped holder dies by exit.
      const how = what === 'permit' || trial++ % 2 === 0 ? 'exit' : 'throw';
      holder.post({ op: 'hold', what, handle: primitive.handle, then: { kind: 'busy-then-die', ms: random(50, 250), how } });
      const report = (async () => {
        await holder.next('holding', 'holder');
        return (await stage.wait(0, { op: 'wait', what, handle: primitive.handle, async: false, timeout: WAIT_MS })).report;
      })();
      await holder.gone('holder that was to die');
      const since = performance.now();
      const accepted: WaitReport['outcome'][] = what === 'mutex' ? ['owner-died'] : what === 'permit' ? ['taken'] : ['broken'];
      return judge([await (await report)], accepted, since);
    },
  };
}

/** Another thread keeps aborting lockAsync on the lock while a blocked waiter waits: the death is still seen promptly. */
const abortStorm: Scenario = {
  name: 'Mutex: another thread keeps aborting lockAsync; a blocked waiter finds the dead owner promptly',
  async run(stage) {
    const m = new stage.rt.Mutex();
    const holder = await stage.spawn();
    holder.post({ op: 'hold', what: 'mutex', handle: m.handle, then: { kind: 'idle' } });
    await holder.next('holding', 'holder');
    const aborter = await stage.waiter(1);
    aborter.post({ op: 'abort-loop', handle: m.handle });
    await aborter.next('started', 'aborter');
    const report = await stage.wait(0, { op: 'wait', what: 'mutex', handle: m.handle, async: false, timeout: WAIT_MS });
    await pause(random(50, 150));
    await holder.kill();
    const since = performance.now();
    const result = judge([await report.report], ['owner-died'], since);
    aborter.post({ op: 'stop' });
    await aborter.next('stopped', 'aborter');
    // Found only at the waiter's own deadline would mean the aborts hid the death: count that as wedged.
    return result.verdict === 'ok' && result.ms > WAIT_MS / 2 ? { verdict: 'wedged', detail: `found after ${result.ms.toFixed(0)} ms`, ms: result.ms } : result;
  },
};

/** A queue found torn by its holder's death: consumers already blocked in get() with no timeout hear of it. */
function tornQueue(async: boolean): Scenario {
  return {
    name: `SharedQueue: torn by a death; a consumer already blocked in ${async ? 'getAsync()' : 'get()'} with no timeout`,
    async run(stage) {
      const q = new stage.rt.SharedQueue<number>({ capacity: 4, name: 'work' });
      const report = await stage.wait(0, { op: 'wait', what: 'queue-get', handle: q.handle, async });
      await pause(random(20, 60)); // the consumer is asleep in get() by now (a later start is fine too)
      const holder = await stage.spawn();
      holder.post({ op: 'queue-hold', handle: q.handle, torn: true, then: 'exit' });
      await holder.gone('holder that was to die');
      const since = performance.now();
      const answer = await report.report;
      const result = judge([answer], ['owner-died'], since);
      if (result.verdict === 'ok' && !/SharedQueue 'work' is broken/.test(answer.error?.message ?? '')) {
        return { verdict: 'wrong', detail: `not reported broken: ${answer.error?.message}`, ms: result.ms };
      }
      return result;
    },
  };
}

/** The queue's lock is held by a live thread stuck in a wait: tryGet() and tryPut() must come back (TimeoutError). */
const queueTry: Scenario = {
  name: "SharedQueue: tryGet()/tryPut() while the queue's lock is held by a stuck thread",
  async run(stage) {
    const q = new stage.rt.SharedQueue<number>({ capacity: 2 });
    const holder = await stage.spawn();
    holder.post({ op: 'queue-hold', handle: q.handle, torn: false, then: 'block' });
    await holder.next('holding', 'holder');
    const since = performance.now();
    const report = await (await stage.wait(0, { op: 'wait', what: 'queue-try', handle: q.handle, async: false })).report;
    await holder.kill();
    // Giving up with a TimeoutError is the promise here; only an answer that never comes is a wedge.
    const detail = report.error === undefined ? report.outcome : `${report.error.name}: ${report.error.message}`;
    if (report.error?.name === 'NoAnswer') return { verdict: 'wedged', detail, ms: performance.now() - since };
    return { verdict: report.outcome === 'timeout' || report.outcome === 'taken' ? 'ok' : 'wrong', detail, ms: performance.now() - since };
  },
};

/** put/get in a loop, killed at a random moment: the queue must go on, or report itself broken, never wedge. */
const queueLoop: Scenario = {
  name: 'SharedQueue: put/get in a loop, terminated at a random moment',
  async run(stage) {
    const q = new stage.rt.SharedQueue<number>({ capacity: 2 });
    const holder = await stage.spawn();
    holder.post({ op: 'queue-loop', handle: q.handle });
    await holder.next('started', 'holder');
    await pause(random(0, 20));
    await holder.kill();
    const since = performance.now();
    try {
      await q.putAsync(7, { timeout: WAIT_MS });
      while ((await q.getAsync({ timeout: WAIT_MS })) !== 7);
      return { verdict: 'ok', detail: 'carried on', ms: performance.now() - since };
    } catch (error) {
      const e = error as Error;
      if (e.name === 'OwnerDiedError' && /is broken/.test(e.message)) return { verdict: 'ok', detail: 'reported broken', ms: performance.now() - since };
      return { verdict: e.name === 'TimeoutError' ? 'wedged' : 'wrong', detail: `${e.name}: ${e.message}`, ms: performance.now() - since };
    }
  },
};

/** Every scenario, in the order the stress command prints them. */
export const scenarios: Scenario[] = [
  loopLock('mutex'),
  loopLock('recursive'),
  loopPermit,
  idleOwner('mutex'),
  idleOwner('permit'),
  blockedOwner,
  barrierParty,
  barrierReset,
  timerCrash,
  busyOwner('mutex'),
  busyOwner('permit'),
  busyOwner('barrier'),
  abortStorm,
  tornQueue(false),
  tornQueue(true),
  queueTry,
  queueLoop,
];

export interface Tally {
  ok: number;
  wedged: number;
  wrong: number;
  /** Milliseconds from each death to its last waiter's answer, for the successful trials. */
  ms: number[];
  failures: string[];
}

/** Runs `trials` trials of a scenario, one after another. */
export async function runTrials(stage: Stage, scenario: Scenario, trials: number, onTrial?: (i: number, r: TrialResult) => void): Promise<Tally> {
  const tally: Tally = { ok: 0, wedged: 0, wrong: 0, ms: [], failures: [] };
  // The waiters are started before the first trial, so no trial's timing includes starting a thread.
  await Promise.all(Array.from({ length: WAITERS }, (_, i) => stage.waiter(i)));
  for (let i = 0; i < trials; i++) {
    let result: TrialResult;
    try {
      result = await scenario.run(stage);
    } catch (error) {
      result = { verdict: 'wrong', detail: (error as Error).message, ms: 0 };
    }
    tally[result.verdict]++;
    if (result.verdict === 'ok') tally.ms.push(result.ms);
    else tally.failures.push(`trial ${i + 1}: ${result.verdict}: ${result.detail}`);
    onTrial?.(i, result);
  }
  return tally;
}

const CHURN_EXIT_MS = 120_000;

/**
 * Starts `count` threads that each load the runtime and exit at once, `parallel` at a time: the thread table must
 * free their entries (it used to fill after about 1,023 such threads, and nobody was found dead after that).
 */
export async function churnThreads(runtime: string, count: number, parallel: number): Promise<void> {
  let started = 0;
  const one = async (): Promise<void> => {
    while (started < count) {
      started++;
      const worker = new Worker(`import(${JSON.stringify(runtime)}).then(() => {})`, { eval: true });
      const code = await new Promise<number>((resolve, reject) => {
        // Generous: on a loaded machine a thread can take seconds to start and end; this only bounds a hang.
        const timer = setTimeout(() => reject(new Error(`a churned thread did not exit within ${CHURN_EXIT_MS} ms`)), CHURN_EXIT_MS);
        worker.once('error', reject);
        worker.once('exit', (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode);
        });
      });
      if (code !== 0) throw new Error(`a churned thread exited with code ${code}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, one));
}
