/**
 * Condition: a condition variable bound to a Mutex, built on a sequence counter. A waiter reads the counter while it
 * still holds the mutex, releases the mutex, and sleeps only while the counter is unchanged; every notify bumps the
 * counter first. So a notify that lands between releasing the mutex and going to sleep makes Atomics.wait return at
 * once ('not-equal') instead of being lost. Wake-ups may be spurious: loop on a predicate, or use waitFor.
 * Async waiters wait at the condition's gate (gate.ts), so a notify reaches them even when a thread that cannot run
 * holds some of them; a waiter also returns when the mutex's holder dies, and then gets OwnerDiedError re-taking it.
 */

import { LockNotHeldError, TimeoutError } from './errors.js';
import { ownerOf } from './futex.js';
import { AsyncGate, GATE_TIMED_OUT } from './gate.js';
import { checkHandle, describeValue, HANDLE_VERSION, quote, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel } from './ids.js';
import { Vigil } from './liveness.js';
import { MUTEX_WORD_INDEX, type Mutex } from './mutex.js';
import { checkTimeout, deadlineOf, remaining, throwIfAborted, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { isDead, probeIfDue } from './thread-table.js';
import { tracer } from './trace/hooks.js';
import { watch, type Watched } from './watch.js';

/** Int32 slots of a Condition's buffer. */
export const C_SEQ = 0; // bumped by every notify (by n, up to MAX_BUMP); blocking waiters sleep on it
export const C_WAITERS = 1; // waiters between registering and waking, so notify skips the syscall when 0
const C_GATE_SEQ = 2; // async waiters' gates sleep here (gate.ts)
const C_GATES = 3; // gates parked
const C_ALL = 4; // bumped by notifyAll: every async waiter registered before it goes
const CONDITION_BYTES = 5 * 4;
/** notify(n) bumps C_SEQ by n, so a gate knows how many of its waiters one wake-up is for; larger n count as this. */
const MAX_BUMP = 1 << 20;

export interface ConditionOptions {
  name?: string;
}

export interface ConditionHandle extends HandleBase<'deadbolt.Condition'> {
  /** The id of the mutex this condition was created with; from() refuses another. */
  mutexId: number;
}

export class Condition implements Watched {
  static #adopting: ConditionHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly handle: ConditionHandle;
  readonly mutex: Mutex;
  readonly #word: Int32Array<SharedArrayBuffer>;
  /** The mutex's lock word, to see whether its holder died. */
  readonly #mutexWord: Int32Array<SharedArrayBuffer>;
  #gate: AsyncGate<'ok'> | undefined;
  /** This thread's async waiters, and the C_SEQ bumps they have not yet taken a wake-up for (see #gateAttempt). */
  #asyncWaiters = 0;
  #seenSeq = 0;
  #credits = 0;

  constructor(mutex: Mutex, options: ConditionOptions = {}) {
    const adopted = Condition.#adopting;
    Condition.#adopting = undefined;
    if (typeof mutex?.isHeldByCurrentThread !== 'function' || !(mutex.handle?.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`new Condition: expected a Mutex, got ${describeValue(mutex)}`);
    }
    this.handle = adopted ?? {
      kind: 'deadbolt.Condition',
      version: HANDLE_VERSION,
      buffer: new SharedArrayBuffer(CONDITION_BYTES),
      id: nextLockId(),
      name: options.name === undefined ? undefined : String(options.name),
      mutexId: mutex.id,
    };
    this.id = this.handle.id;
    this.name = this.handle.name;
    this.mutex = mutex;
    this.#word = new Int32Array(this.handle.buffer);
    this.#mutexWord = new Int32Array(mutex.handle.buffer);
    watch(this);
    if (tracer !== undefined) tracer.created(this.id, 'Condition', this.name);
  }

  /** Rebuilds a Condition from its handle; `mutex` must be (a rebuild of) the mutex it was created with. */
  static from(handle: ConditionHandle, mutex: Mutex): Condition {
    const checked = checkHandle<ConditionHandle>(handle, 'deadbolt.Condition', CONDITION_BYTES, 'Condition.from');
    if (checked.mutexId !== mutex?.id) {
      throw new TypeError(`Condition.from: this condition belongs to Mutex #${checked.mutexId}, got ${mutex?.id === undefined ? describeValue(mutex) : `Mutex #${mutex.id}`}`);
    }
    Condition.#adopting = checked;
    return new Condition(mutex);
  }

  /**
   * Releases the mutex, sleeps until notified (or a spurious wake-up), and re-takes the mutex before returning.
   * The mutex must be held by the calling thread. On timeout the mutex is re-taken, then TimeoutError is thrown.
   */
  wait(options?: WaitOptions): void {
    if (options !== undefined) checkTimeout(options.timeout, 'Condition', this.name, this.id, 'wait');
    const deadline = deadlineOf(options?.timeout);
    const seq = this.#register('wait');
    const word = this.#word;
    const vigil = new Vigil();
    let result = 'timed-out';
    try {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'condition');
      for (;;) {
        const ms = remaining(deadline);
        if (ms <= 0) break;
        // 'ok' is a notify, or a death (watch.ts): of the mutex's holder, which re-taking it reports, or of a waiter.
        if (Atomics.wait(word, C_SEQ, seq, vigil.sleepMs(ms)) !== 'timed-out') {
          result = 'ok';
          break;
        }
        vigil.ranOut();
        // A notify moved the counter but its wake-up went to a waiter that cannot take it, or the holder died
        // unreported: return, so the caller looks (and re-taking the mutex reports the death).
        const holder = ownerOf(this.#mutexWord, MUTEX_WORD_INDEX);
        if (Atomics.load(word, C_SEQ) !== seq || (holder !== 0 && vigil.gone(holder))) {
          result = 'ok';
          break;
        }
      }
    } finally {
      Atomics.sub(this.#word, C_WAITERS, 1);
      this.mutex.lock();
    }
    if (tracer !== undefined) tracer.waitEnd(this.id, result !== 'timed-out');
    if (result === 'timed-out') throw this.#timeout(options?.timeout);
  }

  /** wait() without blocking the event loop; also ends (rejecting with the reason) when `signal` aborts. */
  async waitAsync(options?: AsyncWaitOptions): Promise<void> {
    if (options !== undefined) checkTimeout(options.timeout, 'Condition', this.name, this.id, 'waitAsync');
    const signal = options?.signal;
    throwIfAborted(signal);
    const deadline = deadlineOf(options?.timeout);
    const all = Atomics.load(this.#word, C_ALL);
    const seq = this.#register('waitAsync');
    let timedOut = false;
    try {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'condition');
      if (this.#asyncWaiters++ === 0) {
        // Bumps from before any of this thread's waiters registered are no wake-ups for them.
        this.#seenSeq = seq;
        this.#credits = 0;
      }
      this.#gate ??= new AsyncGate(this.#word, C_GATE_SEQ, C_GATES, false, this);
      timedOut = (await this.#gate.wait(() => this.#gateAttempt(seq, all), deadline, signal)) === GATE_TIMED_OUT;
    } catch (error) {
      if (tracer !== undefined) tracer.waitEnd(this.id, false);
      throw error;
    } finally {
      this.#asyncWaiters--;
      Atomics.sub(this.#word, C_WAITERS, 1);
      // Re-take the mutex even when aborted, so the caller's finally/guard sees the state it expects.
      await this.mutex.lockAsync();
    }
    if (tracer !== undefined) tracer.waitEnd(this.id, !timedOut);
    if (timedOut) throw this.#timeout(options?.timeout);
  }

  /**
   * Whether an async waiter that registered at `seq` (and `all`) may go: after a notifyAll, after a death of the
   * mutex's holder, or when a bump of C_SEQ since it registered is not yet spent on an older waiter of this thread.
   * Each thread's gate spends the bumps it sees, so a notify(1) wakes at most one waiter per thread (and more only
   * spuriously, which the contract allows), rather than every waiter of every thread.
   */
  #gateAttempt(seq: number, all: number): 'ok' | undefined {
    const word = this.#word;
    if (Atomics.load(word, C_ALL) !== all) return 'ok';
    const holder = ownerOf(this.#mutexWord, MUTEX_WORD_INDEX);
    if (holder !== 0 && isDead(holder)) return 'ok';
    const now = Atomics.load(word, C_SEQ);
    if (now !== this.#seenSeq) {
      this.#credits += Math.min((now - this.#seenSeq) >>> 0, MAX_BUMP);
      this.#seenSeq = now;
    }
    if (now === seq || this.#credits === 0) return undefined;
    this.#credits--;
    return 'ok';
  }

  /** Waits until `predicate()` is true (checked with the mutex held); TimeoutError if it is still false at the deadline. */
  waitFor(predicate: () => boolean, options?: WaitOptions): void {
    if (options !== undefined) checkTimeout(options.timeout, 'Condition', this.name, this.id, 'waitFor');
    const deadline = deadlineOf(options?.timeout);
    while (!predicate()) {
      try {
        this.wait({ timeout: remaining(deadline) });
      } catch (error) {
        if (error instanceof TimeoutError && predicate()) return;
        throw error;
      }
    }
  }

  /** waitFor without blocking the event loop. */
  async waitForAsync(predicate: () => boolean, options?: AsyncWaitOptions): Promise<void> {
    if (options !== undefined) checkTimeout(options.timeout, 'Condition', this.name, this.id, 'waitForAsync');
    const deadline = deadlineOf(options?.timeout);
    while (!predicate()) {
      try {
        await this.waitAsync({ timeout: remaining(deadline), signal: options?.signal });
      } catch (error) {
        if (error instanceof TimeoutError && predicate()) return;
        throw error;
      }
    }
  }

  /** Wakes up to `n` waiters. Callable with or without the mutex held. */
  notify(n = 1): void {
    if (typeof n !== 'number' || !(n >= 0)) throw new (typeof n === 'number' ? RangeError : TypeError)(`${lockLabel('Condition', this.name, this.id)}.notify: n must be a non-negative number, got ${quote(n)}`);
    this.#notify(n, false);
  }

  notifyAll(): void {
    this.#notify(Infinity, true);
  }

  /**
   * A thread died (watch.ts): wake every waiter, spuriously (the contract allows it). If it held the mutex, each
   * hears of it by re-taking the mutex; if it was a waiter chosen by a notify, the others do not miss that notify.
   */
  deathReported(): void {
    if (Atomics.load(this.#word, C_WAITERS) === 0) return;
    Atomics.notify(this.#word, C_SEQ);
    AsyncGate.wake(this.#word, C_GATE_SEQ, C_GATES);
  }

  /** This thread's async waiters have waited a while: probe the mutex's holder, for a death nobody could report. */
  probeHolders(): void {
    const holder = ownerOf(this.#mutexWord, MUTEX_WORD_INDEX);
    if (holder !== 0) probeIfDue(holder);
  }

  #notify(n: number, all: boolean): void {
    const count = Math.floor(n); // as Atomics.notify counts: notify(0.5) wakes nobody
    if (count === 0) return;
    const word = this.#word;
    // Bump first, then look for waiters. Both are sequentially consistent, and a waiter registers (C_WAITERS)
    // before reading C_SEQ: either we see it registered and notify, or it reads the new sequence and never sleeps.
    if (all) Atomics.add(word, C_ALL, 1);
    Atomics.add(word, C_SEQ, count > MAX_BUMP ? MAX_BUMP : count);
    if (Atomics.load(word, C_WAITERS) === 0) return;
    const woken = Atomics.notify(word, C_SEQ, count) + AsyncGate.wake(word, C_GATE_SEQ, C_GATES);
    if (tracer !== undefined) tracer.notified(this.id, woken);
  }

  /** Checks the mutex is held, registers as a waiter, reads the sequence, and releases the mutex. */
  #register(method: string): number {
    if (!this.mutex.isHeldByCurrentThread()) {
      throw new LockNotHeldError(`Condition.${method}: ${threadLabel} must hold ${lockLabel('Mutex', this.mutex.name, this.mutex.id)} to wait on ${lockLabel('Condition', this.name, this.id)}`);
    }
    Atomics.add(this.#word, C_WAITERS, 1);
    const seq = Atomics.load(this.#word, C_SEQ);
    this.mutex.unlock();
    return seq;
  }

  #timeout(timeout: number | undefined): TimeoutError {
    return new TimeoutError(`${threadLabel} timed out after ${timeout} ms waiting on ${lockLabel('Condition', this.name, this.id)}`);
  }
}
