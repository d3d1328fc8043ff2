/**
 * The baseline for the contended benchmarks: the classic three-state futex mutex (Ulrich Drepper, "Futexes Are
 * Tricky", mutex 2), written from the paper's description with Atomics.wait/notify standing in for futex().
 * State 0 = unlocked, 1 = locked with no waiters, 2 = locked and maybe waiters.
 */

export class FutexMutex {
  constructor(
    private readonly cell: Int32Array<SharedArrayBuffer>,
    private readonly index = 0,
  ) {}

  /** Lock calls that found the lock taken; read by the benchmark's diagnostic run. */
  slowPaths = 0;

  lock(): void {
    const cell = this.cell;
    const i = this.index;
    let c = Atomics.compareExchange(cell, i, 0, 1);
    if (c === 0) return;
    this.slowPaths++;
    // Announce a waiter by moving to 2 before sleeping, so the unlocker knows to wake someone.
    if (c !== 2) c = Atomics.exchange(cell, i, 2);
    while (c !== 0) {
      Atomics.wait(cell, i, 2);
      // Taking the lock with 2, not 1: we cannot know whether other waiters remain.
      c = Atomics.exchange(cell, i, 2);
    }
  }

  unlock(): void {
    // Old value 1 means nobody waited; otherwise clear the state and wake one sleeper.
    if (Atomics.sub(this.cell, this.index, 1) !== 1) {
      Atomics.store(this.cell, this.index, 0);
      Atomics.notify(this.cell, this.index, 1);
    }
  }
}
