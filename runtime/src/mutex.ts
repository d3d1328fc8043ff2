/**
 * Mutex: a non-reentrant lock in shared memory. Lock is one compareExchange when free, unlock one exchange;
 * sleepers park on the lock word with Atomics.wait / Atomics.waitAsync and are notified only when the word says
 * someone may sleep. The owner slot lets unlock() reject non-holders and lock() detect self-deadlock without an
 * extra atomic operation on the uncontended path.
 */

import type { HeldEntry } from './checked/held.js';
import { noteAcquired, noteReleased, orderCheck } from './checked/order.js';
import { checking } from './checked/state.js';
import { DeadlockError, LockNotHeldError, TimeoutError } from './errors.js';
import { lockWordSlow, lockWordSlowAsync, tryLockWord, unlockWord } from './futex.js';
import { LockGuard } from './guard.js';
import { checkHandle, checkRank, HANDLE_VERSION, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel, threadToken } from './ids.js';
import { deadlineOf, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { tracer } from './trace/hooks.js';

/** Int32 slots of a Mutex's buffer. */
export const M_STATE = 0; // futex word: 0 free, 1 locked, 2 locked and someone may sleep
export const M_OWNER = 1; // threadToken of the holder, 0 when free; written (plainly) only by the holder
const MUTEX_BYTES = 2 * 4;

export interface MutexOptions {
  /** Shown in errors, traces and the debugger. */
  name?: string;
  /** Locks with ranks must be taken in increasing rank (checked mode enforces it); lockAll orders by it. */
  rank?: number;
}

export interface MutexHandle extends HandleBase<'deadbolt.Mutex'> {
  rank: number | undefined;
}

export class Mutex {
  /** The handle from() is rebuilding, read by the constructor; module-private so the public constructor stays simple. */
  static #adopting: MutexHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly rank: number | undefined;
  readonly handle: MutexHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;
  readonly #guard: LockGuard;
  /** Returned by an uncontended lockAsync: already resolved, so the fast path allocates nothing. */
  readonly #ready: Promise<LockGuard>;

  constructor(options: MutexOptions = {}) {
    const adopted = Mutex.#adopting;
    Mutex.#adopting = undefined;
    if (adopted !== undefined) {
      this.handle = adopted;
    } else {
      const rank = checkRank(options.rank, 'new Mutex');
      const name = options.name === undefined ? undefined : String(options.name);
      const buffer = new SharedArrayBuffer(MUTEX_BYTES);
      this.handle = { kind: 'deadbolt.Mutex', version: HANDLE_VERSION, buffer, id: nextLockId(), name, rank };
    }
    this.id = this.handle.id;
    this.name = this.handle.name;
    this.rank = this.handle.rank;
    this.#word = new Int32Array(this.handle.buffer);
    this.#guard = new LockGuard(this);
    this.#ready = Promise.resolve(this.#guard);
    if (tracer !== undefined) tracer.created(this.id, 'Mutex', this.name);
  }

  /** Rebuilds a Mutex from a handle sent by another thread; both sides then lock the same memory. */
  static from(handle: MutexHandle): Mutex {
    const checked = checkHandle<MutexHandle>(handle, 'deadbolt.Mutex', MUTEX_BYTES, 'Mutex.from');
    Mutex.#adopting = { ...checked, rank: checkRank(checked.rank, 'Mutex.from') };
    return new Mutex();
  }

  /** Blocks until the lock is taken; throws DeadlockError if this thread holds it, TimeoutError after `timeout` ms. */
  lock(options?: WaitOptions): LockGuard {
    let entry: HeldEntry | undefined;
    if (checking) entry = orderCheck(this.id, this.#label(), this.rank);
    if (!tryLockWord(this.#word, M_STATE)) this.#lockContended(options);
    // A plain write suffices: only the holder writes this slot, and the exchange in unlock() publishes it.
    this.#word[M_OWNER] = threadToken;
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
    return this.#guard;
  }

  /** Takes the lock if it is free; returns its guard, or undefined without waiting. */
  tryLock(): LockGuard | undefined {
    let entry: HeldEntry | undefined;
    if (checking) entry = orderCheck(this.id, this.#label(), this.rank);
    if (!tryLockWord(this.#word, M_STATE)) return undefined;
    this.#word[M_OWNER] = threadToken;
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
    return this.#guard;
  }

  /**
   * Resolves with the guard once the lock is taken, without blocking the event loop. Unlike lock(), waiting
   * for a lock this thread holds is allowed: another coroutine of this thread may release it.
   */
  lockAsync(options?: AsyncWaitOptions): Promise<LockGuard> {
    if (options?.signal?.aborted === true) return Promise.reject(options.signal.reason);
    if (checking) return this.#lockAsyncSlow(options, true);
    if (!tryLockWord(this.#word, M_STATE)) return this.#lockAsyncSlow(options, false);
    this.#word[M_OWNER] = threadToken;
    if (tracer !== undefined) tracer.acquired(this.id);
    return this.#ready;
  }

  /** Releases the lock; throws LockNotHeldError unless the calling thread holds it. */
  unlock(): void {
    const word = this.#word;
    if (word[M_OWNER] !== threadToken) throw this.#notHeld('unlock');
    // Cleared before the releasing exchange so the next holder (who synchronizes with that exchange) never sees us.
    word[M_OWNER] = 0;
    const woken = unlockWord(word, M_STATE);
    if (checking) noteReleased(this.id);
    if (tracer !== undefined) {
      tracer.released(this.id);
      if (woken > 0) tracer.notified(this.id, woken);
    }
  }

  /** True when the calling thread holds the lock (through any of its coroutines). */
  isHeldByCurrentThread(): boolean {
    return this.#word[M_OWNER] === threadToken;
  }

  withLock<T>(fn: () => T, options?: WaitOptions): T {
    this.lock(options);
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  async withLockAsync<T>(fn: () => T | Promise<T>, options?: AsyncWaitOptions): Promise<T> {
    await this.lockAsync(options);
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }

  #lockContended(options: WaitOptions | undefined): void {
    if (this.#word[M_OWNER] === threadToken) {
      throw new DeadlockError(`${this.#label()} is already held by ${threadLabel}; lock() would wait forever (use lockAsync() to wait for another coroutine)`);
    }
    const deadline = deadlineOf(options?.timeout);
    if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
    const taken = lockWordSlow(this.#word, M_STATE, deadline);
    if (tracer !== undefined) tracer.waitEnd(this.id, taken);
    if (!taken) throw new TimeoutError(`${threadLabel} timed out after ${options?.timeout} ms waiting for ${this.#label()}`);
  }

  /** The contended (or checked) async path; being async, a LockOrderViolation from the check becomes a rejection. */
  async #lockAsyncSlow(options: AsyncWaitOptions | undefined, check: boolean): Promise<LockGuard> {
    const entry = check ? orderCheck(this.id, this.#label(), this.rank) : undefined;
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    if (!tryLockWord(word, M_STATE)) {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      let taken = false;
      try {
        taken = await lockWordSlowAsync(word, M_STATE, deadline, options?.signal);
      } finally {
        if (tracer !== undefined) tracer.waitEnd(this.id, taken);
      }
      if (!taken) throw new TimeoutError(`${threadLabel} timed out after ${options?.timeout} ms waiting for ${this.#label()}`);
    }
    word[M_OWNER] = threadToken;
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
    return this.#guard;
  }

  #notHeld(action: string): LockNotHeldError {
    const owner = this.#word[M_OWNER]!;
    const holder = owner === 0 ? 'nobody holds it' : `it is held by ${owner === 1 ? 'the main thread' : `worker ${owner - 1}`}`;
    return new LockNotHeldError(`${threadLabel} cannot ${action} ${this.#label()}: it does not hold it (${holder})`);
  }

  #label(): string {
    return lockLabel('Mutex', this.name, this.id);
  }
}
