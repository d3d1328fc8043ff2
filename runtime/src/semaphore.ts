/**
 * Semaphore: a count of permits in shared memory. acquire takes one (compareExchange on the count, never
 * below zero), sleeping on the count while it is zero; release adds one and notifies only if someone sleeps.
 * Permits are not owned: any thread may release, and release may raise the count above its start.
 */

import { TimeoutError } from './errors.js';
import { checkHandle, HANDLE_VERSION, type HandleBase } from './handle.js';
import { lockLabel, nextLockId, threadLabel } from './ids.js';
import { quote } from './handle.js';
import { RECHECK_MS, stayFindable } from './liveness.js';
import { checkTimeout, deadlineOf, remaining, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { parkAsync } from './park.js';
import { tracer } from './trace/hooks.js';

/** Int32 slots of a Semaphore's buffer. */
export const S_PERMITS = 0; // permits available, never negative; sleepers wait on it while it reads 0
export const S_SLEEPERS = 1; // threads/coroutines about to sleep or asleep, so release skips notify when 0
const SEMAPHORE_BYTES = 2 * 4;

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
        try {
          await parkAsync(word, S_PERMITS, 0, ms < RECHECK_MS ? ms : RECHECK_MS, signal);
        } finally {
          Atomics.sub(word, S_SLEEPERS, 1);
        }
        if ((taken = this.#take())) break;
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

  withPermit<T>(fn: () => T, options?: WaitOptions): T {
    this.acquire(options);
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  async withPermitAsync<T>(fn: () => T | Promise<T>, options?: AsyncWaitOptions): Promise<T> {
    await this.acquireAsync(options);
    try {
      return await fn();
    } finally {
      this.release();
    }
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
