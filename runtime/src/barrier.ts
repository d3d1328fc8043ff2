/**
 * Barrier: `parties` threads (or coroutines) wait until all have arrived, then all go on; it is reusable.
 * Arrival is lock-free: one Int32 packs the arrival count, the generation and a broken bit, so arriving is a
 * compareExchange and the last arrival trips the barrier by moving to the next generation. A party that times
 * out (or is aborted) breaks the barrier: every party of that generation, and every later arrival, gets
 * BrokenBarrierError until reset(). Each arrival also records which thread it is, so when a thread's death is
 * reported (watch.ts), or a waiter looks by itself (liveness.ts), a party that died, either after arriving in this
 * generation or, having taken part in the last one, before arriving in this one, breaks the barrier instead of
 * leaving the others waiting forever. reset() forgets the parties of earlier rounds, so a replacement can join.
 */

import { blockingForbidden, blockingNotAllowed } from './blocking.js';
import { BrokenBarrierError, TimeoutError } from './errors.js';
import { checkHandle, HANDLE_VERSION, quote, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel } from './ids.js';
import { Vigil } from './liveness.js';
import { checkTimeout, deadlineOf, remaining, throwIfAborted, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { parkAsync } from './park.js';
import { sharedBuffer } from './shared-memory.js';
import { isDead, ownerLabel, probeIfDue, threadToken } from './thread-table.js';
import { tracer } from './trace/hooks.js';
import { waitBegan, waitEnded, watch, type Watched } from './watch.js';

/** Int32 slots of a Barrier's buffer. */
export const B_STATE = 0; // count | generation << GEN_SHIFT | BROKEN; waiters sleep on it
export const B_BROKEN_GEN = 1; // the last generation broken or reset with parties waiting (-1: none since a trip)
export const B_PARTIES = 2; // fixed at creation
/** The token of a dead party that broke the barrier (0: none), stored before the break so waiters can name it. */
export const B_DEAD_PARTY = 3;
/**
 * Then two rows of `parties` slots: row (generation & 1) holds the threadToken of each arrival of that
 * generation by arrival index (0 until it is stored), the other row the last generation's. An arrival stores its
 * token with Atomics.store right after its compareExchange counted it in; the party that trips a generation
 * clears the next generation's row before its trip becomes visible, so a token in the current row is never
 * older than the last generation. Read only when a death is reported or a waiter looks, never on the way through.
 */
export const B_ARRIVALS = 4;
const barrierBytes = (parties: number): number => (B_ARRIVALS + 2 * parties) * 4;

const COUNT_MASK = 0x7fff;
const GEN_SHIFT = 15;
const GEN_MASK = 0x7fff;
const BROKEN = 1 << 30;
export const MAX_PARTIES = COUNT_MASK;

const generationOf = (state: number): number => (state >>> GEN_SHIFT) & GEN_MASK;

export interface BarrierOptions {
  name?: string;
}

export interface BarrierHandle extends HandleBase<'deadbolt.Barrier'> {
  parties: number;
}

/** Where a waiting party stands after looking at the state word. */
type Standing = 'waiting' | 'passed' | 'broken';

export class Barrier implements Watched {
  static #adopting: BarrierHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly parties: number;
  readonly handle: BarrierHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;

  constructor(parties: number, options: BarrierOptions = {}) {
    const adopted = Barrier.#adopting;
    Barrier.#adopting = undefined;
    if (adopted !== undefined) {
      this.handle = adopted;
    } else {
      if (!Number.isInteger(parties) || parties < 1 || parties > MAX_PARTIES) {
        throw new RangeError(`new Barrier: parties must be an integer from 1 to ${MAX_PARTIES}, got ${quote(parties)}`);
      }
      const buffer = sharedBuffer(barrierBytes(parties), 'new Barrier');
      const word = new Int32Array(buffer);
      word[B_PARTIES] = parties; // plain writes: no other thread can see the buffer yet
      word[B_BROKEN_GEN] = -1;
      const name = options.name === undefined ? undefined : String(options.name);
      this.handle = { kind: 'deadbolt.Barrier', version: HANDLE_VERSION, buffer, id: nextLockId(), name, parties };
    }
    this.#word = new Int32Array(this.handle.buffer);
    this.id = this.handle.id;
    this.name = this.handle.name;
    this.parties = Atomics.load(this.#word, B_PARTIES);
    watch(this);
    if (tracer !== undefined) tracer.created(this.id, 'Barrier', this.name);
  }

  static from(handle: BarrierHandle): Barrier {
    const parties = (handle as Partial<BarrierHandle> | undefined)?.parties;
    if (handle?.kind === 'deadbolt.Barrier' && (typeof parties !== 'number' || !Number.isInteger(parties) || parties < 1 || parties > MAX_PARTIES)) {
      throw new TypeError(`Barrier.from: expected a deadbolt.Barrier handle, got one with a bad 'parties' (${quote(parties)})`);
    }
    Barrier.#adopting = checkHandle<BarrierHandle>(handle, 'deadbolt.Barrier', barrierBytes(parties!), 'Barrier.from');
    return new Barrier(1);
  }

  /** True after a timeout or abort broke the barrier, until reset(). */
  get broken(): boolean {
    return (Atomics.load(this.#word, B_STATE) & BROKEN) !== 0;
  }

  /** Waits for all parties; returns this party's 0-based arrival index. */
  wait(options?: WaitOptions): number {
    // Before arriving: a wait that cannot happen must not count this party, or the others would trip without it.
    if (blockingForbidden) throw blockingNotAllowed('Barrier', this.name, this.id, 'wait', 'waitAsync');
    if (options !== undefined) checkTimeout(options.timeout, 'Barrier', this.name, this.id, 'wait');
    const deadline = deadlineOf(options?.timeout);
    const arrival = this.#arrive();
    if (arrival.tripped) return arrival.index;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'barrier');
    const vigil = new Vigil();
    let standing: Standing = 'waiting';
    try {
      for (;;) {
        const state = Atomics.load(this.#word, B_STATE);
        standing = this.#standing(state, arrival.generation);
        if (standing === 'passed') return arrival.index;
        if (standing === 'broken') throw this.#brokenError();
        const ms = remaining(deadline);
        if (ms <= 0) {
          if (this.#break(arrival.generation)) throw this.#timeout(options?.timeout);
          continue; // it tripped or broke meanwhile; the next look says which
        }
        // Woken without a trip (a death reported, watch.ts) or after a while: look at the parties.
        if (Atomics.wait(this.#word, B_STATE, state, vigil.sleepMs(ms)) === 'timed-out') vigil.ranOut();
        this.#breakIfPartyDied(arrival.generation, Atomics.load(this.#word, B_STATE), vigil.gone);
      }
    } finally {
      if (tracer !== undefined) tracer.waitEnd(this.id, standing === 'passed');
    }
  }

  /** wait() without blocking the event loop. Aborting breaks the barrier, as a timeout does. */
  async waitAsync(options?: AsyncWaitOptions): Promise<number> {
    if (options !== undefined) checkTimeout(options.timeout, 'Barrier', this.name, this.id, 'waitAsync');
    const signal = options?.signal;
    throwIfAborted(signal);
    const deadline = deadlineOf(options?.timeout);
    const arrival = this.#arrive();
    if (arrival.tripped) return arrival.index;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'barrier');
    let standing: Standing = 'waiting';
    waitBegan(this); // now and then, probe the parties (watch.ts)
    try {
      for (;;) {
        const state = Atomics.load(this.#word, B_STATE);
        standing = this.#standing(state, arrival.generation);
        if (standing === 'passed') return arrival.index;
        if (standing === 'broken') throw this.#brokenError();
        const ms = remaining(deadline);
        if (ms <= 0) {
          if (this.#break(arrival.generation)) throw this.#timeout(options?.timeout);
          continue;
        }
        try {
          await parkAsync(this.#word, B_STATE, state, ms, signal);
        } catch (abort) {
          this.#break(arrival.generation);
          throw abort;
        }
        this.#breakIfPartyDied(arrival.generation, Atomics.load(this.#word, B_STATE), isDead);
      }
    } finally {
      waitEnded(this);
      if (tracer !== undefined) tracer.waitEnd(this.id, standing === 'passed');
    }
  }

  /**
   * Returns the barrier to its initial state. Parties waiting in the current generation get BrokenBarrierError.
   */
  reset(): void {
    const word = this.#word;
    Atomics.store(word, B_DEAD_PARTY, 0);
    // Forget who took part so far: a party that left (dead or not) must not break the rounds after a reset, which is
    // how a replacement joins. Cleared before the generation moves, so no arrival of the new one is erased.
    for (let i = B_ARRIVALS; i < B_ARRIVALS + 2 * this.parties; i++) Atomics.store(word, i, 0);
    let state = Atomics.load(word, B_STATE);
    for (;;) {
      const generation = generationOf(state);
      // Recorded before the generation moves, so a waiter that sees the new generation also sees it was not a trip.
      if ((state & BROKEN) !== 0 || (state & COUNT_MASK) > 0) Atomics.store(word, B_BROKEN_GEN, generation);
      const next = ((generation + 1) & GEN_MASK) << GEN_SHIFT;
      const seen = Atomics.compareExchange(word, B_STATE, state, next);
      if (seen === state) break;
      state = seen;
    }
    Atomics.notify(word, B_STATE);
  }

  /** Counts this party in: either it trips the barrier (last to arrive) or it must wait for `generation` to end. */
  #arrive(): { tripped: boolean; index: number; generation: number } {
    const word = this.#word;
    let state = Atomics.load(word, B_STATE);
    for (;;) {
      if ((state & BROKEN) !== 0) throw this.#brokenError();
      const index = state & COUNT_MASK;
      const generation = generationOf(state);
      const tripping = index + 1 === this.parties;
      if (tripping) {
        Atomics.store(word, B_BROKEN_GEN, -1); // this generation ends by a trip, not a break
        // The next generation's row still holds the one before this: clear it before the trip is visible.
        const next = B_ARRIVALS + ((generation + 1) & 1) * this.parties;
        for (let i = 0; i < this.parties; i++) Atomics.store(word, next + i, 0);
      }
      const next = tripping ? ((generation + 1) & GEN_MASK) << GEN_SHIFT : state + 1;
      const seen = Atomics.compareExchange(word, B_STATE, state, next);
      if (seen !== state) {
        state = seen;
        continue;
      }
      // Counted in: say who, for waiters checking that every party is still alive.
      Atomics.store(word, B_ARRIVALS + (generation & 1) * this.parties + index, threadToken);
      if (tripping) {
        const woken = Atomics.notify(word, B_STATE);
        if (tracer !== undefined) tracer.notified(this.id, woken);
      }
      return { tripped: tripping, index, generation };
    }
  }

  #standing(state: number, generation: number): Standing {
    if (generationOf(state) !== generation) {
      return Atomics.load(this.#word, B_BROKEN_GEN) === generation ? 'broken' : 'passed';
    }
    return (state & BROKEN) !== 0 ? 'broken' : 'waiting';
  }

  /** A thread died (watch.ts): if it was a party the current round waits for, break the round. */
  deathReported(): void {
    const state = Atomics.load(this.#word, B_STATE);
    if ((state & COUNT_MASK) > 0) this.#breakIfPartyDied(generationOf(state), state, isDead);
  }

  /** This thread's async waiters have waited a while: probe the parties, for deaths nobody could report. */
  probeHolders(): void {
    const state = Atomics.load(this.#word, B_STATE);
    if ((state & COUNT_MASK) > 0) this.#deadParty(generationOf(state), state, probeIfDue);
  }

  /**
   * In `generation` (state word `state`, still unbroken): if a party that arrived in it has died, or one that took part
   * in the last generation has died without arriving in this one, nobody will complete it; break it so every waiter
   * gets BrokenBarrierError naming the dead thread.
   */
  #breakIfPartyDied(generation: number, state: number, gone: (token: number) => boolean): void {
    if (generationOf(state) !== generation || (state & BROKEN) !== 0) return;
    const dead = this.#deadParty(generation, state, gone);
    if (dead === 0) return;
    Atomics.store(this.#word, B_DEAD_PARTY, dead); // before the break, which every waiter then reads it after
    this.#break(generation);
  }

  /** The token of a dead party of `generation` (see #breakIfPartyDied), or 0. */
  #deadParty(generation: number, state: number, gone: (token: number) => boolean): number {
    const word = this.#word;
    const parties = this.parties;
    const row = B_ARRIVALS + (generation & 1) * parties;
    const last = B_ARRIVALS + ((generation + 1) & 1) * parties;
    const arrived = state & COUNT_MASK;
    for (let i = 0; i < arrived; i++) {
      const token = Atomics.load(word, row + i);
      if (token !== 0 && token !== threadToken && gone(token)) return token;
    }
    for (let i = 0; i < parties; i++) {
      const token = Atomics.load(word, last + i);
      if (token === 0 || token === threadToken) continue;
      let came = false;
      for (let j = 0; j < arrived && !came; j++) came = Atomics.load(word, row + j) === token;
      if (!came && gone(token)) return token;
    }
    return 0;
  }

  /** Breaks `generation` if it is still current and unbroken; true if this call broke it. */
  #break(generation: number): boolean {
    const word = this.#word;
    let state = Atomics.load(word, B_STATE);
    while (generationOf(state) === generation && (state & BROKEN) === 0) {
      const seen = Atomics.compareExchange(word, B_STATE, state, (generation << GEN_SHIFT) | BROKEN);
      if (seen === state) {
        Atomics.store(word, B_BROKEN_GEN, generation);
        Atomics.notify(word, B_STATE);
        return true;
      }
      state = seen;
    }
    return false;
  }

  #brokenError(): BrokenBarrierError {
    const dead = Atomics.load(this.#word, B_DEAD_PARTY);
    const why = dead !== 0 ? `${ownerLabel(dead)}, one of its parties, died` : 'a party timed out or it was reset';
    return new BrokenBarrierError(`${lockLabel('Barrier', this.name, this.id)} is broken (${why}); call reset() to use it again`);
  }

  #timeout(timeout: number | undefined): TimeoutError {
    return new TimeoutError(`${threadLabel} timed out after ${timeout} ms at ${lockLabel('Barrier', this.name, this.id)}; the barrier is now broken`);
  }
}
