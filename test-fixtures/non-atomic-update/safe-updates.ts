// Correct or private updates: none of these may be reported as non-atomic-update.
import { Mutex } from '@deadbolt/runtime';

const shared = new SharedArrayBuffer(64);
const counts = new Int32Array(shared);
const spin = new Int32Array(new SharedArrayBuffer(4));
const mutex = new Mutex({ name: 'counts' });

export function atomics(i: number): void {
  Atomics.add(counts, i, 1);
  Atomics.sub(counts, i, 1);
  Atomics.or(counts, 1, 2);
}

export function privateMemory(): number {
  const local = new Int32Array(8);
  local[0] += 1;
  local[1]++;
  const plain: number[] = [0, 0];
  plain[0]++;
  const overBuffer = new Uint8Array(new ArrayBuffer(4));
  overBuffer[0] |= 1;
  return local[0] + plain[0];
}

export function underWithLock(i: number): void {
  mutex.withLock(() => {
    counts[i] += 1;
  });
}

export function underGuard(i: number): void {
  using _guard = mutex.lock();
  counts[i]++;
}

export function underExplicitUnlock(i: number): void {
  mutex.lock();
  counts[i] -= 1;
  mutex.unlock();
}

export function underSpinLock(i: number): void {
  while (Atomics.compareExchange(spin, 0, 0, 1) !== 0) Atomics.wait(spin, 0, 1);
  counts[i] += 2;
  Atomics.store(spin, 0, 0);
  Atomics.notify(spin, 0, 1);
}

export function readsAndPlainWrites(i: number): number {
  const next = counts[i] + 1;
  counts[i] = 7;
  counts[i] = counts[i + 1] + 1;
  Atomics.store(counts, i + 2, next);
  return next;
}

export function compareExchangeLoop(i: number): void {
  // The correct lock-free update: retry until no other thread changed the element in between.
  let old: number;
  do {
    old = Atomics.load(counts, i);
  } while (Atomics.compareExchange(counts, i, old, old * 2) !== old);
}

export function unknownProvenance(view: Int32Array): void {
  // A parameter typed only `Int32Array` may be private memory: not enough evidence to report.
  view[0]++;
}

/** A home-grown locking helper, as libraries without the runtime write them. */
function synchronize<T>(view: Int32Array<SharedArrayBuffer>, body: () => T): T {
  while (Atomics.compareExchange(view, 0, 0, 1) !== 0) Atomics.wait(view, 0, 1);
  try {
    return body();
  } finally {
    Atomics.store(view, 0, 0);
    Atomics.notify(view, 0, 1);
  }
}

export function underOwnHelper(): number {
  return synchronize(counts, () => ++counts[1]);
}

/** A single-producer ring buffer publishes its write index with an atomic load and store: one writer, no race. */
export function publish(written: number, capacity: number): void {
  const write = Atomics.load(spin, 0);
  Atomics.store(spin, 0, (write + written) % capacity);
}

export function lockedLoop(items: number[]): void {
  mutex.lock();
  items.forEach(() => counts[0]++);
  mutex.unlock();
}

export async function asynchronize(body: () => Promise<void>): Promise<void> {
  await body();
}

export async function libraryHelper(): Promise<void> {
  await asynchronize(async () => {
    counts[3]++;
  });
}
