/**
 * Per-thread tables of held locks in the trace buffer. Acquire and release are the hot path of every program, so
 * instead of an event each they cost two seqlock stores here; the collector reads the tables whenever it needs the
 * holders, and a table outlives its thread, which is how a worker that died holding a lock is caught.
 */
import {
  ENTRY_EXACT,
  ENTRY_WORDS,
  H_NEXT_TABLE,
  MAX_HELD,
  T_COUNT,
  T_ENTRIES,
  T_OVERFLOW,
  T_OWNER,
  T_VERSION,
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

/** The owning thread's side of its table. Only the owner writes, so a version word is the only synchronisation. */
export class HeldTableWriter {
  private count = 0;
  private overflow = 0;

  private constructor(
    private readonly v: TraceViews,
    private readonly base: number,
  ) {}

  /** Takes the next free table for `thread`, or returns undefined when every table is taken. */
  static allocate(v: TraceViews, thread: number): HeldTableWriter | undefined {
    const index = Atomics.add(v.i32, H_NEXT_TABLE, 1);
    if (index >= v.tables) return undefined;
    const base = v.tablesBase + index * TABLE_WORDS;
    // Publishing the owner last (seq-cst) lets a reader skip tables that are still being set up.
    Atomics.store(v.i32, base + T_OWNER, thread + 1);
    return new HeldTableWriter(v, base);
  }

  get size(): number {
    return this.count + this.overflow;
  }

  add(lock: number, site: number, exact: boolean): void {
    const { i32 } = this.v;
    const base = this.base;
    if (this.count === MAX_HELD) {
      this.overflow++;
      Atomics.store(i32, base + T_OVERFLOW, this.overflow);
      return;
    }
    const version = i32[base + T_VERSION]!;
    // Odd version first: a reader that overlaps this edit sees odd or a changed version and reads again.
    Atomics.store(i32, base + T_VERSION, version + 1);
    const e = base + T_ENTRIES + this.count * ENTRY_WORDS;
    i32[e] = lock;
    i32[e + 1] = site;
    i32[e + 2] = exact ? ENTRY_EXACT : 0;
    this.count++;
    i32[base + T_COUNT] = this.count;
    // The closing even store orders the plain writes above before it for any reader that loads it.
    Atomics.store(i32, base + T_VERSION, version + 2);
  }

  /** Removes the most recent entry for `lock`; returns false when this thread did not list it (e.g. a semaphore released by another thread). */
  remove(lock: number): boolean {
    const { i32 } = this.v;
    const base = this.base;
    for (let k = this.count - 1; k >= 0; k--) {
      const e = base + T_ENTRIES + k * ENTRY_WORDS;
      if (i32[e] !== lock) continue;
      const version = i32[base + T_VERSION]!;
      Atomics.store(i32, base + T_VERSION, version + 1);
      // Shift later entries down so the table stays in acquisition order (the stack view shows holds in that order).
      const last = base + T_ENTRIES + this.count * ENTRY_WORDS;
      i32.copyWithin(e, e + ENTRY_WORDS, last);
      this.count--;
      i32[base + T_COUNT] = this.count;
      Atomics.store(i32, base + T_VERSION, version + 2);
      return true;
    }
    if (this.overflow > 0) {
      this.overflow--;
      Atomics.store(i32, base + T_OVERFLOW, this.overflow);
      return true;
    }
    return false;
  }

  /** The entries this thread lists now, oldest first (read locally, no synchronisation needed). */
  entries(): HeldEntry[] {
    return readEntries(this.v.i32, this.base, this.count);
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
    for (let attempt = 0; attempt < 1000; attempt++) {
      const before = Atomics.load(i32, base + T_VERSION);
      if (before % 2 !== 0) continue;
      const count = Math.min(i32[base + T_COUNT]!, MAX_HELD);
      const held = readEntries(i32, base, count);
      const overflow = i32[base + T_OVERFLOW]!;
      if (Atomics.load(i32, base + T_VERSION) !== before) continue;
      out.push({ thread: owner - 1, held, overflow });
      break;
    }
  }
  return out;
}

function readEntries(i32: Int32Array, base: number, count: number): HeldEntry[] {
  const held: HeldEntry[] = [];
  for (let k = 0; k < count; k++) {
    const e = base + T_ENTRIES + k * ENTRY_WORDS;
    held.push({ lock: i32[e]!, site: i32[e + 1]!, exact: (i32[e + 2]! & ENTRY_EXACT) !== 0 });
  }
  return held;
}
