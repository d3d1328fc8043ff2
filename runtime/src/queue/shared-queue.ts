/**
 * SharedQueue: a bounded, blocking queue whose items live in shared memory, so any worker holding its handle can
 * put and get. Built like Python's queue.Queue: one Mutex guards the buffer and three Conditions on it say when
 * the queue became non-empty, non-full, or fully processed (join/taskDone). A thread that dies holding the
 * mutex (OwnerDiedError) leaves the queue to the next caller, which checks the buffer's invariants: the queue
 * carries on if they hold, and is reported broken (OwnerDiedError from every call, waiters included) if the death
 * tore it. The calls that do not wait (tryPut, tryGet, taskDone) wait for the mutex at most TRY_LOCK_MS.
 */
import { Condition } from '../condition.js';
import { OwnerDiedError, TimeoutError } from '../errors.js';
import { describeValue, HANDLE_VERSION, quote } from '../handle.js';
import { ownerOf } from '../futex.js';
import { nextLockId } from '../ids.js';
import { LockGuard } from '../guard.js';
import { Mutex, MUTEX_WORD_INDEX } from '../mutex.js';
import { ownerLabel } from '../thread-table.js';
import { checkTimeout, deadlineOf, remaining, throwIfAborted, type AsyncWaitOptions, type WaitOptions } from '../options.js';
import { tracer } from '../trace/hooks.js';
import { jsonCodec, type QueueCodec } from './codec.js';
import {
  CODEC_CUSTOM,
  CODEC_JSON,
  H_CODEC,
  H_COUNT,
  H_UNFINISHED,
  createQueueViews,
  orderOf,
  type QueueOrder,
  type QueueViews,
} from './layout.js';
import { openHandle, QUEUE_HANDLE_KIND, type SharedQueueHandle } from './handle.js';
import { consistencyProblem, isEmpty, isFull, storeItem, takeItem } from './slots.js';

export interface SharedQueueOptions<T> {
  /** The most items the queue holds; `put` blocks (and `tryPut` returns false) when it is full. */
  capacity: number;
  /** 'fifo' (default), 'lifo', or 'priority': smallest priority first, first-in first-out among equal priorities. */
  order?: QueueOrder;
  name?: string;
  /** Turns values into bytes and back; JSON by default. Pass the same codec to `SharedQueue.from`. */
  codec?: QueueCodec<T>;
  /** The largest encoded item in bytes (default 4096); every slot reserves this much shared memory. */
  maxItemBytes?: number;
  /** Priority queues: the priority of a value when `put` is not given one (default: every value has priority 0). */
  priorityOf?: (value: T) => number;
}

/** What `SharedQueue.from` needs besides the handle: whatever cannot travel through postMessage. */
export interface SharedQueueLocalOptions<T> {
  codec?: QueueCodec<T>;
  priorityOf?: (value: T) => number;
}

export interface PutOptions extends WaitOptions {
  /** Priority queues only: this item's priority (smaller comes out first). Overrides `priorityOf`. */
  priority?: number;
}

export interface PutAsyncOptions extends AsyncWaitOptions {
  priority?: number;
}

const DEFAULT_MAX_ITEM_BYTES = 4096;
/**
 * How long the calls that do not wait for room or items may wait for the queue's mutex. It is held only for a put or
 * a get, so this is reached only when its holder is stuck or died where no death can be seen (see the README).
 */
const TRY_LOCK_MS = 1_000;

export class SharedQueue<T = unknown> {
  readonly name: string | undefined;
  /** Process-wide unique id, like every lock's. */
  readonly id: number;
  readonly order: QueueOrder;
  readonly capacity: number;
  readonly maxItemBytes: number;
  /** Structured-cloneable: send it with postMessage/workerData and rebuild the queue with `SharedQueue.from`. */
  readonly handle: SharedQueueHandle;

  readonly #views: QueueViews;
  readonly #mutex: Mutex;
  readonly #notEmpty: Condition;
  readonly #notFull: Condition;
  readonly #allDone: Condition;
  readonly #codec: QueueCodec<T>;
  readonly #priorityOf: ((value: T) => number) | undefined;
  /** What #recover returns: releases the mutex, as the guard lock() returns does. */
  #recoveredGuard!: LockGuard;

  /** Set by `from()` for the constructor call it makes, so rebuilding needs no public constructor overload. */
  static #adopting: { views: QueueViews; handle: SharedQueueHandle } | undefined;

  constructor(options: SharedQueueOptions<T>) {
    const adopt = SharedQueue.#adopting;
    SharedQueue.#adopting = undefined;
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`new SharedQueue: expected options such as { capacity: 16 }, got ${quote(options)}`);
    }
    this.#codec = options.codec ?? (jsonCodec as QueueCodec<T>);
    this.#priorityOf = options.priorityOf;
    if (adopt !== undefined) {
      const { views, handle } = adopt;
      this.#views = views;
      this.#mutex = Mutex.from(handle.mutex);
      this.#notEmpty = Condition.from(handle.notEmpty, this.#mutex);
      this.#notFull = Condition.from(handle.notFull, this.#mutex);
      this.#allDone = Condition.from(handle.allDone, this.#mutex);
      this.handle = handle;
      this.name = handle.name;
    } else {
      const capacity = checkPositiveInt('capacity', options.capacity);
      const maxItemBytes = checkPositiveInt('maxItemBytes', options.maxItemBytes ?? DEFAULT_MAX_ITEM_BYTES);
      const order = options.order ?? 'fifo';
      if (order !== 'fifo' && order !== 'lifo' && order !== 'priority') {
        throw new RangeError(`SharedQueue order must be 'fifo', 'lifo' or 'priority', got ${quote(order)}`);
      }
      this.#views = createQueueViews(capacity, order, maxItemBytes, options.codec ? CODEC_CUSTOM : CODEC_JSON);
      const label = options.name ?? 'queue';
      this.#mutex = new Mutex({ name: `${label}.mutex` });
      // Named after the queue so the debugger's lock graph shows what a blocked worker waits for.
      this.#notEmpty = new Condition(this.#mutex, { name: `${label}.notEmpty` });
      this.#notFull = new Condition(this.#mutex, { name: `${label}.notFull` });
      this.#allDone = new Condition(this.#mutex, { name: `${label}.allDone` });
      this.name = options.name;
      this.handle = {
        kind: QUEUE_HANDLE_KIND,
        version: HANDLE_VERSION,
        id: nextLockId(),
        name: options.name,
        buffer: this.#views.buffer,
        mutex: this.#mutex.handle,
        notEmpty: this.#notEmpty.handle,
        notFull: this.#notFull.handle,
        allDone: this.#allDone.handle,
      };
    }
    this.id = this.handle.id;
    this.#recoveredGuard = new LockGuard(this.#mutex);
    this.order = orderOf(this.#views);
    this.capacity = this.#views.capacity;
    this.maxItemBytes = this.#views.maxItemBytes;
    if (tracer !== undefined) tracer.created(this.id, 'SharedQueue', this.name);
  }

  /**
   * Rebuilds a queue from a handle sent by another thread. A queue made with a custom codec must be given the
   * same codec here (codecs are functions and cannot travel); `priorityOf` likewise.
   */
  static from<T = unknown>(value: SharedQueueHandle, local: SharedQueueLocalOptions<T> = {}): SharedQueue<T> {
    const { handle, views } = openHandle(value);
    if (views.header[H_CODEC] === CODEC_CUSTOM && local.codec === undefined) {
      throw new TypeError(
        `SharedQueue.from: queue ${handle.name ?? '(unnamed)'} was created with a custom codec; pass it as from(handle, { codec })`,
      );
    }
    SharedQueue.#adopting = { views, handle };
    return new SharedQueue<T>({ capacity: views.capacity, ...local });
  }

  /** Items in the queue right now (a snapshot: other threads may change it at once). */
  get size(): number {
    return Atomics.load(this.#views.header, H_COUNT);
  }

  /** Puts `value`, blocking while the queue is full. Throws TimeoutError if `timeout` ms pass first. */
  put(value: T, options: PutOptions = {}): void {
    checkTimeout(options.timeout, 'SharedQueue', this.name, this.id, 'put');
    const bytes = this.#encode(value);
    const priority = this.#priorityFor(value, options.priority);
    const deadline = deadlineOf(options.timeout);
    const guard = this.#lock({ timeout: remaining(deadline) });
    try {
      while (isFull(this.#views)) this.#wait(this.#notFull, deadline, 'put');
      this.#store(bytes, priority);
    } finally {
      guard.unlock();
    }
  }

  /** Puts `value` if there is room now; returns false (and writes nothing) when the queue is full. */
  tryPut(value: T, options: { priority?: number } = {}): boolean {
    const bytes = this.#encode(value);
    const priority = this.#priorityFor(value, options.priority);
    const guard = this.#lockBriefly('tryPut');
    try {
      if (isFull(this.#views)) return false;
      this.#store(bytes, priority);
      return true;
    } finally {
      guard.unlock();
    }
  }

  /** Like `put`, but waits without blocking the event loop; rejects with TimeoutError or the signal's reason. */
  async putAsync(value: T, options: PutAsyncOptions = {}): Promise<void> {
    checkTimeout(options.timeout, 'SharedQueue', this.name, this.id, 'putAsync');
    throwIfAborted(options.signal);
    const bytes = this.#encode(value);
    const priority = this.#priorityFor(value, options.priority);
    const deadline = deadlineOf(options.timeout);
    const guard = await this.#lockAsync(asyncOptions(deadline, options.signal));
    try {
      while (isFull(this.#views)) await this.#waitAsync(this.#notFull, deadline, options.signal, 'putAsync');
      this.#store(bytes, priority);
    } finally {
      guard.unlock();
    }
  }

  /** Takes the next item, blocking while the queue is empty. Throws TimeoutError if `timeout` ms pass first. */
  get(options: WaitOptions = {}): T {
    checkTimeout(options.timeout, 'SharedQueue', this.name, this.id, 'get');
    const deadline = deadlineOf(options.timeout);
    const guard = this.#lock({ timeout: remaining(deadline) });
    let bytes: Uint8Array;
    try {
      while (isEmpty(this.#views)) this.#wait(this.#notEmpty, deadline, 'get');
      bytes = this.#take();
    } finally {
      guard.unlock();
    }
    return this.#codec.decode(bytes);
  }

  /** Takes the next item if there is one; `undefined` when the queue is empty. */
  tryGet(): T | undefined {
    const guard = this.#lockBriefly('tryGet');
    let bytes: Uint8Array;
    try {
      if (isEmpty(this.#views)) return undefined;
      bytes = this.#take();
    } finally {
      guard.unlock();
    }
    return this.#codec.decode(bytes);
  }

  /** Like `get`, but waits without blocking the event loop; rejects with TimeoutError or the signal's reason. */
  async getAsync(options: AsyncWaitOptions = {}): Promise<T> {
    checkTimeout(options.timeout, 'SharedQueue', this.name, this.id, 'getAsync');
    throwIfAborted(options.signal);
    const deadline = deadlineOf(options.timeout);
    const guard = await this.#lockAsync(asyncOptions(deadline, options.signal));
    let bytes: Uint8Array;
    try {
      while (isEmpty(this.#views)) await this.#waitAsync(this.#notEmpty, deadline, options.signal, 'getAsync');
      bytes = this.#take();
    } finally {
      guard.unlock();
    }
    return this.#codec.decode(bytes);
  }

  /**
   * Marks one item taken by `get` as processed. When every item put has been marked, `join` returns.
   * Throws a RangeError when called more times than items were put.
   */
  taskDone(): void {
    const guard = this.#lockBriefly('taskDone');
    try {
      const header = this.#views.header;
      const unfinished = header[H_UNFINISHED]!;
      if (unfinished <= 0) {
        throw new RangeError(`SharedQueue${this.#label()}: taskDone() called more times than items were put`);
      }
      header[H_UNFINISHED] = unfinished - 1;
      if (unfinished === 1) this.#allDone.notifyAll();
    } finally {
      guard.unlock();
    }
  }

  /** Blocks until every item put so far has been marked with `taskDone`. Throws TimeoutError after `timeout` ms. */
  join(options: WaitOptions = {}): void {
    checkTimeout(options.timeout, 'SharedQueue', this.name, this.id, 'join');
    const deadline = deadlineOf(options.timeout);
    const guard = this.#lock({ timeout: remaining(deadline) });
    try {
      while (this.#views.header[H_UNFINISHED]! > 0) this.#wait(this.#allDone, deadline, 'join');
    } finally {
      guard.unlock();
    }
  }

  /** Like `join`, without blocking the event loop. */
  async joinAsync(options: AsyncWaitOptions = {}): Promise<void> {
    checkTimeout(options.timeout, 'SharedQueue', this.name, this.id, 'joinAsync');
    throwIfAborted(options.signal);
    const deadline = deadlineOf(options.timeout);
    const guard = await this.#lockAsync(asyncOptions(deadline, options.signal));
    try {
      while (this.#views.header[H_UNFINISHED]! > 0) {
        await this.#waitAsync(this.#allDone, deadline, options.signal, 'joinAsync');
      }
    } finally {
      guard.unlock();
    }
  }

  /** Takes the queue's mutex; if its holder died, checks the buffer before going on (see #repair). */
  #lock(options: WaitOptions | undefined): LockGuard {
    try {
      return this.#mutex.lock(options);
    } catch (error) {
      if (!(error instanceof OwnerDiedError)) throw error;
      return this.#recovered();
    }
  }

  /** #lock for the calls that do not wait: at most TRY_LOCK_MS, then a TimeoutError naming the mutex's holder. */
  #lockBriefly(op: string): LockGuard {
    try {
      return this.#lock({ timeout: TRY_LOCK_MS });
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      const holder = ownerOf(new Int32Array(this.#mutex.handle.buffer), MUTEX_WORD_INDEX);
      const by = holder === 0 ? '' : ` (held by ${ownerLabel(holder)})`;
      throw new TimeoutError(`SharedQueue${this.#label()}: ${op}() could not take the queue's lock within ${TRY_LOCK_MS} ms${by}`);
    }
  }

  async #lockAsync(options: AsyncWaitOptions): Promise<LockGuard> {
    try {
      return await this.#mutex.lockAsync(options);
    } catch (error) {
      if (!(error instanceof OwnerDiedError)) throw error;
      return this.#recovered();
    }
  }

  /** #repair for a lock just taken: on a torn queue, release the lock (unrepaired) before throwing. */
  #recovered(): LockGuard {
    try {
      this.#repair();
    } catch (error) {
      this.#mutex.unlock();
      throw error;
    }
    return this.#recoveredGuard;
  }

  /**
   * The mutex is held after its previous holder died. A put or get is short and writes the count last, so a
   * death inside one usually leaves the buffer as it was; if the invariants hold the queue is marked consistent
   * and carries on. Otherwise it throws with the lock still unrepaired, so every later call, on taking the lock,
   * lands here and reports the same.
   */
  #repair(): void {
    const problem = consistencyProblem(this.#views);
    // Either way every waiter must look: at a torn queue, to hear that it is broken (each re-takes the mutex, which is
    // released unrepaired, and lands here); at a sound one, for a wake-up the dead thread may have owed it.
    this.#notEmpty.notifyAll();
    this.#notFull.notifyAll();
    this.#allDone.notifyAll();
    if (problem !== undefined) {
      throw new OwnerDiedError(`SharedQueue${this.#label()} is broken: a thread died while changing it (${problem})`);
    }
    this.#mutex.markConsistent();
  }

  /** Encodes and size-checks before any lock is taken, so a bad item never touches shared memory. */
  #encode(value: T): Uint8Array {
    const bytes = this.#codec.encode(value);
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`SharedQueue${this.#label()}: codec.encode must return a Uint8Array, got ${describeValue(bytes)}`);
    }
    if (bytes.length > this.maxItemBytes) {
      throw new RangeError(
        `SharedQueue${this.#label()}: item is ${bytes.length} bytes encoded, more than maxItemBytes (${this.maxItemBytes})`,
      );
    }
    return bytes;
  }

  #priorityFor(value: T, explicit: number | undefined): number {
    if (this.order !== 'priority') {
      if (explicit !== undefined) {
        throw new TypeError(`SharedQueue${this.#label()}: a priority was given to a '${this.order}' queue`);
      }
      return 0;
    }
    const p = explicit ?? (this.#priorityOf ? this.#priorityOf(value) : 0);
    if (typeof p !== 'number' || Number.isNaN(p)) {
      throw new RangeError(`SharedQueue${this.#label()}: priority must be a number, got ${quote(p)}`);
    }
    return p;
  }

  /** Mutex held, queue not full. */
  #store(bytes: Uint8Array, priority: number): void {
    storeItem(this.#views, bytes, priority);
    this.#views.header[H_UNFINISHED]!++;
    this.#notEmpty.notify();
  }

  /** Mutex held, queue not empty. */
  #take(): Uint8Array {
    const bytes = takeItem(this.#views);
    this.#notFull.notify();
    return bytes;
  }

  /**
   * One blocking wait on `cond` (mutex held). On timeout it passes on a wake-up first: a notify this thread
   * consumed just as it timed out must not be lost to the other waiters.
   */
  #wait(cond: Condition, deadline: number, op: string): void {
    const left = remaining(deadline);
    try {
      if (left === 0) throw this.#timeout(op);
      cond.wait({ timeout: left });
    } catch (error) {
      // Re-taking the mutex after the wait found its last holder dead: check the queue, then look again.
      if (error instanceof OwnerDiedError) return this.#repair();
      cond.notify();
      throw error instanceof TimeoutError ? this.#timeout(op) : error;
    }
  }

  async #waitAsync(cond: Condition, deadline: number, signal: AbortSignal | undefined, op: string): Promise<void> {
    const left = remaining(deadline);
    try {
      if (left === 0) throw this.#timeout(op);
      await cond.waitAsync(asyncOptions(deadline, signal));
    } catch (error) {
      if (error instanceof OwnerDiedError) return this.#repair();
      cond.notify();
      throw error instanceof TimeoutError ? this.#timeout(op) : error;
    }
  }

  #timeout(op: string): TimeoutError {
    return new TimeoutError(`SharedQueue${this.#label()}: ${op}() timed out`);
  }

  #label(): string {
    return this.name === undefined ? '' : ` '${this.name}'`;
  }
}

function asyncOptions(deadline: number, signal: AbortSignal | undefined): AsyncWaitOptions {
  const options: AsyncWaitOptions = {};
  if (deadline !== Infinity) options.timeout = remaining(deadline);
  if (signal !== undefined) options.signal = signal;
  return options;
}

function checkPositiveInt(what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 2 ** 30) {
    const message = `new SharedQueue: ${what} must be an integer from 1 to 2^30, got ${quote(n)}`;
    throw typeof n === 'number' ? new RangeError(message) : new TypeError(message);
  }
  return n;
}
