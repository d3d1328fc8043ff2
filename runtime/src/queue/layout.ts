/**
 * The shared-memory layout of a SharedQueue: one SharedArrayBuffer holding a header, per-slot metadata and
 * fixed-size item slots. Every field is a named offset here so the other queue files never compute raw indices.
 * All fields except COUNT are read and written only while the queue's mutex is held.
 */

import { sharedBuffer } from '../shared-memory.js';

/** Written first into every queue buffer, so `from()` can tell a queue's buffer from any other. "DBQ1". */
export const QUEUE_MAGIC = 0x44425131;

/** Int32 header fields (indices into the Int32Array view over bytes 0..HEADER_BYTES). */
export const H_MAGIC = 0;
export const H_CAPACITY = 1;
export const H_ORDER = 2;
export const H_MAX_ITEM_BYTES = 3;
/** Items in the queue. Written with Atomics.store under the mutex so `size` may read it without the lock. */
export const H_COUNT = 4;
/** FIFO only: slot index of the oldest item. */
export const H_HEAD = 5;
/** Items put and not yet marked done by taskDone(); join() waits for it to reach 0. */
export const H_UNFINISHED = 6;
/** Priority only: how many slot indices sit on the free stack. */
export const H_FREE_TOP = 7;
/** 0 when values use the built-in JSON codec, 1 when the creator supplied its own codec. */
export const H_CODEC = 8;
const HEADER_INT32S = 16;

/** Float64 header fields, right after the Int32 header. */
/** Priority only: the next insertion sequence number, which keeps equal priorities in FIFO order. */
export const F_NEXT_SEQ = 0;
const HEADER_FLOAT64S = 2;

export type QueueOrder = 'fifo' | 'lifo' | 'priority';
export const ORDER_CODES: Record<QueueOrder, number> = { fifo: 0, lifo: 1, priority: 2 };
export const ORDER_NAMES: readonly QueueOrder[] = ['fifo', 'lifo', 'priority'];

export const CODEC_JSON = 0;
export const CODEC_CUSTOM = 1;

/** Typed views over one queue buffer; built once per SharedQueue object (in each thread). */
export interface QueueViews {
  readonly buffer: SharedArrayBuffer;
  readonly header: Int32Array<SharedArrayBuffer>;
  readonly headerF64: Float64Array<SharedArrayBuffer>;
  /** Encoded byte length of the item in each slot. */
  readonly slotLength: Int32Array<SharedArrayBuffer>;
  /** Priority only: a binary min-heap of slot indices, ordered by (slotPriority, slotSeq). */
  readonly heap: Int32Array<SharedArrayBuffer>;
  /** Priority only: a stack of unused slot indices. */
  readonly free: Int32Array<SharedArrayBuffer>;
  readonly slotPriority: Float64Array<SharedArrayBuffer>;
  readonly slotSeq: Float64Array<SharedArrayBuffer>;
  /** Item bytes: slot i occupies [i * maxItemBytes, (i + 1) * maxItemBytes). */
  readonly data: Uint8Array<SharedArrayBuffer>;
  readonly capacity: number;
  readonly maxItemBytes: number;
}

interface Offsets {
  slotLength: number;
  heap: number;
  free: number;
  slotPriority: number;
  slotSeq: number;
  data: number;
  total: number;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function offsets(capacity: number, maxItemBytes: number): Offsets {
  const headerBytes = HEADER_INT32S * 4 + HEADER_FLOAT64S * 8;
  const slotLength = headerBytes;
  const heap = slotLength + capacity * 4;
  const free = heap + capacity * 4;
  // Float64Array views need 8-byte aligned offsets.
  const slotPriority = align8(free + capacity * 4);
  const slotSeq = slotPriority + capacity * 8;
  const data = slotSeq + capacity * 8;
  return { slotLength, heap, free, slotPriority, slotSeq, data, total: data + capacity * maxItemBytes };
}

/** The buffer size a queue of this shape needs, for the size check in `from()`. */
export function queueByteLength(capacity: number, maxItemBytes: number): number {
  return offsets(capacity, maxItemBytes).total;
}

function views(buffer: SharedArrayBuffer, capacity: number, maxItemBytes: number): QueueViews {
  const o = offsets(capacity, maxItemBytes);
  return {
    buffer,
    header: new Int32Array(buffer, 0, HEADER_INT32S),
    headerF64: new Float64Array(buffer, HEADER_INT32S * 4, HEADER_FLOAT64S),
    slotLength: new Int32Array(buffer, o.slotLength, capacity),
    heap: new Int32Array(buffer, o.heap, capacity),
    free: new Int32Array(buffer, o.free, capacity),
    slotPriority: new Float64Array(buffer, o.slotPriority, capacity),
    slotSeq: new Float64Array(buffer, o.slotSeq, capacity),
    data: new Uint8Array(buffer, o.data, capacity * maxItemBytes),
    capacity,
    maxItemBytes,
  };
}

/** Allocates and initialises a queue buffer. Runs before the queue is shared, so no Atomics are needed. */
export function createQueueViews(
  capacity: number,
  order: QueueOrder,
  maxItemBytes: number,
  codec: number,
): QueueViews {
  const v = views(sharedBuffer(queueByteLength(capacity, maxItemBytes), 'new SharedQueue'), capacity, maxItemBytes);
  v.header[H_CAPACITY] = capacity;
  v.header[H_ORDER] = ORDER_CODES[order];
  v.header[H_MAX_ITEM_BYTES] = maxItemBytes;
  v.header[H_CODEC] = codec;
  v.header[H_FREE_TOP] = capacity;
  // The free stack starts full, lowest slot on top, so a fresh priority queue fills slots 0, 1, 2, ...
  for (let i = 0; i < capacity; i++) v.free[i] = capacity - 1 - i;
  v.header[H_MAGIC] = QUEUE_MAGIC;
  return v;
}

/**
 * Rebuilds the views over a buffer received from another thread, or returns a sentence saying why the buffer
 * is not a queue buffer (the caller wraps it in a TypeError).
 */
export function openQueueViews(buffer: SharedArrayBuffer): QueueViews | string {
  if (buffer.byteLength < HEADER_INT32S * 4 + HEADER_FLOAT64S * 8) {
    return `a SharedArrayBuffer of ${buffer.byteLength} bytes, too small for a queue header`;
  }
  const header = new Int32Array(buffer, 0, HEADER_INT32S);
  if (Atomics.load(header, H_MAGIC) !== QUEUE_MAGIC) return 'a SharedArrayBuffer that does not hold a SharedQueue';
  const capacity = header[H_CAPACITY]!;
  const maxItemBytes = header[H_MAX_ITEM_BYTES]!;
  const order = header[H_ORDER]!;
  if (capacity < 1 || maxItemBytes < 1 || ORDER_NAMES[order] === undefined) {
    return `a queue buffer with a corrupt header (capacity ${capacity}, maxItemBytes ${maxItemBytes}, order ${order})`;
  }
  const needed = queueByteLength(capacity, maxItemBytes);
  if (buffer.byteLength !== needed) {
    return `a queue buffer of ${buffer.byteLength} bytes where its header needs ${needed}`;
  }
  return views(buffer, capacity, maxItemBytes);
}

export function orderOf(v: QueueViews): QueueOrder {
  return ORDER_NAMES[v.header[H_ORDER]!]!;
}
