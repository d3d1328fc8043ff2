/**
 * Mutex: a non-reentrant lock in shared memory. The lock word names its holder (futex.ts): lock is one
 * compareExchange from free to this thread's token, unlock one compareExchange back, and only when a flag is set
 * (someone may sleep, the acquisition is reported, or a recovery is pending) does unlock take the slow path. Sleepers
 * park on the word with Atomics.wait, async waiters at the lock's gate (gate.ts). Checked mode and tracing live on an
 * "observed" path behind one branch. A holder that dies is found from its thread's exit (thread-table.ts, watch.ts);
 * the lock then passes to one waiter with OwnerDiedError, as a pthread robust mutex does.
 */

import type { HeldEntry } from './checked/held.js';
import { noteAcquired, noteReleased, orderCheck } from './checked/order.js';
import { checking, onCheckingChange } from './checked/state.js';
import { DeadlockError, LockNotHeldError, OwnerDiedError, TimeoutError } from './errors.js';
import {
  deadOwner,
  F_GATE_SEQ,
  F_GATES,
  FUTEX_SLOTS,
  INCONSISTENT,
  lockWordAsync,
  lockWordSlow,
  OBSERVED,
  OWNER_DIED,
  ownerOf,
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
import { checkTimeout, deadlineOf, timeoutError, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { ownerLabel, threadToken, TOKEN_MASK } from './thread-table.js';
import { tracer } from './trace/hooks.js';
import { watch, type Watched } from './watch.js';

// The constants below are module-local and not exported on purpose: V8 reads an exported or imported binding
// through a cell on every use, which measured 1 to 2 ns per uncontended lock+unlock (up to 10% of it).

/** Int32 slots of a Mutex's buffer: the futex (word, sleepers, gate), then the recovery flag. */
const M_STATE = 0; // the lock word: 0 free, else the holder's token | flags (futex.ts)
/**
 * 1 while the holder took the lock over from a dead owner (OwnerDiedError) and has not called markConsistent().
 * Written only by the holder, plainly; the releasing exchange publishes it. Read only off the fast path: a recovering
 * holder's word carries OBSERVED, so its unlock() takes the slow path.
 */
const M_RECOVERY = FUTEX_SLOTS;
const MUTEX_BYTES = (FUTEX_SLOTS + 1) * 4;

/** Where a Mutex's buffer holds its lock word, for Condition, which reads the holder of its mutex. */
export const MUTEX_WORD_INDEX = M_STATE;

const UNLOCKED = 0;
/** The word of a lock this thread took on the fast path: its token and no flag, which unlock()'s exchange expects. */
const OWNER = threadToken;

export interface MutexOptions {
  /** Shown in errors, traces and the debugger. */
  name?: string;
  /** Locks with ranks must be taken in increasing rank (checked mode enforces it); lockAll orders by it. */
  rank?: number;
}

export interface MutexHandle extends HandleBase<'deadbolt.Mutex'> {
  rank: number | undefined;
}

export class Mutex implements Watched {
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
  /** Where this thread's async waiters wait; made on the first contended lockAsync. */
  private gate: AsyncGate<SlowLockResult> | undefined;
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
    this.gate = undefined;
    watch(this);
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
    // One compareExchange takes the lock and names this thread its owner; being sequentially consistent, it acquires.
    if (Atomics.compareExchange(this.word, M_STATE, UNLOCKED, OWNER) !== UNLOCKED) this.lockContended(options, OWNER, undefined);
    return this.guard;
  }

  /** Takes the lock if it is free; returns its guard, or undefined without waiting. */
  tryLock(): LockGuard | undefined {
    if (this.checkedMode || tracer !== undefined) return this.tryLockObserved();
    if (Atomics.compareExchange(this.word, M_STATE, UNLOCKED, OWNER) !== UNLOCKED) return this.tryLockBusy(OWNER, undefined);
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
    if (Atomics.compareExchange(this.word, M_STATE, UNLOCKED, OWNER) !== UNLOCKED) return this.lockAsyncSlow(options);
    // Already resolved: no waitAsync, no allocation, and the lock is held before the caller's await.
    return this.ready;
  }

  /** Releases the lock; throws LockNotHeldError unless the calling thread holds it. */
  unlock(): void {
    // The word is exactly OWNER only for this thread's fast-path acquisition with nobody asleep: one compareExchange
    // releases it and publishes the critical section's writes. Anything else (a flag, another owner) goes slow.
    if (Atomics.compareExchange(this.word, M_STATE, OWNER, UNLOCKED) !== OWNER) this.unlockSlow();
  }

  /** True when the calling thread holds the lock (through any of its coroutines). */
  isHeldByCurrentThread(): boolean {
    // A plain read: only this thread writes its own token into the word, and it is the one asking.
    return (this.word[M_STATE]! & TOKEN_MASK) === OWNER;
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

  /** A thread died (watch.ts): if it held this lock, or was chosen to take it and could not, wake the waiters to look. */
  deathReported(): void {
    wakeIfOrphaned(this.word, M_STATE);
  }

  /** This thread's async waiters have waited a while: probe the holder, for a death nobody could report. */
  probeHolders(): void {
    probeOwner(this.word, M_STATE);
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
    const me = OWNER | OBSERVED;
    if (Atomics.compareExchange(this.word, M_STATE, UNLOCKED, me) !== UNLOCKED) this.lockContended(options, me, entry);
    this.acquiredObserved(entry);
    return this.guard;
  }

  private tryLockObserved(): LockGuard | undefined {
    const entry = checking ? orderCheck(this.id, this.label(), this.rank) : undefined;
    const me = OWNER | OBSERVED;
    if (Atomics.compareExchange(this.word, M_STATE, UNLOCKED, me) !== UNLOCKED) return this.tryLockBusy(me, entry);
    this.acquiredObserved(entry);
    return this.guard;
  }

  private acquiredObserved(entry: HeldEntry | undefined): void {
    if (entry !== undefined) noteAcquired(entry);
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /**
   * tryLock() found the word taken: it may have been freed since, be free but inconsistent, or be held by a thread
   * known dead; the last two are taken and reported like a lock().
   */
  private tryLockBusy(me: number, entry: HeldEntry | undefined): LockGuard | undefined {
    const result = tryTakeWord(this.word, M_STATE, me);
    if (result === undefined) return undefined;
    if (result !== TAKEN) throw this.recovered(result === OWNER_DIED, entry);
    if ((me & OBSERVED) !== 0) this.acquiredObserved(entry);
    return this.guard;
  }

  /** unlock() of anything but a fast-path acquisition with nobody waiting: flags set, a recovery, or a misuse. */
  private unlockSlow(): void {
    const word = this.word;
    const seen = Atomics.load(word, M_STATE);
    if ((seen & TOKEN_MASK) !== OWNER) throw this.notHeld('unlock');
    // Unrepaired after an owner died: release it so that the next locker hears of it too (pthread would make the
    // lock unusable for good; passing the error on lets a later holder repair it).
    const to = word[M_RECOVERY] === 1 ? INCONSISTENT : UNLOCKED;
    word[M_RECOVERY] = 0;
    const woken = releaseWord(word, M_STATE, to);
    // The acquisition was reported exactly when it set OBSERVED, so its release is, even if tracing or checking
    // changed since; removing a lock checked mode does not list is harmless.
    if ((seen & OBSERVED) === 0) return;
    noteReleased(this.id);
    if (tracer !== undefined) {
      tracer.released(this.id);
      if (woken > 0) tracer.notified(this.id, woken);
    }
  }

  private lockContended(options: WaitOptions | undefined, me: number, entry: HeldEntry | undefined): void {
    if (this.isHeldByCurrentThread()) {
      throw new DeadlockError(`${this.label()} is already held by ${threadLabel}; lock() would wait forever (use lockAsync() to wait for another coroutine)`);
    }
    const deadline = deadlineOf(options?.timeout);
    if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
    const result = lockWordSlow(this.word, M_STATE, me, deadline);
    if (tracer !== undefined) tracer.waitEnd(this.id, result !== TIMED_OUT);
    if (result === TIMED_OUT) throw new TimeoutError(`${threadLabel} timed out after ${options?.timeout} ms waiting for ${this.label()}`);
    if (result !== TAKEN) throw this.recovered(result === OWNER_DIED, entry);
  }

  /**
   * The slow path took the lock over from a dead owner, or took it free but unrepaired (the word now carries OBSERVED,
   * so unlock() looks at M_RECOVERY): record the recovery and return the error to report.
   */
  private recovered(died: boolean, entry: HeldEntry | undefined): OwnerDiedError {
    this.word[M_RECOVERY] = 1;
    this.acquiredObserved(entry);
    const what = died ? `${ownerLabel(deadOwner)} died holding ${this.label()}` : `${this.label()} was released after its owner died but not marked consistent`;
    return new OwnerDiedError(`${what}; ${threadLabel} now holds it: repair what it guards, then call markConsistent() before unlock() (unlocking without it passes this error on to the next locker)`);
  }

  /** The contended, checked or traced async path; being async, a LockOrderViolation from the check becomes a rejection. */
  private async lockAsyncSlow(options: AsyncWaitOptions | undefined): Promise<LockGuard> {
    const entry = checking ? orderCheck(this.id, this.label(), this.rank) : undefined;
    const deadline = deadlineOf(options?.timeout);
    const word = this.word;
    // Contended but neither checked nor traced: a plain acquisition, whose release reports nothing.
    const me = entry === undefined && tracer === undefined ? OWNER : OWNER | OBSERVED;
    if (Atomics.compareExchange(word, M_STATE, UNLOCKED, me) !== UNLOCKED) {
      if (tracer !== undefined) tracer.waitBegin(this.id, 'lock');
      let result: SlowLockResult = TIMED_OUT;
      try {
        this.gate ??= new AsyncGate(word, M_STATE + F_GATE_SEQ, M_STATE + F_GATES, true, this);
        result = await lockWordAsync(this.gate, word, M_STATE, me, deadline, options?.signal);
      } finally {
        if (tracer !== undefined) tracer.waitEnd(this.id, result !== TIMED_OUT);
      }
      if (result === TIMED_OUT) throw new TimeoutError(`${threadLabel} timed out after ${options?.timeout} ms waiting for ${this.label()}`);
      if (result !== TAKEN) throw this.recovered(result === OWNER_DIED, entry);
    }
    if ((me & OBSERVED) !== 0) this.acquiredObserved(entry);
    return this.guard;
  }

  private notHeld(action: string): LockNotHeldError {
    const owner = ownerOf(this.word, M_STATE);
    const label = ownerLabel(owner);
    const holder = owner === 0 ? 'nobody holds it' : `it is held by ${label === 'main thread' ? 'the main thread' : label}`;
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
