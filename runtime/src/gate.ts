/**
 * The async waits of one primitive in one thread, parked in V8 as a single Atomics.waitAsync on the primitive's gate
 * sequence (a slot apart from the word blocking waiters sleep on). Whoever may let a waiter through (unlock, release,
 * notify, a death) bumps the sequence and wakes every gate, one per thread; each gate then retries its own waiters.
 * So a wake-up can never be lost to a thread that cannot run (its gate is woken along with the others'), an aborted
 * or timed-out wait leaves V8's list as it was and wakes nobody, and at most one waitAsync per thread and primitive
 * stays parked after its waiters are gone, until the next wake-up. Where the engine has no waitAsync the gate polls
 * the sequence instead (wait-async.ts): every wake-up bumps it before notifying, so polling misses none.
 */

import { holdLoop, releaseLoop } from './keep-alive.js';
import { remaining } from './options.js';
import { waitAsync } from './wait-async.js';
import { waitBegan, waitEnded, type Watched } from './watch.js';

/** What a gate wait resolves to when its deadline passes. */
export const GATE_TIMED_OUT = Symbol('timed out');

interface Waiter<T> {
  /** Tries to complete the wait; returns its result, or undefined to keep waiting. */
  attempt: () => T | undefined;
  resolve(value: T | typeof GATE_TIMED_OUT): void;
  reject(reason: unknown): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class AsyncGate<T> {
  readonly #word: Int32Array<SharedArrayBuffer>;
  readonly #seq: number;
  readonly #gates: number;
  /** Waiters after the first that fails keep waiting (FIFO among this thread's waiters), or every waiter is tried. */
  readonly #inOrder: boolean;
  readonly #primitive: Watched;
  readonly #waiters: Waiter<T>[] = [];
  /** This gate's waitAsync is in V8's list, or polling (and counted in the #gates slot). */
  #parked = false;
  /** Stops the gate's polling stand-in for waitAsync (wait-async.ts); undefined while the engine's own is parked. */
  #cancel: (() => void) | undefined;
  /** Counts parkings, so the end of a polling wait that was cancelled meanwhile is told from the current one's. */
  #parking = 0;
  #running = false;

  /**
   * `seq` and `gates` are Int32 slots of `word`: the sequence gates sleep on, and how many gates are parked (so a
   * waker with none to wake skips the bump and the notify).
   */
  constructor(word: Int32Array<SharedArrayBuffer>, seq: number, gates: number, inOrder: boolean, primitive: Watched) {
    this.#word = word;
    this.#seq = seq;
    this.#gates = gates;
    this.#inOrder = inOrder;
    this.#primitive = primitive;
  }

  /**
   * Wakes every parked gate of this primitive, in every thread. Call after the change that may let a waiter through,
   * with sequentially consistent atomics: a gate counts itself in, reads the sequence, then retries, so either the
   * waker sees it counted or its retry sees the change.
   */
  static wake(word: Int32Array<SharedArrayBuffer>, seq: number, gates: number): number {
    if (Atomics.load(word, gates) === 0) return 0;
    Atomics.add(word, seq, 1);
    return Atomics.notify(word, seq);
  }

  /**
   * Waits until `attempt()` returns a result (tried at once, then after every wake-up), the deadline passes (resolving
   * GATE_TIMED_OUT after one last attempt) or `signal` aborts (rejecting with its reason).
   */
  wait(attempt: () => T | undefined, deadline: number, signal: AbortSignal | undefined): Promise<T | typeof GATE_TIMED_OUT> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = { attempt, resolve, reject, timer: undefined, signal, onAbort: undefined };
      if (deadline !== Infinity) {
        waiter.timer = setTimeout(() => {
          const result = attempt();
          this.#finish(waiter);
          resolve(result === undefined ? GATE_TIMED_OUT : result);
        }, remaining(deadline));
        // The wait keeps the loop alive through holdLoop, as an untimed one does; the timer need not.
        (waiter.timer as { unref?: () => void }).unref?.();
      }
      if (signal !== undefined) {
        waiter.onAbort = () => {
          this.#finish(waiter);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      holdLoop();
      if (this.#waiters.length === 1) waitBegan(this.#primitive);
      this.run();
    });
  }

  /** Retries this thread's waiters, and parks the gate if some must still wait. Also called when a death is reported. */
  run(): void {
    if (this.#running) return; // an attempt's own wake-up (a release inside it) is seen by the loop below
    this.#running = true;
    try {
      for (;;) {
        if (this.#parked) return this.#attempt();
        if (this.#waiters.length === 0) return;
        // Counted in before reading the sequence, then retried: see wake().
        Atomics.add(this.#word, this.#gates, 1);
        const seq = Atomics.load(this.#word, this.#seq);
        this.#attempt();
        if (this.#waiters.length === 0) return void Atomics.sub(this.#word, this.#gates, 1);
        const wait = waitAsync(this.#word, this.#seq, seq);
        if (!wait.async) {
          Atomics.sub(this.#word, this.#gates, 1);
          continue; // woken between the read and the park: try again
        }
        this.#parked = true;
        this.#cancel = wait.cancel;
        const parking = ++this.#parking;
        void wait.value.then(() => {
          if (parking !== this.#parking || !this.#parked) return; // cancelled by #finish, which uncounted it
          this.#parked = false;
          this.#cancel = undefined;
          Atomics.sub(this.#word, this.#gates, 1);
          this.run();
        });
        return;
      }
    } finally {
      this.#running = false;
    }
  }

  #attempt(): void {
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; ) {
      const waiter = waiters[i]!;
      const result = waiter.attempt();
      if (result === undefined) {
        if (this.#inOrder) return;
        i++;
        continue;
      }
      this.#finish(waiter);
      waiter.resolve(result);
    }
  }

  /**
   * Takes a waiter out, however its wait ended. Its gate stays parked (V8 cannot cancel it) for the others; a polling
   * gate with no waiters left stops, so no timer outlives the waits.
   */
  #finish(waiter: Waiter<T>): void {
    const i = this.#waiters.indexOf(waiter);
    if (i < 0) return;
    this.#waiters.splice(i, 1);
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
    if (waiter.onAbort !== undefined) waiter.signal!.removeEventListener('abort', waiter.onAbort);
    releaseLoop();
    if (this.#waiters.length > 0) return;
    waitEnded(this.#primitive);
    if (this.#cancel !== undefined) {
      this.#cancel();
      this.#cancel = undefined;
      this.#parked = false;
      Atomics.sub(this.#word, this.#gates, 1);
    }
  }
}
