// Locks kept in collections: a Map or a plain object by constant keys, arrays by constant or named-constant index,
// and local aliases of elements. Two elements of one collection taken nested wait on each other unless an order is
// provable.
import { Mutex } from '@deadbolt/runtime';

const accounts = new Map<string, Mutex>([
  ['checking', new Mutex({ name: 'checking' })],
  ['savings', new Mutex({ name: 'savings' })],
]);

export function sweepToSavings(): void {
  const checking = accounts.get('checking')!;
  using _c = checking.lock();
  using _s = accounts.get('savings')!.lock(); // the cycle's other half: reported once, at its closing acquisition
}

export function coverFromSavings(): void {
  using _s = accounts.get('savings')!.lock();
  using _c = accounts.get('checking')!.lock(); // expect: lock-order
}

const tables: Record<string, Mutex> = {
  users: new Mutex({ name: 'users' }),
  orders: new Mutex({ name: 'orders' }),
};

export function placeOrder(): void {
  tables.users!.lock();
  try {
    tables['orders']!.lock(); // the cycle's other half: reported once, at its closing acquisition
    tables['orders']!.unlock();
  } finally {
    tables.users!.unlock();
  }
}

export function purgeUser(): void {
  tables['orders']!.withLock(() => {
    tables.users!.withLock(() => undefined); // expect: lock-order
  });
}

const INDEX = 0;
const LOG = 1;
const stripes = [new Mutex({ name: 'index' }), new Mutex({ name: 'log' })];

export function append(): void {
  using _i = stripes[INDEX]!.lock();
  using _l = stripes[LOG]!.lock(); // the cycle's other half: reported once, at its closing acquisition
}

export function compact(): void {
  using _l = stripes[1]!.lock();
  using _i = stripes[0]!.lock(); // expect: lock-order
}

const chopsticks = Array.from({ length: 5 }, () => new Mutex());

export function philosopher(i: number, n: number): void {
  const left = chopsticks[i]!;
  const right = chopsticks[(i + 1) % n]!;
  left.lock();
  right.lock(); // expect: lock-order
  right.unlock();
  left.unlock();
}

// Negatives: the same collections, taken in one consistent or provable order.

const ledgers = new Map<string, Mutex>([
  ['eu', new Mutex({ name: 'eu' })],
  ['us', new Mutex({ name: 'us' })],
]);

export function settleEu(): void {
  using _e = ledgers.get('eu')!.lock();
  using _u = ledgers.get('us')!.lock();
}

export function settleUs(): void {
  using _e = ledgers.get('eu')!.lock();
  using _u = ledgers.get('us')!.lock();
}

const shards = [new Mutex({ name: 'shard0' }), new Mutex({ name: 'shard1' })];

export function moveDown(): void {
  using _a = shards[0]!.lock();
  using _b = shards[1]!.lock();
}

export function moveUp(): void {
  using _a = shards[0]!.lock();
  using _b = shards[1]!.lock();
}

const slots = Array.from({ length: 8 }, () => new Mutex());

/** The lower index first, always: an order is provable. */
export function swapSlots(i: number, j: number): void {
  const first = slots[Math.min(i, j)]!;
  const second = slots[Math.max(i, j)]!;
  using _f = first.lock();
  using _s = second.lock();
}

/** Sequential, never nested. */
export function touchEach(i: number, j: number): void {
  slots[i]!.withLock(() => undefined);
  slots[j]!.withLock(() => undefined);
}

/** Ordered by comparing indexes before taking: the branch takes the lower one first. */
export function swapOrdered(i: number, j: number): void {
  const [lo, hi] = i < j ? [i, j] : [j, i];
  using _l = slots[lo]!.lock();
  using _h = slots[hi]!.lock();
}

const shardLocks: Record<string, Mutex> = { a: new Mutex({ name: 'A' }), b: new Mutex({ name: 'B' }) };

/** `shardLocks.a` and `shardLocks['a']` are one lock, however each function spells it. */
export function shardAB(): number {
  return shardLocks.a!.withLock(() => shardLocks['b']!.withLock(() => 0)); // the cycle's other half: reported once, at its closing acquisition
}

export function shardBA(): number {
  return shardLocks['b']!.withLock(() => shardLocks.a!.withLock(() => 0)); // expect: lock-order
}

/** Lower index first through named bounds: an order is provable. */
export function moveBetween(from: number, to: number): void {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  using _a = slots[lo]!.lock();
  using _b = slots[hi]!.lock();
}
