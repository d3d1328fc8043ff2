// An in-house lock: one Int32 word in shared memory, taken with compareExchange.
export class SpinLock {
  private readonly word = new Int32Array(new SharedArrayBuffer(4));

  lock(): void {
    while (Atomics.compareExchange(this.word, 0, 0, 1) !== 0) Atomics.wait(this.word, 0, 1, 10);
  }

  unlock(): void {
    Atomics.store(this.word, 0, 0);
    Atomics.notify(this.word, 0, 1);
  }
}
