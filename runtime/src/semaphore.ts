/**
 * Semaphore: a count of permits in shared memory. acquire takes one (compareExchange on the count, never below zero),
 * sleeping on the count while it is zero; release adds one and wakes a sleeper and every async gate (gate.ts).
 * Permits are not owned: any thread may release, and release may raise the count above its start.
 *
 * The scoped calls (withPermit, withPermitAsync) take and return their permit in one thread, so their thread's row in
 * the holder table says how many it holds, and a dead holder's permits come back. To leave no moment in which a
 * permit is taken but not yet recorded (or the reverse), a scoped call changes its row while the count is frozen for
 * it: it notes in its row the permits it held before (the journal), subtracts its row's bias from the count (one
 * compareExchange, which also makes the count negative, so acquirers wait), updates the row, and then one add both
 * unfreezes the count and applies its own change. Releases keep adding while the count is frozen. Whoever finds a
 * dead thread's row, frozen or not, finishes it alike: it unfreezes the count adding all the permits the journal says
 * the thread held, since the thread's own change applies only with the unfreezing add, which never happened.
 */

import { TimeoutError } from './errors.js';
import { AsyncGate, GATE_TIMED_OUT } from './gate.js';
import { checkHandle, HANDLE_VERSION, quote, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel } from './ids.js';
import { Vigil } from './liveness.js';
import { checkTimeout, deadlineOf, remaining, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { isDead, probeIfDue, table, threadToken } from './thread-table.js';
import { tracer } from './trace/hooks.js';
import { watch, type Watched } from './watch.js';

/** Int32 slots of a Semaphore's buffer. */
export const S_PERMITS = 0; // permits available (>= 0), minus a row's bias (< 0) while that row's scoped call changes it
export const S_SLEEPERS = 1; // threads in (or about to enter) Atomics.wait on the count, so release skips notify when 0
const S_GATE_SEQ = 2; // async waiters' gates sleep here (gate.ts)
const S_GATES = 3; // gates parked
/**
 * The holder table: HOLDER_ROWS rows of ROW_SLOTS Int32 from S_ROWS, one row per thread inside scoped calls.
 * Module-local rather than exported (as in mutex.ts: V8 reads an exported binding through a cell on every use);
 * SEMAPHORE_HOLDER_TABLE below repeats them for tests.
 */
const S_ROWS = 4;
const R_OWNER = 0; // token of the row's thread; 0 free; -token of a thread finishing a dead holder's row
const R_HELD = 1; // permits that thread holds through scoped calls; written only while the count is frozen for the row
const R_SNAP = 2; // journal: R_HELD before the change in progress
const ROW_SLOTS = 3;
/**
 * Threads that can be inside scoped calls of one semaphore at once and still be recovered; the next ones are not
 * recorded (their permits work as before, but stay taken if their thread dies). 32 rows cost 384 bytes.
 */
const HOLDER_ROWS = 32;
const ROWS_END = S_ROWS + HOLDER_ROWS * ROW_SLOTS;
const SEMAPHORE_BYTES = ROWS_END * 4;

/**
 * Row k (from 1) freezes the count by subtracting k * FREEZE_UNIT: the result is negative, and names the row, as long
 * as the count stays below FREEZE_UNIT. So a count is frozen only while below FREEZE_LIMIT, which leaves 2^24
 * releases of headroom; above it, scoped calls go unrecorded (they still work).
 */
const FREEZE_UNIT = 2 ** 25;
const FREEZE_LIMIT = 2 ** 24;
const biasOf = (row: number): number => ((row - S_ROWS) / ROW_SLOTS + 1) * FREEZE_UNIT;
const frozenRow = (value: number): number => S_ROWS + (Math.ceil(-value / FREEZE_UNIT) - 1) * ROW_SLOTS;

/** The holder table's place in the buffer, for tests that fill it: first Int32 slot, rows, Int32 slots per row. */
export const SEMAPHORE_HOLDER_TABLE = { start: S_ROWS, rows: HOLDER_ROWS, rowSlots: ROW_SLOTS, owner: R_OWNER } as const;

/** Whether scoped calls record their holder: without a thread table nobody could find this thread dead. */
const RECORD = table !== undefined;
/** Where this thread first tries to claim a row: threads spread over the table, so claims rarely collide. */
const HOME_ROW = S_ROWS + (threadToken % HOLDER_ROWS) * ROW_SLOTS;
/** Reads of a frozen count before a waiter for it naps or gives up: a change while frozen is a few stores long. */
const FROZEN_SPINS = 64;
/** What a scoped take returns when no permit is available (a row index, or -1 for an unrecorded permit, otherwise). */
const NO_PERMIT = -2;

export interface SemaphoreOptions {
  name?: string;
}

export interface SemaphoreHandle extends HandleBase<'deadbolt.Semaphore'> {}

export class Semaphore implements Watched {
  static #adopting: SemaphoreHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly handle: SemaphoreHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;
  /** The row this thread claimed last (a hint: it is free or this thread's, unless others took it meanwhile). */
  #row = HOME_ROW;
  #gate: AsyncGate<number> | undefined;

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
    watch(this);
    if (tracer !== undefined) tracer.created(this.id, 'Semaphore', this.name);
  }

  static from(handle: SemaphoreHandle): Semaphore {
    Semaphore.#adopting = checkHandle<SemaphoreHandle>(handle, 'deadbolt.Semaphore', SEMAPHORE_BYTES, 'Semaphore.from');
    return new Semaphore(0);
  }

  /** Permits available right now (a snapshot; while a scoped call changes the count, the count before its change). */
  get available(): number {
    const value = Atomics.load(this.#word, S_PERMITS);
    return value >= 0 ? value : value + biasOf(frozenRow(value));
  }

  tryAcquire(): boolean {
    // The common case inline: a free permit, the count not frozen. #take handles the rest.
    const word = this.#word;
    const count = Atomics.load(word, S_PERMITS);
    if (count <= 0 || Atomics.compareExchange(word, S_PERMITS, count, count - 1) !== count) {
      if (!this.#take(undefined, false) && !(this.#recoverDead(undefined) > 0 && this.#take(undefined, false))) return false;
    }
    if (tracer !== undefined) tracer.acquired(this.id);
    return true;
  }

  /** Takes a permit, blocking while none is available; TimeoutError after `timeout` ms. */
  acquire(options?: WaitOptions): void {
    if (options !== undefined) checkTimeout(options.timeout, 'Semaphore', this.name, this.id, 'acquire');
    const word = this.#word;
    const count = Atomics.load(word, S_PERMITS);
    if (count <= 0 || Atomics.compareExchange(word, S_PERMITS, count, count - 1) !== count) {
      if (!this.#take(undefined, true)) this.#acquireSlow(deadlineOf(options?.timeout), options?.timeout, false);
    }
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /** acquire() without blocking the event loop; `signal` aborts the wait. */
  async acquireAsync(options?: AsyncWaitOptions): Promise<void> {
    if (options !== undefined) checkTimeout(options.timeout, 'Semaphore', this.name, this.id, 'acquireAsync');
    const signal = options?.signal;
    if (signal?.aborted === true) throw signal.reason;
    if (!this.#take(undefined, false)) await this.#acquireAsyncSlow(deadlineOf(options?.timeout), options, false);
    if (tracer !== undefined) tracer.acquired(this.id);
  }

  /** Returns a permit and wakes one sleeper and every async gate. */
  release(): void {
    const word = this.#word;
    // An add even while the count is frozen: the freezing row's own change is applied with its unfreezing add.
    Atomics.add(word, S_PERMITS, 1);
    if (tracer !== undefined) tracer.released(this.id);
    if (Atomics.load(word, S_SLEEPERS) > 0 || Atomics.load(word, S_GATES) > 0) this.#wake(1);
  }

  /**
   * Acquire, run `fn`, release. The permit is owned by this thread while `fn` runs, so it is recorded in the
   * holder table, and comes back to the semaphore if the thread dies inside `fn`.
   */
  withPermit<T>(fn: () => T, options?: WaitOptions): T {
    if (options !== undefined) checkTimeout(options.timeout, 'Semaphore', this.name, this.id, 'withPermit');
    let row = this.#takeScoped(undefined, true);
    if (row === NO_PERMIT) row = this.#acquireSlow(deadlineOf(options?.timeout), options?.timeout, true);
    if (tracer !== undefined) tracer.acquired(this.id);
    try {
      return fn();
    } finally {
      this.#returnScoped(row);
    }
  }

  async withPermitAsync<T>(fn: () => T | Promise<T>, options?: AsyncWaitOptions): Promise<T> {
    if (options !== undefined) checkTimeout(options.timeout, 'Semaphore', this.name, this.id, 'withPermitAsync');
    const signal = options?.signal;
    if (signal?.aborted === true) throw signal.reason;
    let row = this.#takeScoped(undefined, false);
    if (row === NO_PERMIT) row = await this.#acquireAsyncSlow(deadlineOf(options?.timeout), options, true);
    if (tracer !== undefined) tracer.acquired(this.id);
    try {
      return await fn();
    } finally {
      this.#returnScoped(row);
    }
  }

  /**
   * A thread died (watch.ts): give back the permits of every dead holder, and wake as many waiters. If permits are
   * free while waiters sleep, a release's wake-up may have gone to a waiter that died: wake them all to look.
   */
  deathReported(): void {
    if (this.#recoverDead(undefined) > 0) return;
    const word = this.#word;
    if (Atomics.load(word, S_PERMITS) > 0 && Atomics.load(word, S_SLEEPERS) + Atomics.load(word, S_GATES) > 0) this.#wake(Infinity);
  }

  /** This thread's async waiters have waited a while: probe the recorded holders, for deaths nobody could report. */
  probeHolders(): void {
    for (let row = S_ROWS; row < ROWS_END; row += ROW_SLOTS) {
      const owner = Atomics.load(this.#word, row + R_OWNER);
      if (owner !== 0 && owner !== threadToken) probeIfDue(owner < 0 ? -owner : owner);
    }
  }

  /**
   * The blocking wait of acquire, or of withPermit (`scoped`: then returns the row that records the permit, -1 for
   * none). Counted in S_SLEEPERS before it looks, so a release that adds a permit either is seen by the look inside
   * Atomics.wait or sees the sleeper and notifies.
   */
  #acquireSlow(deadline: number, timeout: number | undefined, scoped: boolean): number {
    const word = this.#word;
    const vigil = new Vigil();
    if (tracer !== undefined) tracer.waitBegin(this.id, 'semaphore');
    let row = NO_PERMIT;
    try {
      for (;;) {
        const ms = remaining(deadline);
        if (ms <= 0) throw this.#timeout(timeout);
        Atomics.add(word, S_SLEEPERS, 1);
        const result = Atomics.wait(word, S_PERMITS, 0, vigil.sleepMs(ms));
        Atomics.sub(word, S_SLEEPERS, 1);
        if ((row = this.#takeAs(scoped, vigil)) !== NO_PERMIT) return row;
        if (result !== 'timed-out') continue;
        vigil.ranOut();
        // No permit for a while: a holder may have died without anyone hearing of it.
        if (this.#recoverDead(vigil) > 0 && (row = this.#takeAs(scoped, vigil)) !== NO_PERMIT) return row;
      }
    } finally {
      if (tracer !== undefined) tracer.waitEnd(this.id, row !== NO_PERMIT);
    }
  }

  async #acquireAsyncSlow(deadline: number, options: AsyncWaitOptions | undefined, scoped: boolean): Promise<number> {
    if (tracer !== undefined) tracer.waitBegin(this.id, 'semaphore');
    let row: number | typeof GATE_TIMED_OUT = GATE_TIMED_OUT;
    try {
      this.#gate ??= new AsyncGate(this.#word, S_GATE_SEQ, S_GATES, true, this);
      row = await this.#gate.wait(() => {
        const taken = scoped ? this.#takeScoped(undefined, false) : this.#take(undefined, false) ? -1 : NO_PERMIT;
        return taken === NO_PERMIT ? undefined : taken;
      }, deadline, options?.signal);
      if (row === GATE_TIMED_OUT) throw this.#timeout(options?.timeout);
      return row;
    } finally {
      if (tracer !== undefined) tracer.waitEnd(this.id, row !== GATE_TIMED_OUT);
    }
  }

  /** A take by a blocking waiter: a scoped one (returning its row) or a plain one (-1); NO_PERMIT when none is free. */
  #takeAs(scoped: boolean, vigil: Vigil): number {
    if (scoped) return this.#takeScoped(vigil, true);
    return this.#take(vigil, true) ? -1 : NO_PERMIT;
  }

  /**
   * Takes an unowned permit if one is available. A frozen count is waited out (a scoped call's change is a few stores
   * long); only a caller that may block (`mayNap`) naps when the freezing thread was preempted, the others give up.
   * `vigil` is a blocking waiter's, which may probe a freezing thread it has waited long on.
   */
  #take(vigil: Vigil | undefined, mayNap: boolean): boolean {
    const word = this.#word;
    let count = Atomics.load(word, S_PERMITS);
    for (;;) {
      if (count < 0) {
        if (!this.#awaitUnfrozen(count, vigil, mayNap)) return false;
        count = Atomics.load(word, S_PERMITS);
        continue;
      }
      if (count === 0) return false;
      const seen = Atomics.compareExchange(word, S_PERMITS, count, count - 1);
      if (seen === count) return true;
      count = seen;
    }
  }

  /**
   * Takes a permit as a scoped holder: claims this thread's row (another coroutine of the thread may have freed it
   * since the last attempt), freezes the count for it, counts the permit in the row, and unfreezes the count one
   * lower. Returns the row, -1 when the permit was taken unrecorded (every row is another thread's, or the count is
   * too high to freeze), or NO_PERMIT.
   */
  #takeScoped(vigil: Vigil | undefined, mayNap: boolean): number {
    const row = this.#claimRow();
    if (row < 0) return this.#take(vigil, mayNap) ? -1 : NO_PERMIT;
    const word = this.#word;
    const count = this.#freeze(row, vigil, mayNap, true);
    if (count <= 0) {
      this.#unclaimIfIdle(row);
      if (count === 0) return NO_PERMIT;
      return this.#take(vigil, mayNap) ? -1 : NO_PERMIT; // too many permits to freeze: unrecorded
    }
    word[row + R_HELD] = word[row + R_SNAP]! + 1;
    // The unfreezing add publishes the row, and applies this take.
    Atomics.add(word, S_PERMITS, biasOf(row) - 1);
    // Acquirers that met the frozen count without sleeping wait at a gate: let them look again.
    if (Atomics.load(word, S_GATES) > 0) AsyncGate.wake(word, S_GATE_SEQ, S_GATES);
    return row;
  }

  /** Returns a scoped permit: with the count frozen for the row, one fewer in the row, then one more in the count. */
  #returnScoped(row: number): void {
    if (row < 0) return this.release();
    const word = this.#word;
    if (this.#freeze(row, undefined, true, false) < 0) {
      // The count has grown too high to freeze: return the permit unfrozen (a death between the two stores loses it).
      word[row + R_HELD]!--;
      Atomics.add(word, S_PERMITS, 1);
    } else {
      word[row + R_HELD] = word[row + R_SNAP]! - 1;
      Atomics.add(word, S_PERMITS, biasOf(row) + 1);
    }
    // Freed only after the count is unfrozen: a row that froze the count must stay its thread's. A plain store
    // (about 10 ns less): until another thread sees it, the row only looks taken, and a finisher that reads the old
    // owner after this thread died finds the row holding nothing and frees it.
    if (word[row + R_HELD] === 0) word[row + R_OWNER] = 0;
    if (tracer !== undefined) tracer.released(this.id);
    if (Atomics.load(word, S_SLEEPERS) > 0 || Atomics.load(word, S_GATES) > 0) this.#wake(1);
  }

  /**
   * Freezes the count for `row`, noting the row's permits in its journal first, and returns the count it froze
   * (>= 0). With `needPermit`, gives up at a count of 0 (returning 0, nothing frozen). Returns -1, nothing frozen,
   * when the count is at FREEZE_LIMIT or more. A count already frozen for this row (its thread died mid-change and
   * this thread is finishing its row) is taken as it is, journal and all.
   */
  #freeze(row: number, vigil: Vigil | undefined, mayNap: boolean, needPermit: boolean): number {
    const word = this.#word;
    const bias = biasOf(row);
    for (;;) {
      const count = Atomics.load(word, S_PERMITS);
      if (count < 0) {
        if (frozenRow(count) === row) return count + bias;
        if (!this.#awaitUnfrozen(count, vigil, mayNap) && needPermit) return 0;
        continue;
      }
      if (count === 0 && needPermit) return 0;
      if (count >= FREEZE_LIMIT) return -1;
      // A plain store: the compareExchange below publishes it to whoever later finds the count frozen.
      word[row + R_SNAP] = word[row + R_HELD]!;
      if (Atomics.compareExchange(word, S_PERMITS, count, count - bias) === count) return count;
    }
  }

  /**
   * Waits out a count frozen by another row (`value`), finishing that row if its thread is dead. Returns false when
   * it is still frozen after a short spin and the caller may not nap (an async caller, whose gate the unfreezing
   * wakes to retry; or a try caller).
   */
  #awaitUnfrozen(value: number, vigil: Vigil | undefined, mayNap: boolean): boolean {
    const word = this.#word;
    for (let spin = 0; ; spin++) {
      const now = Atomics.load(word, S_PERMITS);
      if (now >= 0 || frozenRow(now) !== frozenRow(value)) return true;
      const row = frozenRow(now);
      const owner = Atomics.load(word, row + R_OWNER);
      const thread = owner < 0 ? -owner : owner;
      if (owner !== 0 && thread !== threadToken && (vigil === undefined ? isDead(thread) : vigil.gone(thread))) {
        this.#finishRow(row, owner);
        return true;
      }
      if (spin < FROZEN_SPINS) continue;
      if (!mayNap) return false;
      // The freezing thread was preempted mid-change: nap rather than spin (its unfreezing add does not notify).
      Atomics.wait(word, S_PERMITS, now, 1);
    }
  }

  /**
   * Gives back the permits of every recorded holder whose thread is dead (reported, or, for a blocked waiter with a
   * long wait, probed), and wakes as many waiters. Returns how many permits came back.
   */
  #recoverDead(vigil: Vigil | undefined): number {
    const word = this.#word;
    let returned = 0;
    for (let row = S_ROWS; row < ROWS_END; row += ROW_SLOTS) {
      const owner = Atomics.load(word, row + R_OWNER);
      if (owner === 0 || owner === threadToken || owner === -threadToken) continue;
      const thread = owner < 0 ? -owner : owner;
      if (vigil === undefined ? isDead(thread) : vigil.gone(thread)) returned += this.#finishRow(row, owner);
    }
    return returned;
  }

  /**
   * Finishes the row of a dead thread (`owner` as last read: its token, or -token of a thread that died finishing
   * another's row): claims the row, so of several finishers one goes on, freezes the count for it (or finds it frozen
   * for it already), empties the row, then unfreezes the count adding the journal's permits, and frees the row.
   * Every step leaves the row so that a finisher that dies in turn is finished the same way. Returns the permits that
   * came back.
   */
  #finishRow(row: number, owner: number): number {
    const word = this.#word;
    if (Atomics.compareExchange(word, row + R_OWNER, owner, -threadToken) !== owner) return 0;
    let held: number;
    if (this.#freeze(row, undefined, true, false) < 0) {
      // Too many permits to freeze; nothing else writes this row now that it is claimed.
      held = Atomics.exchange(word, row + R_HELD, 0);
      Atomics.add(word, S_PERMITS, held);
    } else {
      held = word[row + R_SNAP]!;
      word[row + R_HELD] = 0; // before unfreezing: a finisher that dies after it gives nothing back twice
      Atomics.add(word, S_PERMITS, biasOf(row) + held);
    }
    Atomics.store(word, row + R_OWNER, 0);
    if (held > 0) this.#wake(held);
    else if (Atomics.load(word, S_GATES) > 0) AsyncGate.wake(word, S_GATE_SEQ, S_GATES);
    return held;
  }

  /**
   * This thread's row for a scoped call: its hint row if free or already its own, else the first such row; -1 when
   * every row belongs to another thread (the call then runs unrecorded). Claiming a row takes no permit.
   */
  #claimRow(): number {
    if (!RECORD) return -1;
    const word = this.#word;
    let row = this.#row;
    for (let n = 0; n < HOLDER_ROWS; n++) {
      const seen = Atomics.compareExchange(word, row + R_OWNER, 0, threadToken);
      if (seen === 0 || seen === threadToken) {
        this.#row = row;
        return row;
      }
      row += ROW_SLOTS;
      if (row === ROWS_END) row = S_ROWS;
    }
    return -1;
  }

  /** A scoped take that found no permit: frees the row claimed for it if this thread holds nothing through it. */
  #unclaimIfIdle(row: number): void {
    if (Atomics.load(this.#word, row + R_HELD) === 0) Atomics.compareExchange(this.#word, row + R_OWNER, threadToken, 0);
  }

  /** After permits were added: wakes up to `n` blocked sleepers and every async gate. */
  #wake(n: number): void {
    const word = this.#word;
    let woken = 0;
    if (Atomics.load(word, S_SLEEPERS) > 0) woken += Atomics.notify(word, S_PERMITS, n);
    woken += AsyncGate.wake(word, S_GATE_SEQ, S_GATES);
    if (tracer !== undefined && woken > 0) tracer.notified(this.id, woken);
  }

  #timeout(timeout: number | undefined): TimeoutError {
    return new TimeoutError(`${threadLabel} timed out after ${timeout} ms waiting for ${lockLabel('Semaphore', this.name, this.id)}`);
  }
}
