// An in-house lock, as teams write before they find a library: one Int32 word in shared memory.
const FREE = 0;
const TAKEN = 1;

export class SpinLock {
  private readonly word: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.word = new Int32Array(buffer);
  }

  lock(): void {
    while (Atomics.compareExchange(this.word, 0, FREE, TAKEN) !== FREE) Atomics.wait(this.word, 0, TAKEN, 10);
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.word, 0, FREE, TAKEN) === FREE;
  }

  unlock(): void {
    Atomics.store(this.word, 0, FREE);
    Atomics.notify(this.word, 0, 1);
  }

  withLock<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }
}

/** A subclass is the same kind of lock. */
export class CountingSpinLock extends SpinLock {
  taken = 0;
}
