/**
 * Semaphore: a count of permits in shared memory. acquire takes one (compareExchange on the count, never
 * below zero), sleeping on the count while it is zero; release adds one and notifies only if someone sleeps.
 * Permits are not owned: any thread may release, and release may raise the count above its start. The scoped
 * calls (withPermit, withPermitAsync) take and return their permit in one thread, so they note it in a small
 * table of holders; a waiter that has slept a recheck interval gives back the permits of holders whose thread
 * died (liveness.ts), and nothing else on the way reads the table.
 */

import { TimeoutError } from './errors.js';
import { checkHandle, HANDLE_VERSION, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel, threadToken } from './ids.js';
import { quote } from './handle.js';
import { findable, isDead, RECHECK_MS, stayFindable } from './liveness.js';
import { checkTimeout, deadlineOf, remaining, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { parkAsync, type ParkResult } from './park.js';
import { tracer } from './trace/hooks.js';

/** Int32 slots of a Semaphore's buffer. */
export const S_PERMITS = 0; // permits available, never negative; sleepers wait on it while it reads 0
export const S_SLEEPERS = 1; // threads/coroutines about to sleep or asleep, so release skips notify when 0
/**
 * The holder table: HOLDER_ROWS rows of ROW_SLOTS Int32 from S_HOLDERS, one row per thread inside a scoped call.
 * Module-local rather than exported (as in mutex.ts: V8 reads an exported binding through a cell on every use);
 * SEMAPHORE_HOLDER_TABLE below repeats them for tests.
 */
const S_HOLDERS = 2;
const R_OWNER = 0; // threadToken of the row's thread; 0 free; RECOVERING while a waiter gives its permits back
const R_EXTRA = 1; // permits that thread holds through scoped calls, minus one; 0 whenever the row is free
const ROW_SLOTS = 2;
/**
 * Threads that can be inside scoped calls of one semaphore at once and still be recovered; the next ones are
 * not recorded (their permits work as before, but stay taken if their thread dies). 32 rows cost 256 bytes.
 */
const HOLDER_ROWS = 32;
const HOLDERS_END = S_HOLDERS + HOLDER_ROWS * ROW_SLOTS;
/** Never a threadToken (those are positive): claiming threads pass over the row, other recoverers too. */
const RECOVERING = -1;
const SEMAPHORE_BYTES = HOLDERS_END * 4;

/** The holder table's place in the buffer, for tests that fill it: first Int32 slot, rows, Int32 slots per row. */
export const SEMAPHORE_HOLDER_TABLE = { start: S_HOLDERS, rows: HOLDER_ROWS, rowSlots: ROW_SLOTS, owner: R_OWNER } as const;

/**
 * Whether scoped calls record their holder: only a thread that can be found dead (liveness.ts) has permits
 * worth recovering. Copied into a module-local constant, which V8 reads more cheaply than an imported binding.
 */
const RECORD = findable;
/** Where this thread first tries to claim a row: threads spread over the table, so claims rarely collide. */
const HOME_ROW = S_HOLDERS + (threadToken % HOLDER_ROWS) * ROW_SLOTS;

export interface SemaphoreOptions {
  name?: string;
}

export interface SemaphoreHandle extends HandleBase<'deadbolt.Semaphore'> {}

export class Semaphore {
  static #adopting: SemaphoreHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly handle: SemaphoreHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;
  /** The row this thread claimed last (a hint: it is free or this thread's, unless others took it meanwhile). */
  #row = HOME_ROW;

  constructor(permits: number, options: SemaphoreOptions = {}) {
    const adopted = Semaphore.#adopting;
    Semaphore.#adopting = undefined;
    if (adopted !== undefined) {
      this.handle = adopted;
    } else {
      if (!Number.isInteger(permits) || permits < 0 || permits > 0x7fffffff) {
        throw new RangeError(`new Semaphore: permits must be an integer from 0 to 2^31-1, got ${quote(permits)}`);
      }
      const buffer = new SharedArrayBuffer(SEMAPHORE_BYTES);
      new Int32Array(buffer)[S_PERMITS] = permits; // before any other thread can see the buffer
      const name = options.name === undefined ? undefined : String(options.name);
      this.handle = { kind: 'deadbolt.Semaphore', version: HANDLE_VERSION, buffer, id: nextLockId(), name };
    }
    this.id = this.handle.id;
    this.name = this.handle.name;
    this.#word = new Int32Array(this.handle.buffer);
    if (tracer !== undefined) tracer.created(this.id, 'Semaphore', this.name);
  }

  static from(handle: SemaphoreHandle): Semaphore {
    Semaphore.#adopting = checkHandle<SemaphoreHandle>(handle, 'deadbolt.Semaphore', SEMAPHORE_BYTES, 'Semaphore.from');
    return new Semaphore(0);
  }

  /** Permits available right now (a snapshot). */
  get available(): number {
    return Atomics.load(this.#word, S_PERMITS);
  }

  tryAcquire(): boolean {
    if (!this.#take()) return false;
    if (tracer !== undefined) tracer.acquired(this.id);
    return true;
  }

  /** Takes a permit, blocking while none is available; TimeoutError after `timeout` ms. */
  acquire(options?: WaitOptions): void {
    if (options !== undefined) checkTimeout(options.timeout, 'Semaphore', this.name, this.id, 'acquire');
    if (this.tryAcquire()) return;
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'semaphore');
    for (;;) {
      const ms = remaining(deadline);
      if (ms <= 0) {
        if (tracer !== undefined) tracer.waitEnd(this.id, false);
        throw this.#timeout(options?.timeout);
      }
      // Announce the sleeper before re-checking the count (inside Atomics.wait): release() adds a permit and
      // then reads S_SLEEPERS, so one of us sees the other's write and no wake-up is lost.
      Atomics.add(word, S_SLEEPERS, 1);
      // At most RECHECK_MS: a release's notify(1) may pick a waiter that can never take the permit (its thread
      // was terminated, or is stuck in sync code with this wait pending on its event loop); then we look anyway.
      const result = Atomics.wait(word, S_PERMITS, 0, ms < RECHECK_MS ? ms : RECHECK_MS);
      Atomics.sub(word, S_SLEEPERS, 1);
      if (result === 'timed-out') stayFindable();
      if (this.#take()) break;
      // A sleep that ran out with no permit to take: a thread may have died inside a scoped call, holding some.
      if (result === 'timed-out' && this.#recoverDead() > 0 && this.#take()) break;
    }
    if (tracer !== undefined) {
      tracer.waitEnd(this.id, true);
      tracer.acquired(this.id);
    }
  }

  /** acquire() without blocking the event loop; `signal` aborts the wait. */
  async acquireAsync(options?: AsyncWaitOptions): Promise<void> {
    if (options !== undefined) checkTimeout(options.timeout, 'Semaphore', this.name, this.id, 'acquireAsync');
    const signal = options?.signal;
    if (signal?.aborted === true) throw signal.reason;
    if (this.tryAcquire()) return;
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'semaphore');
    let taken = false;
    try {
      for (;;) {
        const ms = remaining(deadline);
        if (ms <= 0) throw this.#timeout(options?.timeout);
        Atomics.add(word, S_SLEEPERS, 1);
        let result: ParkResult;
        try {
          result = await parkAsync(word, S_PERMITS, 0, ms < RECHECK_MS ? ms : RECHECK_MS, signal);
        } finally {
          Atomics.sub(word, S_SLEEPERS, 1);
        }
        if ((taken = this.#take())) break;
        if (result === 'timed-out' && this.#recoverDead() > 0 && (taken = this.#take())) break;
      }
    } finally {
      if (tracer !== undefined) tracer.waitEnd(this.id, taken);
    }
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /** Returns a permit and wakes one sleeper, if any. */
  release(): void {
    const word = this.#word;
    Atomics.add(word, S_PERMITS, 1);
    if (tracer !== undefined) tracer.released(this.id);
    if (Atomics.load(word, S_SLEEPERS) > 0) {
      const woken = Atomics.notify(word, S_PERMITS, 1);
      if (tracer !== undefined) tracer.notified(this.id, woken);
    }
  }

  /**
   * Acquire, run `fn`, release. The permit is owned by this thread while `fn` runs, so it is recorded in the
   * holder table, and comes back to the semaphore if the thread dies inside `fn`.
   */
  withPermit<T>(fn: () => T, options?: WaitOptions): T {
    this.acquire(options);
    const row = this.#record();
    try {
      return fn();
    } finally {
      this.#unrecord(row);
      this.release();
    }
  }

  async withPermitAsync<T>(fn: () => T | Promise<T>, options?: AsyncWaitOptions): Promise<T> {
    await this.acquireAsync(options);
    const row = this.#record();
    try {
      return await fn();
    } finally {
      this.#unrecord(row);
      this.release();
    }
  }

  /**
   * Notes one more scoped permit held by this thread, after it was taken: a death between the two loses the
   * permit for good, where the other order could let a recoverer return a permit that was never taken. Returns
   * the row to pass to #unrecord, or -1 when nothing was recorded (the table is full, or nobody could find this
   * thread dead).
   */
  #record(): number {
    if (!RECORD) return -1;
    const row = this.#row;
    // Only this thread writes a row it owns (until its thread is dead), so no other thread races the add below.
    const seen = Atomics.compareExchange(this.#word, row + R_OWNER, 0, threadToken);
    if (seen === 0) return row;
    if (seen === threadToken) {
      Atomics.add(this.#word, row + R_EXTRA, 1); // another scoped call of this thread (nested, or a coroutine)
      return row;
    }
    return this.#claimRow();
  }

  /** #record when its hint row belongs to another thread: the first row that is free or already this thread's. */
  #claimRow(): number {
    const word = this.#word;
    let row = this.#row;
    for (let n = 1; n < HOLDER_ROWS; n++) {
      row += ROW_SLOTS;
      if (row === HOLDERS_END) row = S_HOLDERS;
      const seen = Atomics.compareExchange(word, row + R_OWNER, 0, threadToken);
      if (seen === threadToken) Atomics.add(word, row + R_EXTRA, 1);
      else if (seen !== 0) continue;
      this.#row = row;
      return row;
    }
    return -1;
  }

  /**
   * Forgets one scoped permit, before release() returns it: a death between the two loses the permit, where the
   * other order could let a recoverer return it a second time.
   */
  #unrecord(row: number): void {
    if (row < 0) return;
    const word = this.#word;
    // Plain accesses, as for a Mutex's owner slot: only this thread writes its row, and the Atomics.add of the
    // release() that follows publishes the cleared owner to the waiters, whose #take reads the count before they
    // look at the table. An Atomics.store here measured about 10 ns of the scoped call's cost.
    if (word[row + R_EXTRA]! > 0) Atomics.sub(word, row + R_EXTRA, 1);
    else word[row + R_OWNER] = 0; // R_EXTRA is already 0, as a free row must leave it
  }

  /**
   * Gives back the permits of every recorded holder whose thread is certainly dead, and wakes as many sleepers.
   * Called only by a waiter whose sleep ran out (no wake-up for RECHECK_MS, or its deadline). Returns how many
   * permits came back.
   */
  #recoverDead(): number {
    const word = this.#word;
    let returned = 0;
    for (let row = S_HOLDERS; row < HOLDERS_END; row += ROW_SLOTS) {
      const owner = Atomics.load(word, row + R_OWNER);
      if (owner <= 0 || !isDead(owner)) continue;
      // Claim the row before counting: of the waiters that found this owner dead, exactly one wins the exchange,
      // so its permits come back once. A dead owner writes nothing more, so R_EXTRA is final.
      if (Atomics.compareExchange(word, row + R_OWNER, owner, RECOVERING) !== owner) continue;
      returned += Atomics.exchange(word, row + R_EXTRA, 0) + 1;
      // Freed before the permits are added: should this thread die in between, they are lost, never doubled.
      Atomics.store(word, row + R_OWNER, 0);
    }
    if (returned === 0) return 0;
    Atomics.add(word, S_PERMITS, returned);
    if (Atomics.load(word, S_SLEEPERS) > 0) {
      const woken = Atomics.notify(word, S_PERMITS, returned);
      if (tracer !== undefined) tracer.notified(this.id, woken);
    }
    return returned;
  }

  /** tryAcquire without the trace event (the caller reports the end of its wait). */
  #take(): boolean {
    const word = this.#word;
    let permits = Atomics.load(word, S_PERMITS);
    while (permits > 0) {
      const seen = Atomics.compareExchange(word, S_PERMITS, permits, permits - 1);
      if (seen === permits) return true;
      permits = seen;
    }
    return false;
  }

  #timeout(timeout: number | undefined): TimeoutError {
    return new TimeoutError(`${threadLabel} timed out after ${timeout} ms waiting for ${lockLabel('Semaphore', this.name, this.id)}`);
  }
}
