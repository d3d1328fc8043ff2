/**
 * RecursiveMutex: a Mutex the holding thread may lock again; it must unlock as many times. Same futex word as
 * Mutex; the depth lives in a slot only the holder touches, so re-entry costs no atomic operation at all.
 */

import type { HeldEntry } from './checked/held.js';
import { noteAcquired, noteReleased, orderCheck } from './checked/order.js';
import { checking } from './checked/state.js';
import { LockNotHeldError, TimeoutError } from './errors.js';
import { lockWordSlow, lockWordSlowAsync, tryLockWord, unlockWord } from './futex.js';
import { LockGuard } from './guard.js';
import { checkHandle, checkRank, HANDLE_VERSION, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel, threadToken } from './ids.js';
import type { MutexOptions } from './mutex.js';
import { deadlineOf, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { tracer } from './trace/hooks.js';

/** Int32 slots of a RecursiveMutex's buffer. */
export const R_STATE = 0; // futex word: 0 free, 1 locked, 2 locked and someone may sleep
export const R_OWNER = 1; // threadToken of the holder, 0 when free; written (plainly) only by the holder
export const R_DEPTH = 2; // how many times the holder has locked it; read and written only by the holder
const RECURSIVE_BYTES = 3 * 4;

export interface RecursiveMutexHandle extends HandleBase<'deadbolt.RecursiveMutex'> {
  rank: number | undefined;
}

export class RecursiveMutex {
  static #adopting: RecursiveMutexHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly rank: number | undefined;
  readonly handle: RecursiveMutexHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;
  readonly #guard: LockGuard;
  readonly #ready: Promise<LockGuard>;

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
    const word = this.#word;
    if (word[R_OWNER] === threadToken) return this.#reenter();
    let entry: HeldEntry | undefined;
    if (checking) entry = orderCheck(this.id, this.#label(), this.rank);
    if (!tryLockWord(word, R_STATE)) {
      const deadline = deadlineOf(options?.timeout);
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      const taken = lockWordSlow(word, R_STATE, deadline);
      if (tracer !== undefined) tracer.waitEnd(this.id, taken);
      if (!taken) throw this.#timeout(options?.timeout);
    }
    this.#taken(entry);
    return this.#guard;
  }

  tryLock(): LockGuard | undefined {
    const word = this.#word;
    if (word[R_OWNER] === threadToken) return this.#reenter();
    let entry: HeldEntry | undefined;
    if (checking) entry = orderCheck(this.id, this.#label(), this.rank);
    if (!tryLockWord(word, R_STATE)) return undefined;
    this.#taken(entry);
    return this.#guard;
  }

  /**
   * Ownership is per thread, so a coroutine of the holding thread re-enters at once; lockAsync never waits for
   * its own thread.
   */
  lockAsync(options?: AsyncWaitOptions): Promise<LockGuard> {
    if (options?.signal?.aborted === true) return Promise.reject(options.signal.reason);
    const word = this.#word;
    if (word[R_OWNER] === threadToken) {
      this.#reenter();
      return this.#ready;
    }
    if (checking) return this.#lockAsyncSlow(options, true);
    if (!tryLockWord(word, R_STATE)) return this.#lockAsyncSlow(options, false);
    this.#taken(undefined);
    return this.#ready;
  }

  unlock(): void {
    const word = this.#word;
    if (word[R_OWNER] !== threadToken) {
      throw new LockNotHeldError(`${threadLabel} cannot unlock ${this.#label()}: it does not hold it`);
    }
    const depth = word[R_DEPTH]! - 1;
    word[R_DEPTH] = depth;
    if (depth > 0) return;
    word[R_OWNER] = 0; // before the releasing exchange, which publishes it
    const woken = unlockWord(word, R_STATE);
    if (checking) noteReleased(this.id);
    if (tracer !== undefined) {
      tracer.released(this.id);
      if (woken > 0) tracer.notified(this.id, woken);
    }
  }

  isHeldByCurrentThread(): boolean {
    return this.#word[R_OWNER] === threadToken;
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

  #reenter(): LockGuard {
    this.#word[R_DEPTH]!++;
    return this.#guard;
  }

  #taken(entry: HeldEntry | undefined): void {
    this.#word[R_OWNER] = threadToken;
    this.#word[R_DEPTH] = 1;
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /** The contended (or checked) async path; being async, a LockOrderViolation from the check becomes a rejection. */
  async #lockAsyncSlow(options: AsyncWaitOptions | undefined, check: boolean): Promise<LockGuard> {
    const entry = check ? orderCheck(this.id, this.#label(), this.rank) : undefined;
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    if (!tryLockWord(word, R_STATE)) {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      let taken = false;
      try {
        taken = await lockWordSlowAsync(word, R_STATE, deadline, options?.signal);
      } finally {
        if (tracer !== undefined) tracer.waitEnd(this.id, taken);
      }
      if (!taken) throw this.#timeout(options?.timeout);
    }
    this.#taken(entry);
    return this.#guard;
  }

  #timeout(timeout: number | undefined): TimeoutError {
    return new TimeoutError(`${threadLabel} timed out after ${timeout} ms waiting for ${this.#label()}`);
  }

  #label(): string {
    return lockLabel('RecursiveMutex', this.name, this.id);
  }
}
