/**
 * Event: a flag threads can wait on. set() raises it and wakes every waiter; clear() lowers it. Waiters sleep on
 * a generation counter that each set() bumps, so a waiter woken by set() returns true even if clear() ran
 * before it got the CPU (as Python's threading.Event does).
 */

import { checkHandle, HANDLE_VERSION, type HandleBase } from './handle.js';
import { nextLockId } from './ids.js';
import { checkTimeout, deadlineOf, remaining, throwIfAborted, type AsyncWaitOptions, type WaitOptions } from './options.js';
import { parkAsync } from './park.js';
import { tracer } from './trace/hooks.js';

/** Int32 slots of an Event's buffer. */
export const E_FLAG = 0; // 1 set, 0 clear
export const E_GEN = 1; // bumped by every set() that raises the flag; waiters sleep on it
const EVENT_BYTES = 2 * 4;

export interface EventOptions {
  name?: string;
}

export interface EventHandle extends HandleBase<'deadbolt.Event'> {}

export class Event {
  static #adopting: EventHandle | undefined;

  readonly id: number;
  readonly name: string | undefined;
  readonly handle: EventHandle;
  readonly #word: Int32Array<SharedArrayBuffer>;

  constructor(options: EventOptions = {}) {
    const adopted = Event.#adopting;
    Event.#adopting = undefined;
    this.handle = adopted ?? {
      kind: 'deadbolt.Event',
      version: HANDLE_VERSION,
      buffer: new SharedArrayBuffer(EVENT_BYTES),
      id: nextLockId(),
      name: options.name === undefined ? undefined : String(options.name),
    };
    this.id = this.handle.id;
    this.name = this.handle.name;
    this.#word = new Int32Array(this.handle.buffer);
    if (tracer !== undefined) tracer.created(this.id, 'Event', this.name);
  }

  static from(handle: EventHandle): Event {
    Event.#adopting = checkHandle<EventHandle>(handle, 'deadbolt.Event', EVENT_BYTES, 'Event.from');
    return new Event();
  }

  set(): void {
    const word = this.#word;
    if (Atomics.exchange(word, E_FLAG, 1) === 1) return; // already set: nobody can be asleep waiting for it
    // Flag first, then generation: a waiter reads the generation before the flag, so if it saw the flag clear
    // it also holds the old generation, and Atomics.wait on it returns at once or is woken below.
    Atomics.add(word, E_GEN, 1);
    const woken = Atomics.notify(word, E_GEN);
    if (tracer !== undefined) tracer.notified(this.id, woken);
  }

  clear(): void {
    Atomics.store(this.#word, E_FLAG, 0);
  }

  isSet(): boolean {
    return Atomics.load(this.#word, E_FLAG) === 1;
  }

  /** Blocks until the flag is set; returns true, or false if `timeout` ms pass first. */
  wait(options?: WaitOptions): boolean {
    if (options !== undefined) checkTimeout(options.timeout, 'Event', this.name, this.id, 'wait');
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    const gen = Atomics.load(word, E_GEN);
    if (Atomics.load(word, E_FLAG) === 1) return true;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'event');
    let raised = false;
    for (;;) {
      const ms = remaining(deadline);
      if (ms <= 0) break;
      // set() wakes every waiter, so nothing can be lost to a waiter that cannot run: no need to look by itself.
      Atomics.wait(word, E_GEN, gen, ms);
      if ((raised = Atomics.load(word, E_GEN) !== gen)) break;
    }
    if (tracer !== undefined) tracer.waitEnd(this.id, raised);
    return raised;
  }

  /** wait() without blocking the event loop; rejects with `signal.reason` if aborted. */
  async waitAsync(options?: AsyncWaitOptions): Promise<boolean> {
    if (options !== undefined) checkTimeout(options.timeout, 'Event', this.name, this.id, 'waitAsync');
    const signal = options?.signal;
    throwIfAborted(signal);
    const deadline = deadlineOf(options?.timeout);
    const word = this.#word;
    const gen = Atomics.load(word, E_GEN);
    if (Atomics.load(word, E_FLAG) === 1) return true;
    if (tracer !== undefined) tracer.waitBegin(this.id, 'event');
    let raised = false;
    try {
      for (;;) {
        const ms = remaining(deadline);
        if (ms <= 0) break;
        await parkAsync(word, E_GEN, gen, ms, signal);
        if ((raised = Atomics.load(word, E_GEN) !== gen)) break;
      }
    } finally {
      if (tracer !== undefined) tracer.waitEnd(this.id, raised);
    }
    return raised;
  }
}
