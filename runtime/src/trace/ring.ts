/**
 * The event ring: a bounded multi-producer, single-consumer queue of fixed-size records in a SharedArrayBuffer
 * (Vyukov's sequence-per-slot design). Any thread writes without locks; only the collector reads, so a program whose
 * every thread is blocked in Atomics.wait has still published everything it did before blocking.
 */
import {
  H_CLOSED,
  H_PRODUCERS_WAITING,
  H_TAIL,
  H_WAKE,
  PAYLOAD_BYTES,
  RecordKind,
  S_A,
  S_A_HIGH,
  S_B,
  S_C,
  S_HELD_HIGH,
  S_HELD_LOW,
  S_KIND,
  S_PAYLOAD,
  S_SEQ,
  S_THREAD,
  S_TIME,
  SLOT_WORDS,
  highWord,
  joinWords,
  type TraceViews,
} from './layout.js';

/** One record as read back from the ring. `bytes` is set for string chunks only. */
export interface RawRecord {
  kind: number;
  thread: number;
  a: number;
  b: number;
  c: number;
  time: number;
  bytes?: Uint8Array;
  /** LockOrder records only: the lock that was held. */
  held?: number;
}

/** How long a producer parks at a time when the ring is full before looking again. */
const FULL_RING_PARK_MS = 100;

const encoder = new TextEncoder();

/** The producing side, one per thread. */
export class RingWriter {
  private readonly mask: number;
  /** Positions at which a producer wakes the collector unasked: every quarter ring, so it drains before the ring fills. */
  private readonly nudgeMask: number;

  constructor(private readonly v: TraceViews) {
    this.mask = v.capacity - 1;
    this.nudgeMask = Math.max(1, v.capacity >> 2) - 1;
  }

  /**
   * Publishes one record; returns false when the collector has closed the ring (nothing is listening any more).
   * `a` may be any safe integer (it is a lock id in most records); `b` and `c` are stored as 32-bit integers.
   */
  write(kind: RecordKind, thread: number, a: number, b: number, c: number, time = 0): boolean {
    const slot = this.claim();
    if (slot < 0) return false;
    this.fill(slot, kind, thread, a, b, c, time);
    this.publish(slot);
    return true;
  }

  /** Publishes a LockOrder record: `thread` took `taken` (at site `takenSite`) while holding `held` (taken at `heldSite`). */
  writeOrder(thread: number, taken: number, held: number, heldSite: number, takenSite: number, time: number): boolean {
    const slot = this.claim();
    if (slot < 0) return false;
    this.fill(slot, RecordKind.LockOrder, thread, taken, heldSite, takenSite, time);
    this.v.i32[slot + S_HELD_LOW] = held;
    this.v.i32[slot + S_HELD_HIGH] = highWord(held);
    this.publish(slot);
    return true;
  }

  /** Publishes `text` as string `id`, in as many chunks as it needs; readers reassemble it before any record uses it. */
  writeString(thread: number, id: number, text: string): boolean {
    const bytes = encoder.encode(text);
    const { i32, u8 } = this.v;
    let offset = 0;
    do {
      const slot = this.claim();
      if (slot < 0) return false;
      const length = Math.min(PAYLOAD_BYTES, bytes.length - offset);
      i32[slot + S_KIND] = RecordKind.StringChunk;
      i32[slot + S_THREAD] = thread;
      i32[slot + S_A] = id;
      i32[slot + S_A_HIGH] = highWord(id);
      i32[slot + S_B] = bytes.length;
      i32[slot + S_C] = offset;
      u8.set(bytes.subarray(offset, offset + length), (slot + S_PAYLOAD) * 4);
      this.publish(slot);
      offset += length;
    } while (offset < bytes.length);
    return true;
  }

  /** Wakes the collector now rather than at its next periodic look: for events a deadlock check depends on. */
  wake(): void {
    Atomics.add(this.v.i32, H_WAKE, 1);
    Atomics.notify(this.v.i32, H_WAKE, 1);
  }

  /** Claims the next position and waits until its slot is free; returns the slot's word index, or -1 when closed. */
  private claim(): number {
    const { i32, ringBase } = this.v;
    // A plain check first: once closed, the program stops paying for tracing beyond this load.
    if (Atomics.load(i32, H_CLOSED) !== 0) return -1;
    // Atomics.add hands out each position exactly once, so producers never contend for a slot, only for the counter.
    const pos = Atomics.add(i32, H_TAIL, 1);
    if ((pos & this.nudgeMask) === 0) this.wake();
    const slot = ringBase + (pos & this.mask) * SLOT_WORDS;
    for (;;) {
      // Acquire-load of the sequence: seeing `pos` means the collector finished reading the previous lap of this slot.
      const seq = Atomics.load(i32, slot + S_SEQ);
      if (seq === pos) return slot;
      // The ring is full. Count ourselves as parked before waking the collector, so it knows to notify this slot.
      Atomics.add(i32, H_PRODUCERS_WAITING, 1);
      this.wake();
      Atomics.wait(i32, slot + S_SEQ, seq, FULL_RING_PARK_MS);
      Atomics.sub(i32, H_PRODUCERS_WAITING, 1);
      if (Atomics.load(i32, H_CLOSED) !== 0) {
        // Publish the claimed slot anyway (as an empty string chunk) so a collector that reopens does not stall on it.
        i32[slot + S_KIND] = 0;
        this.publish(slot);
        return -1;
      }
    }
  }

  private fill(slot: number, kind: RecordKind, thread: number, a: number, b: number, c: number, time: number): void {
    const { i32, f64 } = this.v;
    i32[slot + S_KIND] = kind;
    i32[slot + S_THREAD] = thread;
    i32[slot + S_A] = a;
    i32[slot + S_A_HIGH] = highWord(a);
    i32[slot + S_B] = b;
    i32[slot + S_C] = c;
    f64[(slot + S_TIME) >> 1] = time;
  }

  private publish(slot: number): void {
    const seq = this.v.i32[slot + S_SEQ]!;
    // Release-store of pos + 1: every field written above becomes visible to a reader that sees this value.
    Atomics.store(this.v.i32, slot + S_SEQ, (seq + 1) | 0);
  }
}

/** The consuming side; exactly one per buffer (the collector, or a test). */
export class RingReader {
  private head = 0;
  private readonly mask: number;

  constructor(private readonly v: TraceViews) {
    this.mask = v.capacity - 1;
  }

  /** Reads every published record in order, stopping at the first slot not yet published. Returns how many it read. */
  drain(visit: (record: RawRecord) => void, max = Number.POSITIVE_INFINITY): number {
    const { i32, f64, u8, ringBase, capacity } = this.v;
    let read = 0;
    while (read < max) {
      const slot = ringBase + (this.head & this.mask) * SLOT_WORDS;
      // Acquire-load: head + 1 means the producer's release-store happened, so the fields below are complete.
      if (Atomics.load(i32, slot + S_SEQ) !== ((this.head + 1) | 0)) break;
      const kind = i32[slot + S_KIND]!;
      if (kind !== 0) {
        const record: RawRecord = {
          kind,
          thread: i32[slot + S_THREAD]!,
          a: joinWords(i32[slot + S_A]!, i32[slot + S_A_HIGH]!),
          b: i32[slot + S_B]!,
          c: i32[slot + S_C]!,
          time: f64[(slot + S_TIME) >> 1]!,
        };
        if (kind === RecordKind.StringChunk) {
          const length = Math.min(PAYLOAD_BYTES, record.b - record.c);
          const start = (slot + S_PAYLOAD) * 4;
          record.bytes = u8.slice(start, start + length);
        } else if (kind === RecordKind.LockOrder) {
          record.held = joinWords(i32[slot + S_HELD_LOW]!, i32[slot + S_HELD_HIGH]!);
        }
        visit(record);
      }
      // Hand the slot to the producer of the next lap only after copying it out.
      Atomics.store(i32, slot + S_SEQ, (this.head + capacity) | 0);
      if (Atomics.load(i32, H_PRODUCERS_WAITING) > 0) Atomics.notify(i32, slot + S_SEQ);
      this.head = (this.head + 1) | 0;
      read++;
    }
    return read;
  }

  /** The wake counter to pass to `park` after draining; read it BEFORE draining so no wake between the two is lost. */
  wakeCounter(): number {
    return Atomics.load(this.v.i32, H_WAKE);
  }

  /** Blocks the calling (collector) thread until a producer wakes it or `timeoutMs` passes. */
  park(seenWake: number, timeoutMs: number): void {
    Atomics.wait(this.v.i32, H_WAKE, seenWake, timeoutMs);
  }

  /** Marks the ring closed: producers stop writing and any parked on a full ring return. */
  close(): void {
    Atomics.store(this.v.i32, H_CLOSED, 1);
    const { i32, ringBase, capacity } = this.v;
    for (let i = 0; i < capacity; i++) Atomics.notify(i32, ringBase + i * SLOT_WORDS + S_SEQ);
  }
}
