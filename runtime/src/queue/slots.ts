/**
 * Where items go in a queue buffer and which one comes out next: a ring for 'fifo', a stack for 'lifo',
 * and a binary min-heap of slot indices for 'priority'. Every function here expects the caller to hold
 * the queue's mutex; the mutex's Atomics operations order these plain reads and writes between threads.
 */
import {
  F_NEXT_SEQ,
  H_COUNT,
  H_FREE_TOP,
  H_HEAD,
  H_ORDER,
  H_UNFINISHED,
  ORDER_CODES,
  type QueueViews,
} from './layout.js';

const FIFO = ORDER_CODES.fifo;
const LIFO = ORDER_CODES.lifo;

export function count(v: QueueViews): number {
  return v.header[H_COUNT]!;
}

export function isFull(v: QueueViews): boolean {
  return v.header[H_COUNT]! >= v.capacity;
}

export function isEmpty(v: QueueViews): boolean {
  return v.header[H_COUNT]! === 0;
}

/**
 * Checks the invariants a put or take keeps, after a thread died holding the mutex: a sentence naming the first
 * one broken, or undefined when the buffer is whole. Every item in the queue is reachable exactly once and within
 * its slot, and for priority queues the free stack and the heap together hold every slot once, in heap order.
 */
export function consistencyProblem(v: QueueViews): string | undefined {
  const h = v.header;
  const n = h[H_COUNT]!;
  const cap = v.capacity;
  if (!(n >= 0 && n <= cap)) return `count ${n} outside 0..${cap}`;
  if (h[H_UNFINISHED]! < n) return `${h[H_UNFINISHED]} unfinished tasks for ${n} items`;
  const order = h[H_ORDER]!;
  const live: number[] = [];
  if (order === FIFO) {
    const head = h[H_HEAD]!;
    if (!(head >= 0 && head < cap)) return `head ${head} outside 0..${cap - 1}`;
    for (let i = 0; i < n; i++) live.push((head + i) % cap);
  } else if (order === LIFO) {
    for (let i = 0; i < n; i++) live.push(i);
  } else {
    const top = h[H_FREE_TOP]!;
    if (top + n !== cap) return `${top} free slots and ${n} items in ${cap} slots`;
    const seen = new Uint8Array(cap);
    for (let i = 0; i < top + n; i++) {
      const slot = i < top ? v.free[i]! : v.heap[i - top]!;
      if (!(slot >= 0 && slot < cap) || seen[slot] === 1) return `slot ${slot} listed twice or out of range`;
      seen[slot] = 1;
    }
    for (let i = 1; i < n; i++) if (before(v, v.heap[i]!, v.heap[(i - 1) >> 1]!)) return `heap out of order at ${i}`;
    for (let i = 0; i < n; i++) live.push(v.heap[i]!);
  }
  for (const slot of live) {
    const length = v.slotLength[slot]!;
    if (!(length >= 0 && length <= v.maxItemBytes)) return `item length ${length} in slot ${slot}`;
  }
  return undefined;
}

/**
 * Copies `bytes` into a free slot and links it into the order. The caller has checked that the queue is not
 * full and that `bytes` fits in a slot, so nothing here can fail half-way and leave a torn slot behind.
 */
export function storeItem(v: QueueViews, bytes: Uint8Array, priority: number): void {
  const n = v.header[H_COUNT]!;
  const order = v.header[H_ORDER]!;
  let slot: number;
  if (order === FIFO) {
    slot = (v.header[H_HEAD]! + n) % v.capacity;
  } else if (order === LIFO) {
    slot = n;
  } else {
    const top = --v.header[H_FREE_TOP]!;
    slot = v.free[top]!;
    v.slotPriority[slot] = priority;
    // The sequence number breaks ties, so equal priorities come out in the order they went in.
    v.slotSeq[slot] = v.headerF64[F_NEXT_SEQ]!++;
    heapPush(v, n, slot);
  }
  v.data.set(bytes, slot * v.maxItemBytes);
  v.slotLength[slot] = bytes.length;
  // Atomics.store so `size` (which reads without the mutex) sees a whole value.
  Atomics.store(v.header, H_COUNT, n + 1);
}

/**
 * Unlinks the next item and returns a private (non-shared) copy of its bytes, so decoding can happen after the
 * mutex is released and the slot reused. The caller has checked that the queue is not empty.
 */
export function takeItem(v: QueueViews): Uint8Array {
  const n = v.header[H_COUNT]!;
  const order = v.header[H_ORDER]!;
  let slot: number;
  if (order === FIFO) {
    slot = v.header[H_HEAD]!;
    v.header[H_HEAD] = (slot + 1) % v.capacity;
  } else if (order === LIFO) {
    slot = n - 1;
  } else {
    slot = heapPop(v, n);
    v.free[v.header[H_FREE_TOP]!++] = slot;
  }
  const start = slot * v.maxItemBytes;
  // slice() of a view over a SharedArrayBuffer allocates an ordinary ArrayBuffer: the copy is ours alone.
  const bytes = v.data.slice(start, start + v.slotLength[slot]!);
  Atomics.store(v.header, H_COUNT, n - 1);
  return bytes;
}

/** True when slot `a` should come out before slot `b`: smaller priority first, then earlier insertion. */
function before(v: QueueViews, a: number, b: number): boolean {
  const pa = v.slotPriority[a]!;
  const pb = v.slotPriority[b]!;
  return pa < pb || (pa === pb && v.slotSeq[a]! < v.slotSeq[b]!);
}

/** Inserts `slot` into the heap that currently holds `n` entries. */
function heapPush(v: QueueViews, n: number, slot: number): void {
  const heap = v.heap;
  let i = n;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent]!;
    if (!before(v, slot, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = slot;
}

/** Removes and returns the first slot of the heap that currently holds `n` (>= 1) entries. */
function heapPop(v: QueueViews, n: number): number {
  const heap = v.heap;
  const first = heap[0]!;
  const last = heap[n - 1]!;
  const size = n - 1;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && before(v, heap[child + 1]!, heap[child]!)) child++;
    if (!before(v, heap[child]!, last)) break;
    heap[i] = heap[child]!;
    i = child;
  }
  if (size > 0) heap[i] = last;
  return first;
}
