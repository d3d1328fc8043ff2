/**
 * Per-thread tables of held locks in the trace buffer. Acquire and release are the hot path of every program, so
 * instead of an event each they cost a few plain stores here; the collector reads the tables whenever it needs the
 * holders, and a table outlives its thread, which is how a worker that died holding a lock is caught.
 */
import {
  E_FLAGS,
  E_LOCK_HIGH,
  E_LOCK_LOW,
  E_SITE,
  ENTRY_EXACT,
  ENTRY_WORDS,
  H_NEXT_TABLE,
  highWord,
  joinWords,
  MAX_HELD,
  T_COUNT,
  T_ENTRIES,
  T_OVERFLOW,
  T_OWNER,
  TABLE_WORDS,
  type TraceViews,
} from './layout.js';

/** One held lock as the collector sees it. `site` is a string id (or -1); `exact` is false for a reused sampled site. */
export interface HeldEntry {
  lock: number;
  site: number;
  exact: boolean;
}

export interface HeldSnapshot {
  thread: number;
  held: HeldEntry[];
  /** Locks held beyond the table's room. */
  overflow: number;
}

/**
 * The owning thread's side of its table. Only the owner writes, with plain stores: acquire and release stay free of
 * atomic operations. A reader may see a table mid-edit, so snapshots are hints until confirmed; but whatever a thread
 * wrote before it published a ring record (as every wait does) is visible to the collector once it reads that record,
 * because the record's sequence store (seq-cst) orders the earlier plain stores before it.
 */
export class HeldTableWriter {
  private count = 0;
  private overflow = 0;

  private constructor(
    private readonly i32: Int32Array<SharedArrayBuffer>,
    private readonly base: number,
  ) {}

  /** Takes the next free table for `thread`, or returns undefined when every table is taken. */
  static allocate(v: TraceViews, thread: number): HeldTableWriter | undefined {
    const index = Atomics.add(v.i32, H_NEXT_TABLE, 1);
    if (index >= v.tables) return undefined;
    const base = v.tablesBase + index * TABLE_WORDS;
    // Publishing the owner last (seq-cst) lets a reader skip tables that are still being set up.
    Atomics.store(v.i32, base + T_OWNER, thread + 1);
    return new HeldTableWriter(v.i32, base);
  }

  get size(): number {
    return this.count + this.overflow;
  }

  add(lock: number, site: number, exact: boolean): void {
    const i32 = this.i32;
    if (this.count === MAX_HELD) {
      i32[this.base + T_OVERFLOW] = ++this.overflow;
      return;
    }
    const e = this.base + T_ENTRIES + this.count * ENTRY_WORDS;
    i32[e + E_LOCK_LOW] = lock;
    i32[e + E_LOCK_HIGH] = highWord(lock);
    i32[e + E_SITE] = site;
    i32[e + E_FLAGS] = exact ? ENTRY_EXACT : 0;
    // The count goes last, so a reader that sees it also tends to see the entry (a hint; see the class comment).
    i32[this.base + T_COUNT] = ++this.count;
  }

  /** Removes the most recent entry for `lock`; returns false when this thread did not list it (e.g. a semaphore released by another thread). */
  remove(lock: number): boolean {
    const i32 = this.i32;
    const base = this.base;
    const lastIndex = this.count - 1;
    // Both words of the id are compared: entries hold them as stored Int32 values (see highWord in layout.ts).
    const low = lock | 0;
    const high = highWord(lock);
    // Locks are mostly released in reverse order of taking them: the last entry is the usual hit, with nothing to move.
    const last = base + T_ENTRIES + lastIndex * ENTRY_WORDS;
    if (lastIndex >= 0 && i32[last + E_LOCK_LOW] === low && i32[last + E_LOCK_HIGH] === high) {
      i32[base + T_COUNT] = --this.count;
      return true;
    }
    for (let k = lastIndex - 1; k >= 0; k--) {
      const e = base + T_ENTRIES + k * ENTRY_WORDS;
      if (i32[e + E_LOCK_LOW] !== low || i32[e + E_LOCK_HIGH] !== high) continue;
      // Shift later entries down so the table stays in acquisition order (the stack view shows holds in that order).
      i32.copyWithin(e, e + ENTRY_WORDS, base + T_ENTRIES + this.count * ENTRY_WORDS);
      i32[base + T_COUNT] = --this.count;
      return true;
    }
    if (this.overflow > 0) {
      i32[base + T_OVERFLOW] = --this.overflow;
      return true;
    }
    return false;
  }

  /** Entries listed in the table (held locks beyond its room are only counted). */
  get listed(): number {
    return this.count;
  }

  /** The lock of entry `index` (0 is the oldest), read without allocating: the acquire path reads it. */
  lockAt(index: number): number {
    const e = this.base + T_ENTRIES + index * ENTRY_WORDS;
    return joinWords(this.i32[e + E_LOCK_LOW]!, this.i32[e + E_LOCK_HIGH]!);
  }

  /** The site id of entry `index`. */
  siteAt(index: number): number {
    return this.i32[this.base + T_ENTRIES + index * ENTRY_WORDS + E_SITE]!;
  }

  /** The entries this thread lists now, oldest first (read locally, no synchronisation needed). */
  entries(): HeldEntry[] {
    return readEntries(this.i32, this.base, this.count);
  }
}

/** Reads every owned table consistently (retrying a table its owner is editing). Called by the collector only. */
export function readHeldTables(v: TraceViews): HeldSnapshot[] {
  const { i32 } = v;
  const used = Math.min(Atomics.load(i32, H_NEXT_TABLE), v.tables);
  const out: HeldSnapshot[] = [];
  for (let t = 0; t < used; t++) {
    const base = v.tablesBase + t * TABLE_WORDS;
    const owner = Atomics.load(i32, base + T_OWNER);
    if (owner === 0) continue;
    // Read twice and keep a reading that two looks agree on, which filters out most tables caught mid-edit.
    let held = readEntries(i32, base, Math.min(i32[base + T_COUNT]!, MAX_HELD));
    for (let attempt = 0; attempt < 100; attempt++) {
      const again = readEntries(i32, base, Math.min(i32[base + T_COUNT]!, MAX_HELD));
      if (sameEntries(held, again)) break;
      held = again;
    }
    out.push({ thread: owner - 1, held, overflow: i32[base + T_OVERFLOW]! });
  }
  return out;
}

function sameEntries(a: HeldEntry[], b: HeldEntry[]): boolean {
  return a.length === b.length && a.every((x, i) => x.lock === b[i]!.lock && x.site === b[i]!.site);
}

function readEntries(i32: Int32Array, base: number, count: number): HeldEntry[] {
  const held: HeldEntry[] = [];
  for (let k = 0; k < count; k++) {
    const e = base + T_ENTRIES + k * ENTRY_WORDS;
    held.push({ lock: joinWords(i32[e + E_LOCK_LOW]!, i32[e + E_LOCK_HIGH]!), site: i32[e + E_SITE]!, exact: (i32[e + E_FLAGS]! & ENTRY_EXACT) !== 0 });
  }
  return held;
}
