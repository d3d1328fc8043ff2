/**
 * Condition: a condition variable bound to a Mutex, built on a sequence counter. A waiter reads the counter
 * while it still holds the mutex, releases the mutex, and sleeps only while the counter is unchanged; every
 * notify bumps the counter first. So a notify that lands between releasing the mutex and going to sleep makes
 * Atomics.wait return at once ('not-equal') instead of being lost. Wake-ups may be spurious: loop on a
 * predicate, or use waitFor. A sleeper also wakes every RECHECK_MS and returns if the counter moved: a notify(1)
 * may have picked a waiter that can never run (terminated, or stuck in sync code), and must not be lost.
 */

import { LockNotHeldError, TimeoutError } from './errors.js';
import { checkHandle, describeValue, HANDLE_VERSION, quote, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel } from './ids.js';
import type { Mutex } from './mutex.js';
import { RECHECK_MS, stayFindable } from './liveness.js';
import { checkTimeout, deadlineOf, remaining, throwIfAborted, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { parkAsync } from './park.js';
import { tracer } from './trace/hooks.js';

/** Int32 slots of a Condition's buffer. */
export const C_SEQ = 0; // bumped by every notify; waiters sleep on it
export const C_WAITERS = 1; // waiters between registering and waking, so notify skips the syscall when 0
const CONDITION_BYTES = 2 * 4;

export interface ConditionOptions {
  name?: string;
}

export interface ConditionHandle extends HandleBase<'deadbolt.Condition'> {
  /** The id of the mutex this condition was created with; from() refuses another. */
  mutexId: number;
}

export class Condition {
  static #adopting: ConditionHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly handle: ConditionHandle;
  readonly mutex: Mutex;
  readonly #word: Int32Array<SharedArrayBuffer>;

  constructor(mutex: Mutex, options: ConditionOptions = {}) {
    const adopted = Condition.#adopting;
    Condition.#adopting = undefined;
    if (typeof mutex?.isHeldByCurrentThread !== 'function') throw new TypeError(`new Condition: expected a Mutex, got ${describeValue(mutex)}`);
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
    let result: string;
    try {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'condition');
      for (;;) {
        const ms = remaining(deadline);
        result = Atomics.wait(word, C_SEQ, seq, ms < RECHECK_MS ? ms : RECHECK_MS);
        if (result !== 'timed-out' || ms <= RECHECK_MS) break;
        stayFindable();
        // A notify moved the counter but its wake-up went to a waiter that cannot take it: count it as ours.
        if (Atomics.load(word, C_SEQ) !== seq) {
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
    const seq = this.#register('waitAsync');
    const word = this.#word;
    let result: string;
    try {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'condition');
      for (;;) {
        const ms = remaining(deadline);
        result = await parkAsync(word, C_SEQ, seq, ms < RECHECK_MS ? ms : RECHECK_MS, signal);
        if (result !== 'timed-out' || ms <= RECHECK_MS) break;
        if (Atomics.load(word, C_SEQ) !== seq) {
          result = 'ok';
          break;
        }
      }
    } catch (error) {
      if (tracer !== undefined) tracer.waitEnd(this.id, false);
      throw error;
    } finally {
      Atomics.sub(this.#word, C_WAITERS, 1);
      // Re-take the mutex even when aborted, so the caller's finally/guard sees the state it expects.
      await this.mutex.lockAsync();
    }
    if (tracer !== undefined) tracer.waitEnd(this.id, result !== 'timed-out');
    if (result === 'timed-out') throw this.#timeout(options?.timeout);
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
    const word = this.#word;
    // Bump first, then look for waiters. Both are sequentially consistent, and a waiter registers (C_WAITERS)
    // before reading C_SEQ: either we see it registered and notify, or it reads the new sequence and never sleeps.
    Atomics.add(word, C_SEQ, 1);
    if (Atomics.load(word, C_WAITERS) === 0) return;
    const woken = Atomics.notify(word, C_SEQ, n);
    if (tracer !== undefined) tracer.notified(this.id, woken);
  }

  notifyAll(): void {
    this.notify(Infinity);
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
