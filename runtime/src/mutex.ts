/**
 * Mutex: a non-reentrant lock in shared memory. Lock is one compareExchange when free, unlock one exchange;
 * sleepers park on the lock word with Atomics.wait / Atomics.waitAsync and are notified only when the word says
 * someone may sleep. The owner slot lets unlock() reject non-holders and lock() detect self-deadlock without an
 * extra atomic operation on the uncontended path. Checked mode and tracing live on a separate "observed" path
 * behind one branch, so the plain path pays nothing else for them. A holder that dies is found by sleeping
 * waiters (futex.ts, liveness.ts); the lock then passes to one of them with OwnerDiedError, as a pthread robust
 * mutex does, and only the slow paths know about it.
 */

import type { HeldEntry } from './checked/held.js';
import { noteAcquired, noteReleased, orderCheck } from './checked/order.js';
import { checking, onCheckingChange } from './checked/state.js';
import { DeadlockError, LockNotHeldError, OwnerDiedError, TimeoutError } from './errors.js';
import { deadOwner, lockWordSlow, lockWordSlowAsync, OWNER_DIED, TAKEN, TIMED_OUT, tryLockInconsistent, tryLockWord, type SlowLockResult } from './futex.js';
import { LockGuard } from './guard.js';
import { checkHandle, checkRank, HANDLE_VERSION, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, ownerLabel, threadLabel, threadToken } from './ids.js';
import { checkTimeout, deadlineOf, timeoutError, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { tracer } from './trace/hooks.js';

// The constants below are module-local and not exported on purpose: V8 reads an exported or imported binding
// through a cell on every use, which measured 1 to 2 ns per uncontended lock+unlock (up to 10% of it).

/** Int32 slots of a Mutex's buffer. */
const M_STATE = 0; // futex word: 0 free, 1 locked, 2 locked and someone may sleep
const M_OWNER = 1; // who holds it (OWNER or OBSERVED_OWNER of the holding thread), 0 when free; written only by the holder
/**
 * 1 while the holder took the lock over from a dead owner (OwnerDiedError) and has not called markConsistent().
 * Written only by the holder, plainly; the releasing exchange publishes it like the owner slot. Read only off
 * the fast path: a recovering holder's owner slot is OBSERVED_OWNER, so its unlock() takes unlockObserved().
 */
const M_RECOVERY = 2;
const MUTEX_BYTES = 3 * 4;

/** The futex word's states, as in futex.ts (whose slow paths this file shares). */
const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
const FREE_INCONSISTENT = 3; // free, but released unrepaired after an owner died: only the slow path takes it

/** Owner slot value of a lock this thread took on the fast path. */
const OWNER = threadToken;
/**
 * Owner slot value of a lock this thread took on the observed path (checked mode or a tracer on). unlock() tells
 * the two apart from the slot it reads anyway, so its fast path needs no check of either mode, and a release
 * is reported exactly when its acquisition was, even if a tracer was installed or checking turned off meanwhile.
 */
const OBSERVED_OWNER = -threadToken;

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
  // The fast path's fields are TypeScript-private rather than #private: V8 loads a #private field measurably more
  // slowly (about 1 ns per lock+unlock pair), which is 5% of an uncontended lock.
  private readonly word: Int32Array<SharedArrayBuffer>;
  private readonly guard: LockGuard;
  /** Returned by an uncontended lockAsync: already resolved, so the fast path allocates nothing. */
  private readonly ready: Promise<LockGuard>;
  /** Whether checked mode is on in this thread: a property of the prototype, kept up to date below. */
  declare private readonly checkedMode: boolean;

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
    this.word = new Int32Array(this.handle.buffer);
    this.guard = new LockGuard(this);
    this.ready = Promise.resolve(this.guard);
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
    // Checked on every call, not only when the lock is contended, so a bad timeout fails in testing; a call
    // without options pays one compare.
    if (options !== undefined) checkTimeout(options.timeout, 'Mutex', this.name, this.id, 'lock');
    // One branch for both checked mode and tracing; everything they need happens on the observed path.
    if (this.checkedMode || tracer !== undefined) return this.lockObserved(options);
    const word = this.word;
    // All Atomics are sequentially consistent, so a successful compareExchange also acquires.
    if (Atomics.compareExchange(word, M_STATE, UNLOCKED, LOCKED) !== UNLOCKED) this.lockContended(options);
    // A plain write suffices: only the holder writes this slot, and the exchange in unlock() publishes it.
    word[M_OWNER] = OWNER;
    return this.guard;
  }

  /** Takes the lock if it is free; returns its guard, or undefined without waiting. */
  tryLock(): LockGuard | undefined {
    if (this.checkedMode || tracer !== undefined) return this.tryLockObserved();
    const word = this.word;
    if (Atomics.compareExchange(word, M_STATE, UNLOCKED, LOCKED) !== UNLOCKED) return this.tryLockBusy(undefined);
    word[M_OWNER] = OWNER;
    return this.guard;
  }

  /**
   * Resolves with the guard once the lock is taken, without blocking the event loop. Unlike lock(), waiting
   * for a lock this thread holds is allowed: another coroutine of this thread may release it.
   */
  lockAsync(options?: AsyncWaitOptions): Promise<LockGuard> {
    if (options !== undefined) {
      const timeout: unknown = options.timeout;
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0)) {
        return Promise.reject(timeoutError(timeout, 'Mutex', this.name, this.id, 'lockAsync'));
      }
      if (options.signal?.aborted === true) return Promise.reject(options.signal.reason);
    }
    if (this.checkedMode || tracer !== undefined) return this.lockAsyncSlow(options);
    const word = this.word;
    if (Atomics.compareExchange(word, M_STATE, UNLOCKED, LOCKED) !== UNLOCKED) return this.lockAsyncSlow(options);
    word[M_OWNER] = OWNER;
    // Already resolved: no waitAsync, no allocation, and the lock is held before the caller's await.
    return this.ready;
  }

  /** Releases the lock; throws LockNotHeldError unless the calling thread holds it. */
  unlock(): void {
    const word = this.word;
    if (word[M_OWNER] !== OWNER) return this.unlockObserved();
    // Cleared before the releasing exchange so the next holder (who synchronizes with that exchange) never sees us.
    word[M_OWNER] = 0;
    // One exchange releases and publishes every write of the critical section; its old value says whether anyone
    // may sleep, and only then do we pay for a notify.
    if (Atomics.exchange(word, M_STATE, UNLOCKED) === CONTENDED) Atomics.notify(word, M_STATE, 1);
  }

  /** True when the calling thread holds the lock (through any of its coroutines). */
  isHeldByCurrentThread(): boolean {
    const owner = this.word[M_OWNER];
    return owner === OWNER || owner === OBSERVED_OWNER;
  }

  /**
   * Ends a recovery: after lock() or lockAsync() reported OwnerDiedError and the caller repaired what the lock
   * guards, this marks it consistent, so unlock() releases it normally. Throws LockNotHeldError unless the
   * calling thread holds it, and an Error when no owner died.
   */
  markConsistent(): void {
    const word = this.word;
    if (!this.isHeldByCurrentThread()) throw this.notHeld('mark consistent');
    if (word[M_RECOVERY] !== 1) throw new Error(`${this.label()}.markConsistent(): no owner died; there is nothing to mark`);
    word[M_RECOVERY] = 0;
  }

  /** Lock, run `fn`, unlock. On OwnerDiedError `fn` does not run: the lock is released unrepaired and the error thrown. */
  withLock<T>(fn: () => T, options?: WaitOptions): T {
    this.lockOrRelease(options);
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

  private lockOrRelease(options: WaitOptions | undefined): void {
    try {
      this.lock(options);
    } catch (error) {
      if (error instanceof OwnerDiedError) this.unlock();
      throw error;
    }
  }

  /** lock() with checked mode or a tracer on: the order check before waiting, then the bookkeeping after. */
  private lockObserved(options: WaitOptions | undefined): LockGuard {
    const entry = checking ? orderCheck(this.id, this.label(), this.rank) : undefined;
    if (!tryLockWord(this.word, M_STATE)) this.lockContended(options, entry);
    this.word[M_OWNER] = OBSERVED_OWNER;
    this.acquiredObserved(entry);
    return this.guard;
  }

  private tryLockObserved(): LockGuard | undefined {
    const entry = checking ? orderCheck(this.id, this.label(), this.rank) : undefined;
    if (!tryLockWord(this.word, M_STATE)) return this.tryLockBusy(entry);
    this.word[M_OWNER] = OBSERVED_OWNER;
    this.acquiredObserved(entry);
    return this.guard;
  }

  private acquiredObserved(entry: HeldEntry | undefined): void {
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /** tryLock() found the word taken: it may be free but inconsistent, which is taken and reported like a lock(). */
  private tryLockBusy(entry: HeldEntry | undefined): undefined {
    if (!tryLockInconsistent(this.word, M_STATE)) return undefined;
    throw this.recovered(false, entry);
  }

  /** unlock() of anything but this thread's fast-path acquisition: an observed one, a recovery, or a misuse. */
  private unlockObserved(): void {
    const word = this.word;
    if (word[M_OWNER] !== OBSERVED_OWNER) throw this.notHeld('unlock');
    word[M_OWNER] = 0;
    // Unrepaired after an owner died: release it so that the next locker hears of it too (pthread would make the
    // lock unusable for good; passing the error on lets a later holder repair it).
    const to = word[M_RECOVERY] === 1 ? FREE_INCONSISTENT : UNLOCKED;
    word[M_RECOVERY] = 0;
    const woken = Atomics.exchange(word, M_STATE, to) === CONTENDED ? Atomics.notify(word, M_STATE, 1) : 0;
    // Unconditional: the acquisition may have been checked though checking is off now (removing nothing is harmless).
    noteReleased(this.id);
    if (tracer !== undefined) {
      tracer.released(this.id);
      if (woken > 0) tracer.notified(this.id, woken);
    }
  }

  private lockContended(options: WaitOptions | undefined, entry?: HeldEntry): void {
    if (this.isHeldByCurrentThread()) {
      throw new DeadlockError(`${this.label()} is already held by ${threadLabel}; lock() would wait forever (use lockAsync() to wait for another coroutine)`);
    }
    const deadline = deadlineOf(options?.timeout);
    const word = this.word;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
    const result = lockWordSlow(word, M_STATE, deadline, M_OWNER);
    if (tracer !== undefined) tracer.waitEnd(this.id, result !== TIMED_OUT);
    if (result === TIMED_OUT) throw new TimeoutError(`${threadLabel} timed out after ${options?.timeout} ms waiting for ${this.label()}`);
    if (result !== TAKEN) throw this.recovered(result === OWNER_DIED, entry);
  }

  /**
   * The slow path took the lock over from a dead owner, or took it free but unrepaired: record this thread as
   * the holder (on the observed path, so unlock() looks at M_RECOVERY) and return the error to report.
   */
  private recovered(died: boolean, entry: HeldEntry | undefined): OwnerDiedError {
    const word = this.word;
    word[M_OWNER] = OBSERVED_OWNER;
    word[M_RECOVERY] = 1;
    this.acquiredObserved(entry);
    const what = died ? `${ownerLabel(deadOwner)} died holding ${this.label()}` : `${this.label()} was released after its owner died but not marked consistent`;
    return new OwnerDiedError(`${what}; ${threadLabel} now holds it: repair what it guards, then call markConsistent() before unlock() (unlocking without it passes this error on to the next locker)`);
  }

  /** The contended, checked or traced async path; being async, a LockOrderViolation from the check becomes a rejection. */
  private async lockAsyncSlow(options: AsyncWaitOptions | undefined): Promise<LockGuard> {
    const entry = checking ? orderCheck(this.id, this.label(), this.rank) : undefined;
    const deadline = deadlineOf(options?.timeout);
    const word = this.word;
    if (!tryLockWord(word, M_STATE)) {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      let result: SlowLockResult = TIMED_OUT;
      try {
        result = await lockWordSlowAsync(word, M_STATE, deadline, options?.signal, M_OWNER);
      } finally {
        if (tracer !== undefined) tracer.waitEnd(this.id, result !== TIMED_OUT);
      }
      if (result === TIMED_OUT) throw new TimeoutError(`${threadLabel} timed out after ${options?.timeout} ms waiting for ${this.label()}`);
      if (result !== TAKEN) throw this.recovered(result === OWNER_DIED, entry);
    }
    // Contended but neither checked nor traced: a plain acquisition, released on unlock's fast path.
    word[M_OWNER] = entry === undefined && tracer === undefined ? OWNER : OBSERVED_OWNER;
    this.acquiredObserved(entry);
    return this.guard;
  }

  private notHeld(action: string): LockNotHeldError {
    const owner = this.word[M_OWNER]!;
    const holder = owner === 0 ? 'nobody holds it' : `it is held by ${owner === 1 || owner === -1 ? 'the main thread' : ownerLabel(owner)}`;
    return new LockNotHeldError(`${threadLabel} cannot ${action} ${this.label()}: it does not hold it (${holder})`);
  }

  private label(): string {
    return lockLabel('Mutex', this.name, this.id);
  }
}

// Checked mode lives on the prototype rather than being read from the imported `checking` binding: V8 reads an
// imported binding through several loads on every call (measured about 1 ns of a 24 ns lock+unlock), while a
// prototype property that rarely changes is folded into optimized code as a constant. The checking and
// observed paths below the fast path still read `checking` itself.
onCheckingChange((on) => {
  (Mutex.prototype as unknown as { checkedMode: boolean }).checkedMode = on;
});
