/**
 * RecursiveMutex: a Mutex the holding thread may lock again; it must unlock as many times. Same lock word as Mutex
 * (futex.ts), naming the holder; the depth lives in a slot only the holder touches, so re-entry costs no atomic
 * operation at all. A holder that dies is handled as in Mutex: a waiter takes the lock over with OwnerDiedError.
 */

import type { HeldEntry } from './checked/held.js';
import { noteAcquired, noteReleased, orderCheck } from './checked/order.js';
import { checking } from './checked/state.js';
import { LockNotHeldError, OwnerDiedError, TimeoutError } from './errors.js';
import {
  deadOwner,
  F_GATE_SEQ,
  F_GATES,
  FUTEX_SLOTS,
  INCONSISTENT,
  lockWordAsync,
  lockWordSlow,
  OWNER_DIED,
  probeOwner,
  releaseWord,
  TAKEN,
  TIMED_OUT,
  tryTakeWord,
  wakeIfOrphaned,
  type SlowLockResult,
} from './futex.js';
import { AsyncGate } from './gate.js';
import { LockGuard } from './guard.js';
import { checkHandle, checkRank, HANDLE_VERSION, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel } from './ids.js';
import type { MutexOptions } from './mutex.js';
import { checkTimeout, deadlineOf, timeoutError, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { ownerLabel, threadToken, TOKEN_MASK } from './thread-table.js';
import { tracer } from './trace/hooks.js';
import { watch, type Watched } from './watch.js';

/** Int32 slots of a RecursiveMutex's buffer: the futex (word, sleepers, gate), then the holder's own slots. */
export const R_STATE = 0; // the lock word: 0 free, else the holder's token | flags (futex.ts)
export const R_DEPTH = FUTEX_SLOTS; // how many times the holder has locked it; read and written only by the holder
export const R_RECOVERY = FUTEX_SLOTS + 1; // 1 while the holder took it over from a dead owner and has not called markConsistent()
const RECURSIVE_BYTES = (FUTEX_SLOTS + 2) * 4;

export interface RecursiveMutexHandle extends HandleBase<'deadbolt.RecursiveMutex'> {
  rank: number | undefined;
}

export class RecursiveMutex implements Watched {
  static #adopting: RecursiveMutexHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly rank: number | undefined;
  readonly handle: RecursiveMutexHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;
  readonly #guard: LockGuard;
  readonly #ready: Promise<LockGuard>;
  #gate: AsyncGate<SlowLockResult> | undefined;

  constructor(options: MutexOptions = {}) {
    const adopted = RecursiveMutex.#adopting;
    RecursiveMutex.#adopting = undefined;
    this.handle = adopted ?? {
      kind: 'deadbolt.RecursiveMutex',
      version: HANDLE_VERSION,
      buffer: new SharedArrayBuffer(RECURSIVE_BYTES),
      id: nextLockId(),
      name: options.name === undefined ? undefined : String(options.name),
      rank: checkRank(options.rank, 'new RecursiveMutex'),
    };
    this.id = this.handle.id;
    this.name = this.handle.name;
    this.rank = this.handle.rank;
    this.#word = new Int32Array(this.handle.buffer);
    this.#guard = new LockGuard(this);
    this.#ready = Promise.resolve(this.#guard);
    watch(this);
    if (tracer !== undefined) tracer.created(this.id, 'RecursiveMutex', this.name);
  }

  static from(handle: RecursiveMutexHandle): RecursiveMutex {
    const checked = checkHandle<RecursiveMutexHandle>(handle, 'deadbolt.RecursiveMutex', RECURSIVE_BYTES, 'RecursiveMutex.from');
    RecursiveMutex.#adopting = { ...checked, rank: checkRank(checked.rank, 'RecursiveMutex.from') };
    return new RecursiveMutex();
  }

  /** How many times the calling thread holds it (0 if it does not). */
  get depth(): number {
    return this.isHeldByCurrentThread() ? this.#word[R_DEPTH]! : 0;
  }

  lock(options?: WaitOptions): LockGuard {
    if (options !== undefined) checkTimeout(options.timeout, 'RecursiveMutex', this.name, this.id, 'lock');
    const word = this.#word;
    if (this.isHeldByCurrentThread()) return this.#reenter();
    let entry: HeldEntry | undefined;
    if (checking) entry = orderCheck(this.id, this.#label(), this.rank);
    if (Atomics.compareExchange(word, R_STATE, 0, threadToken) !== 0) {
      const deadline = deadlineOf(options?.timeout);
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      const result = lockWordSlow(word, R_STATE, threadToken, deadline);
      if (tracer !== undefined) tracer.waitEnd(this.id, result !== TIMED_OUT);
      if (result === TIMED_OUT) throw this.#timeout(options?.timeout);
      if (result !== TAKEN) throw this.#recovered(result === OWNER_DIED, entry);
    }
    this.#taken(entry);
    return this.#guard;
  }

  tryLock(): LockGuard | undefined {
    const word = this.#word;
    if (this.isHeldByCurrentThread()) return this.#reenter();
    let entry: HeldEntry | undefined;
    if (checking) entry = orderCheck(this.id, this.#label(), this.rank);
    if (Atomics.compareExchange(word, R_STATE, 0, threadToken) !== 0) {
      const result = tryTakeWord(word, R_STATE, threadToken);
      if (result === undefined) return undefined;
      if (result !== TAKEN) throw this.#recovered(result === OWNER_DIED, entry);
    }
    this.#taken(entry);
    return this.#guard;
  }

  /**
   * Ownership is per thread, so a coroutine of the holding thread re-enters at once; lockAsync never waits for
   * its own thread.
   */
  lockAsync(options?: AsyncWaitOptions): Promise<LockGuard> {
    if (options !== undefined) {
      const timeout: unknown = options.timeout;
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0)) {
        return Promise.reject(timeoutError(timeout, 'RecursiveMutex', this.name, this.id, 'lockAsync'));
      }
      if (options.signal?.aborted === true) return Promise.reject(options.signal.reason);
    }
    if (this.isHeldByCurrentThread()) {
      this.#reenter();
      return this.#ready;
    }
    if (checking) return this.#lockAsyncSlow(options, true);
    if (Atomics.compareExchange(this.#word, R_STATE, 0, threadToken) !== 0) return this.#lockAsyncSlow(options, false);
    this.#taken(undefined);
    return this.#ready;
  }

  unlock(): void {
    const word = this.#word;
    if (!this.isHeldByCurrentThread()) {
      throw new LockNotHeldError(`${threadLabel} cannot unlock ${this.#label()}: it does not hold it`);
    }
    const depth = word[R_DEPTH]! - 1;
    word[R_DEPTH] = depth;
    if (depth > 0) return;
    // Unrepaired after an owner died: the next locker hears of it too.
    const recovering = word[R_RECOVERY] === 1;
    word[R_RECOVERY] = 0;
    // The word is exactly the token when nobody may sleep and no recovery is pending: one compareExchange releases it.
    const woken = !recovering && Atomics.compareExchange(word, R_STATE, threadToken, 0) === threadToken ? 0 : releaseWord(word, R_STATE, recovering ? INCONSISTENT : 0);
    if (checking) noteReleased(this.id);
    if (tracer !== undefined) {
      tracer.released(this.id);
      if (woken > 0) tracer.notified(this.id, woken);
    }
  }

  isHeldByCurrentThread(): boolean {
    // A plain read: only this thread writes its own token into the word, and it is the one asking.
    return (this.#word[R_STATE]! & TOKEN_MASK) === threadToken;
  }

  /** Ends a recovery after OwnerDiedError, as Mutex.markConsistent() does. */
  markConsistent(): void {
    const word = this.#word;
    if (!this.isHeldByCurrentThread()) throw new LockNotHeldError(`${threadLabel} cannot mark ${this.#label()} consistent: it does not hold it`);
    if (word[R_RECOVERY] !== 1) throw new Error(`${this.#label()}.markConsistent(): no owner died; there is nothing to mark`);
    word[R_RECOVERY] = 0;
  }

  /** Lock, run `fn`, unlock. On OwnerDiedError `fn` does not run: the lock is released unrepaired and the error thrown. */
  withLock<T>(fn: () => T, options?: WaitOptions): T {
    try {
      this.lock(options);
    } catch (error) {
      if (error instanceof OwnerDiedError) this.unlock();
      throw error;
    }
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }

  async withLockAsync<T>(fn: () => T | Promise<T>, options?: AsyncWaitOptions): Promise<T> {
    try {
      await this.lockAsync(options);
    } catch (error) {
      if (error instanceof OwnerDiedError) this.unlock();
      throw error;
    }
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }

  /** A thread died (watch.ts): if it held this lock, or was chosen to take it and could not, wake the waiters to look. */
  deathReported(): void {
    wakeIfOrphaned(this.#word, R_STATE);
  }

  /** This thread's async waiters have waited a while: probe the holder, for a death nobody could report. */
  probeHolders(): void {
    probeOwner(this.#word, R_STATE);
  }

  #reenter(): LockGuard {
    this.#word[R_DEPTH]!++;
    return this.#guard;
  }

  #taken(entry: HeldEntry | undefined): void {
    this.#word[R_DEPTH] = 1;
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /** The contended (or checked) async path; being async, a LockOrderViolation from the check becomes a rejection. */
  async #lockAsyncSlow(options: AsyncWaitOptions | undefined, check: boolean): Promise<LockGuard> {
    const entry = check ? orderCheck(this.id, this.#label(), this.rank) : undefined;
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    if (Atomics.compareExchange(word, R_STATE, 0, threadToken) !== 0) {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      let result: SlowLockResult = TIMED_OUT;
      try {
        this.#gate ??= new AsyncGate(word, R_STATE + F_GATE_SEQ, R_STATE + F_GATES, true, this);
        result = await lockWordAsync(this.#gate, word, R_STATE, threadToken, deadline, options?.signal);
      } finally {
        if (tracer !== undefined) tracer.waitEnd(this.id, result !== TIMED_OUT);
      }
      if (result === TIMED_OUT) throw this.#timeout(options?.timeout);
      if (result !== TAKEN) throw this.#recovered(result === OWNER_DIED, entry);
    }
    this.#taken(entry);
    return this.#guard;
  }

  /** Taken over from a dead owner, or taken free but unrepaired: hold it at depth 1 and return the error to report. */
  #recovered(died: boolean, entry: HeldEntry | undefined): OwnerDiedError {
    this.#taken(entry);
    this.#word[R_RECOVERY] = 1;
    const what = died ? `${ownerLabel(deadOwner)} died holding ${this.#label()}` : `${this.#label()} was released after its owner died but not marked consistent`;
    return new OwnerDiedError(`${what}; ${threadLabel} now holds it: repair what it guards, then call markConsistent() before unlock() (unlocking without it passes this error on to the next locker)`);
  }

  #timeout(timeout: number | undefined): TimeoutError {
    return new TimeoutError(`${threadLabel} timed out after ${timeout} ms waiting for ${this.#label()}`);
  }

  #label(): string {
    return lockLabel('RecursiveMutex', this.name, this.id);
  }
}
