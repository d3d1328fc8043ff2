// A mutex over one Int32 of a SharedArrayBuffer, shaped like threading libraries' own: `lock()` blocks the thread,
// `lockAsync()` waits with Atomics.waitAsync where the platform has it, `unlock()` wakes one waiter.
const UNLOCKED = 0;
const LOCKED = 1;

export class SharedMutex {
  private readonly state: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4), byteOffset = 0) {
    this.state = new Int32Array(buffer, byteOffset, 1);
  }

  lock(): void {
    while (Atomics.compareExchange(this.state, 0, UNLOCKED, LOCKED) !== UNLOCKED) Atomics.wait(this.state, 0, LOCKED);
  }

  async lockAsync(): Promise<void> {
    while (Atomics.compareExchange(this.state, 0, UNLOCKED, LOCKED) !== UNLOCKED) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.state, 0, UNLOCKED, LOCKED) === UNLOCKED;
  }

  unlock(): void {
    Atomics.store(this.state, 0, UNLOCKED);
    Atomics.notify(this.state, 0, 1);
  }
}
