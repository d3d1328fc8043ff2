/**
 * The lock-order graph of checked mode, kept in one SharedArrayBuffer so every thread records into and checks
 * against the same graph. An edge A -> B means "some thread took B while holding A"; each edge carries the
 * OrderStep (threads, locks, call sites) that created it, so a violation can show the earlier chain.
 * Edges are only ever appended, which lets each thread mirror the graph locally and catch up cheaply.
 * It holds MAX_EDGES edges: each edge's text gets a fixed share of the arena (long call sites are shortened to
 * fit), so the text can never run out before the edge count does. When the graph is full, new orders are no
 * longer checked; the first thread to find it full says so once for the whole process (a process warning).
 */

import type { OrderStep } from '../errors.js';
import { blockingForbidden } from '../blocking.js';
import { FUTEX_SLOTS, lockWordSlow, releaseWord, takeStep } from '../futex.js';
import { isDead, probeIfDue, threadToken } from '../thread-table.js';
import { findOrderPath } from './order-path.js';

/** Header slots (Int32). */
const G_LOCK = 0; // the futex guarding appends (FUTEX_SLOTS slots); readers that only mirror do not take it
const G_EDGES = FUTEX_SLOTS; // number of complete edges; stored after the edge is written, so readers see whole edges
const G_ARENA_USED = FUTEX_SLOTS + 1; // bytes of the text arena in use
const G_DROPPED = FUTEX_SLOTS + 2; // edges not recorded because the graph was full
const G_WARNED = FUTEX_SLOTS + 3; // 0 until a thread announced that the graph is full; compareExchange 0 -> 1 picks that thread
const HEADER_SLOTS = FUTEX_SLOTS + 4;

export const MAX_EDGES = 8192;
/** Bytes of text per edge: the JSON of its OrderStep. 8192 * 512 bytes = 4 MiB, made only in checked mode. */
const STEP_BYTES = 512;
const ARENA_BYTES = MAX_EDGES * STEP_BYTES;

const IDS_OFFSET = 8 * Math.ceil((HEADER_SLOTS * 4) / 8); // Float64 [from, to] per edge: lock ids may exceed 2^31
const TEXT_OFFSET = IDS_OFFSET + MAX_EDGES * 2 * 8; // Int32 [arena offset, byte length] per edge
const ARENA_OFFSET = TEXT_OFFSET + MAX_EDGES * 2 * 4;
export const GRAPH_BYTES = ARENA_OFFSET + ARENA_BYTES;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SharedLockGraph {
  readonly buffer: SharedArrayBuffer;
  readonly #header: Int32Array<SharedArrayBuffer>;
  readonly #ids: Float64Array<SharedArrayBuffer>;
  readonly #text: Int32Array<SharedArrayBuffer>;
  readonly #arena: Uint8Array<SharedArrayBuffer>;
  /** Local mirror: from -> (to -> edge index). */
  readonly #out = new Map<number, Map<number, number>>();
  #mirrored = 0;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#header = new Int32Array(buffer, 0, HEADER_SLOTS);
    this.#ids = new Float64Array(buffer, IDS_OFFSET, MAX_EDGES * 2);
    this.#text = new Int32Array(buffer, TEXT_OFFSET, MAX_EDGES * 2);
    this.#arena = new Uint8Array(buffer, ARENA_OFFSET, ARENA_BYTES);
  }

  /** True when this thread already knows the edge; a known edge was checked when it was added. */
  knows(from: number, to: number): boolean {
    return this.#out.get(from)?.has(to) === true;
  }

  /** Edges dropped because the graph is full (checked mode then misses new orders). */
  get dropped(): number {
    return Atomics.load(this.#header, G_DROPPED);
  }

  /**
   * Adds the edge from -> to unless it would close a cycle; then returns the recorded chain to -> ... -> from
   * that it conflicts with, and adds nothing. Check and append happen under the graph's lock, so two threads
   * adding opposite edges at once cannot both succeed.
   */
  addUnlessCycle(from: number, to: number, step: OrderStep): OrderStep[] | undefined {
    const h = this.#header;
    // The lock is held only for a short append, never across anything that can block. Its word names the holder, so
    // a thread that dies mid-append leaves it to the next one (an append is visible only once G_EDGES counts it).
    if (Atomics.compareExchange(h, G_LOCK, 0, threadToken) !== 0) {
      if (blockingForbidden) spinForLock(h);
      else lockWordSlow(h, G_LOCK, threadToken, Infinity);
    }
    try {
      this.#mirror();
      if (this.knows(from, to)) return undefined;
      const path = findOrderPath(this.#out, to, from);
      if (path !== undefined) return path.map((edge) => this.#readStep(edge));
      this.#append(from, to, step);
      return undefined;
    } finally {
      if (Atomics.compareExchange(h, G_LOCK, threadToken, 0) !== threadToken) releaseWord(h, G_LOCK, 0);
    }
  }

  /** Brings the local mirror up to date with edges other threads appended. */
  #mirror(): void {
    // This load pairs with the Atomics.store of G_EDGES in #append: edges below the count are fully written.
    const count = Atomics.load(this.#header, G_EDGES);
    for (let edge = this.#mirrored; edge < count; edge++) {
      const from = this.#ids[edge * 2]!;
      const to = this.#ids[edge * 2 + 1]!;
      let targets = this.#out.get(from);
      if (targets === undefined) this.#out.set(from, (targets = new Map()));
      if (!targets.has(to)) targets.set(to, edge);
    }
    this.#mirrored = count;
  }

  #append(from: number, to: number, step: OrderStep): void {
    const h = this.#header;
    const edge = h[G_EDGES]!; // only written under G_LOCK, which we hold
    const bytes = encodeStep(step);
    const used = h[G_ARENA_USED]!;
    if (edge >= MAX_EDGES || used + bytes.length > ARENA_BYTES) {
      Atomics.add(h, G_DROPPED, 1);
      if (Atomics.compareExchange(h, G_WARNED, 0, 1) === 0) warnFull();
      return;
    }
    this.#arena.set(bytes, used);
    this.#text[edge * 2] = used;
    this.#text[edge * 2 + 1] = bytes.length;
    this.#ids[edge * 2] = from;
    this.#ids[edge * 2 + 1] = to;
    h[G_ARENA_USED] = used + bytes.length;
    // Publish last: a reader that sees the new count (Atomics.load) also sees the plain writes above.
    Atomics.store(h, G_EDGES, edge + 1);
    this.#mirror();
  }

  #readStep(edge: number): OrderStep {
    const offset = this.#text[edge * 2]!;
    const length = this.#text[edge * 2 + 1]!;
    // TextDecoder refuses views of shared memory, so copy the bytes out first.
    return JSON.parse(decoder.decode(this.#arena.slice(offset, offset + length))) as OrderStep;
  }
}

/**
 * The graph's lock on a thread that may not block (a page's main thread): spins, since a holder keeps it only for an
 * append. A holder that died without a report is found by a probe (rate-limited: this is the rare case).
 */
function spinForLock(h: Int32Array<SharedArrayBuffer>): void {
  while (takeStep(h, G_LOCK, threadToken, (owner) => isDead(owner) || probeIfDue(owner)) < 0);
}

/** The step as JSON of at most STEP_BYTES bytes: its call sites are shortened (keeping their ends) until it fits. */
function encodeStep(step: OrderStep): Uint8Array {
  let bytes = encoder.encode(JSON.stringify(step));
  for (let keep = 160; bytes.length > STEP_BYTES && keep >= 20; keep >>= 1) {
    const cut = (text: string): string => (text.length > keep ? '...' + text.slice(-keep) : text);
    bytes = encoder.encode(JSON.stringify({ ...step, heldAt: cut(step.heldAt), takenAt: cut(step.takenAt), held: cut(step.held), taken: cut(step.taken) }));
  }
  return bytes.length <= STEP_BYTES ? bytes : encoder.encode(JSON.stringify({ thread: step.thread, held: '?', heldAt: '?', taken: '?', takenAt: '?' }));
}

/** Said once per process, by the first thread that finds the graph full. */
function warnFull(): void {
  const message = `deadbolt checked mode: the lock-order graph is full (${MAX_EDGES} edges); orders between locks not seen before are no longer checked. droppedOrderEdges() counts them.`;
  const proc = (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } }).process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, 'DeadboltWarning');
  else console.warn(message);
}
