// A hand-written "lock all of these": the loop takes the locks in the order its caller passes them, so two callers
// with two orders wait on each other exactly like two functions written out by hand.
import { Mutex } from '@deadbolt/runtime';

// Reported where the cycle closes: inside the helper, each chain naming the caller that passed the order.
function acquireAll(locks: Mutex[]): void {
  for (const lock of locks) lock.lock(); // expect: lock-order
}

function releaseAll(locks: Mutex[]): void {
  for (const lock of [...locks].reverse()) lock.unlock();
}

const inventory = new Mutex({ name: 'inventory' });
const billing = new Mutex({ name: 'billing' });
const shipping = new Mutex({ name: 'shipping' });

export function checkout(): void {
  acquireAll([inventory, billing]);
  try {
    // charge the card, reserve the items
  } finally {
    releaseAll([inventory, billing]);
  }
}

export function refund(): void {
  acquireAll([billing, inventory]);
  try {
    // refund the card, restock the items
  } finally {
    releaseAll([billing, inventory]);
  }
}

/** An indexed loop over the array it was given, with its release loop in `finally`. */
function withAll<T>(locks: readonly Mutex[], body: () => T): T {
  const taken: Mutex[] = [];
  try {
    for (let i = 0; i < locks.length; i++) {
      locks[i]!.lock(); // expect: lock-order
      taken.push(locks[i]!);
    }
    return body();
  } finally {
    while (taken.length > 0) taken.pop()!.unlock();
  }
}

const audit = new Mutex({ name: 'audit' });
const ledger = new Mutex({ name: 'ledger' });

export function post(): number {
  return withAll([audit, ledger], () => 1);
}

export function reconcile(): number {
  return withAll([ledger, audit], () => 2);
}

// Negatives: every caller passes one order, or the loop holds one lock at a time.

const east = new Mutex({ name: 'east' });
const west = new Mutex({ name: 'west' });

export function syncEast(): void {
  acquireAll([east, west]);
  releaseAll([east, west]);
}

export function syncWest(): void {
  acquireAll([east, west]);
  releaseAll([east, west]);
}

const queues = [new Mutex({ name: 'q0' }), new Mutex({ name: 'q1' })];

/** One at a time: each lock is released before the next is taken. */
export function drainAll(): void {
  for (const q of queues) {
    q.lock();
    try {
      // drain q
    } finally {
      q.unlock();
    }
  }
}

export function drainBackwards(): void {
  for (const q of [...queues].reverse()) {
    q.withLock(() => undefined);
  }
}

const red = new Mutex({ name: 'red' });
const blue = new Mutex({ name: 'blue' });

/** Sorted by name before locking: every caller ends up with one order. */
function lockSorted(locks: Mutex[]): void {
  for (const lock of [...locks].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))) lock.lock();
}

export function paintRed(): void {
  lockSorted([red, blue]);
  blue.unlock();
  red.unlock();
}

export function paintBlue(): void {
  lockSorted([blue, red]);
  red.unlock();
  blue.unlock();
}

/** The same lock-all written with forEach: each caller's array is walked in its order. */
function lockEach(locks: Mutex[]): void {
  locks.forEach((lock) => lock.lock()); // expect: lock-order
}

function unlockEach(locks: Mutex[]): void {
  locks.forEach((lock) => lock.unlock());
}

const north = new Mutex({ name: 'north' });
const south = new Mutex({ name: 'south' });

export function northFirst(): void {
  lockEach([north, south]);
  unlockEach([north, south]);
}

export function southFirst(): void {
  lockEach([south, north]);
  unlockEach([south, north]);
}
