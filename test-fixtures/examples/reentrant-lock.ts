/**
 * A reentrant lock: an inventory whose `restock` holds the lock and calls `add`, which takes the same lock again.
 * With a RecursiveMutex the holding thread may re-enter (and must unlock as often); with a plain Mutex the same
 * call pattern throws DeadlockError at once instead of hanging. Two workers restock concurrently to show the
 * lock still excludes other threads.
 *
 * Run: node test-fixtures/dist/examples/reentrant-lock.js
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DeadlockError, Mutex, RecursiveMutex } from '@deadbolt/runtime';

interface Shared {
  stockLock: RecursiveMutex['handle'];
  stock: SharedArrayBuffer;
}

class Inventory {
  readonly #lock: RecursiveMutex;
  readonly #stock: Int32Array<SharedArrayBuffer>;

  constructor(shared: Shared) {
    this.#lock = RecursiveMutex.from(shared.stockLock);
    this.#stock = new Int32Array(shared.stock);
  }

  add(item: number, count: number): void {
    this.#lock.withLock(() => {
      this.#stock[item]! += count;
    });
  }

  /** Adds several items as one step: nobody sees half a restock, because the outer lock is held throughout. */
  restock(items: readonly number[]): void {
    const guard = this.#lock.lock();
    try {
      for (const item of items) this.add(item, 1); // re-enters the lock this thread already holds
    } finally {
      guard.unlock();
    }
  }
}

/** The same pattern on a plain Mutex: the inner lock() is the thread locking itself out. */
function plainMutexReentry(): string {
  const plain = new Mutex({ name: 'plain' });
  const outer = plain.lock();
  try {
    const inner = plain.lock();
    inner.unlock();
    return 'plain Mutex re-entered (unexpected)';
  } catch (error) {
    if (error instanceof DeadlockError) return `plain Mutex locked twice by one thread: DeadlockError (${error.message})`;
    throw error;
  } finally {
    outer.unlock();
  }
}

const RESTOCKS = 2_000;
const ITEMS = [0, 1, 2];

if (isMainThread) {
  const shared: Shared = {
    stockLock: new RecursiveMutex({ name: 'stock' }).handle,
    stock: new SharedArrayBuffer(ITEMS.length * 4),
  };
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: shared });
          worker.once('message', () => resolve());
          worker.once('error', reject);
        }),
    ),
  );
  const stock = [...new Int32Array(shared.stock)];
  console.log(`RecursiveMutex: 2 workers x ${RESTOCKS} nested restocks, stock now ${stock.join(', ')} (expected ${2 * RESTOCKS} each)`);
  console.log(plainMutexReentry());
} else {
  const inventory = new Inventory(workerData as Shared);
  for (let i = 0; i < RESTOCKS; i++) inventory.restock(ITEMS);
  parentPort!.postMessage('done');
}
