/**
 * The shared-memory layout of a trace buffer: a header of counters, one held-lock table per thread, and a
 * ring of fixed-size event slots. Every index is a named constant so writers, the collector and tests agree.
 */

/** Words (Int32) of the header. */
export const HEADER_WORDS = 16;
/** Header word: the next ring position a producer claims (wraps modulo 2^32; capacity divides 2^32). */
export const H_TAIL = 0;
/** Header word: bumped and notified by producers with an urgent event; the collector waits on it. */
export const H_WAKE = 1;
/** Header word: how many producers are parked because the ring is full; the collector notifies them when > 0. */
export const H_PRODUCERS_WAITING = 2;
/** Header word: the next string id (site texts, names); ids are unique across threads. */
export const H_NEXT_STRING = 3;
/** Header word: the next free held-lock table. */
export const H_NEXT_TABLE = 4;
/** Header word: events dropped because a producer gave up waiting for space. */
export const H_DROPPED = 5;
/** Header word: the ring capacity in slots (a power of two), written once at creation. */
export const H_CAPACITY = 6;
/** Header word: the number of held-lock tables, written once at creation. */
export const H_TABLES = 7;
/** Header word: set by a thread that wants everything so far forwarded (program exit); the collector clears it. */
export const H_FLUSH_REQUEST = 8;
/** Header word: bumped and notified by the collector after each forwarded batch, so a flush can wait for it. */
export const H_FLUSHED = 9;
/** Header word: set once the collector can no longer forward (the adapter went away); producers then stop writing. */
export const H_CLOSED = 10;
/** Header word: the next async task number (async-locks.ts); a task's trace thread id is TASK_THREAD_BASE plus it. */
export const H_NEXT_TASK = 11;
/**
 * Trace thread ids from here up are async tasks (a Web Locks or async-mutex holder or waiter), not worker threads:
 * far above any threadId, and below 2^31 so they fit a record's thread word and a DAP thread id.
 */
export const TASK_THREAD_BASE = 0x4000_0000;

/** Words of one ring slot: a sequence word, the record fields, a timestamp and a payload for string chunks. */
export const SLOT_WORDS = 16;
/** Slot word: Vyukov sequence. Equal to the position when free for that lap, position + 1 once published. */
export const S_SEQ = 0;
export const S_KIND = 1;
export const S_THREAD = 2;
export const S_A = 3;
export const S_B = 4;
export const S_C = 5;
/** Slot words 6-7 hold a float64 timestamp (ms since the epoch); 6 is even, so the Float64 view index is slot/2 + 3. */
export const S_TIME = 6;
/** Slot word: the high 32 bits of `a`, which is a lock id in most records, and lock ids are integers up to 2^53. */
export const S_A_HIGH = 8;
/** First payload word; string chunks carry UTF-8 bytes from here to the end of the slot. */
export const S_PAYLOAD = 9;
export const PAYLOAD_BYTES = (SLOT_WORDS - S_PAYLOAD) * 4;
/** LockOrder records carry a second lock id (the one already held) in the first two payload words, low then high. */
export const S_HELD_LOW = S_PAYLOAD;
export const S_HELD_HIGH = S_PAYLOAD + 1;

/** Locks one thread can be seen holding at once; more are counted in the overflow word but not listed. */
export const MAX_HELD = 48;
/** Table word: the owning thread id + 1 (0 = unused). */
export const T_OWNER = 0;
/** Table word 1 is reserved (formerly a seqlock version; edits are now plain stores). */
/** Table word: how many entries are listed. */
export const T_COUNT = 2;
/** Table word: entries that did not fit. */
export const T_OVERFLOW = 3;
/** First entry word; each entry is (lock id low word, lock id high word, site id, flags). */
export const T_ENTRIES = 4;
export const ENTRY_WORDS = 4;
/** Entry words, relative to the entry's first word. */
export const E_LOCK_LOW = 0;
export const E_LOCK_HIGH = 1;
export const E_SITE = 2;
export const E_FLAGS = 3;
export const TABLE_WORDS = T_ENTRIES + MAX_HELD * ENTRY_WORDS;
/** Entry flag: the site was captured for this very acquisition (not reused from an earlier sampled one). */
export const ENTRY_EXACT = 1;

/**
 * Lock ids are integers up to 2^53, not 32-bit values: a worker that loads the runtime before the main thread draws
 * them from base threadId * 2^32, and on Node before 20.16 (no process.getBuiltinModule) every thread draws them
 * from a random base near 2^52. So an id takes two Int32 words: the low word (`id | 0`, the id modulo 2^32) and the
 * high word below. Storing only the low word once made releases unmatchable, and the adapter saw locks held forever.
 */
export function highWord(id: number): number {
  return Math.floor(id / 0x1_0000_0000);
}

/** The id whose words are `low` (read as unsigned) and `high`. */
export function joinWords(low: number, high: number): number {
  return high * 0x1_0000_0000 + (low >>> 0);
}

/** Record kinds. Ids never change meaning: the collector and the adapter may be built apart from the program. */
export const RecordKind = {
  ThreadStart: 1,
  ThreadName: 2,
  ThreadExit: 3,
  Created: 4,
  WaitBegin: 5,
  WaitEnd: 6,
  Notified: 7,
  StringChunk: 8,
  ThreadError: 9,
  /** An async task (its id in the thread word) now holds lock `a`, taken at site `c`. */
  TaskHeld: 10,
  /** An async task released lock `a`. */
  TaskReleased: 11,
  /**
   * The thread took (or began to wait for) lock `a` while holding the lock in the held words, for the first time in
   * this order: `b` is the held lock's acquisition site, `c` this acquisition's. The adapter's lock-order graph
   * (lockdep) is built from these.
   */
  LockOrder: 12,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Wait kinds as numbers in a record's `b` field, in hooks.ts's order. */
export const WAIT_KINDS = ['lock', 'semaphore', 'condition', 'event', 'barrier', 'queue'] as const;

/** No string (a lock without a name, a wait without a captured site). */
export const NO_STRING = -1;

/** 65,536 slots of 64 bytes (4 MiB): at a million events a second the collector has tens of ms before the ring fills. */
export const DEFAULT_CAPACITY = 65536;
export const DEFAULT_TABLES = 256;

/** The views over one trace buffer. Built once per thread; the buffer itself is shared. */
export interface TraceViews {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array<SharedArrayBuffer>;
  readonly f64: Float64Array<SharedArrayBuffer>;
  readonly u8: Uint8Array<SharedArrayBuffer>;
  readonly capacity: number;
  readonly tables: number;
  /** Word index of the first held-lock table. */
  readonly tablesBase: number;
  /** Word index of the first ring slot (even, so timestamps are 8-byte aligned). */
  readonly ringBase: number;
}

/** Allocates and initialises a trace buffer: every slot's sequence word starts at its own index (free for lap 0). */
export function createTraceBuffer(capacity = DEFAULT_CAPACITY, tables = DEFAULT_TABLES): SharedArrayBuffer {
  if (capacity < 2 || (capacity & (capacity - 1)) !== 0) throw new RangeError(`ring capacity must be a power of two, got ${capacity}`);
  const ringBase = alignEven(HEADER_WORDS + tables * TABLE_WORDS);
  const sab = new SharedArrayBuffer((ringBase + capacity * SLOT_WORDS) * 4);
  const i32 = new Int32Array(sab);
  i32[H_CAPACITY] = capacity;
  i32[H_TABLES] = tables;
  for (let i = 0; i < capacity; i++) i32[ringBase + i * SLOT_WORDS + S_SEQ] = i;
  return sab;
}

export function viewsOf(sab: SharedArrayBuffer): TraceViews {
  const i32 = new Int32Array(sab);
  const capacity = i32[H_CAPACITY]!;
  const tables = i32[H_TABLES]!;
  if (capacity === 0) throw new TypeError('not a trace buffer: its header has no capacity');
  return {
    sab,
    i32,
    f64: new Float64Array(sab),
    u8: new Uint8Array(sab),
    capacity,
    tables,
    tablesBase: HEADER_WORDS,
    ringBase: alignEven(HEADER_WORDS + tables * TABLE_WORDS),
  };
}

function alignEven(n: number): number {
  return n % 2 === 0 ? n : n + 1;
}
