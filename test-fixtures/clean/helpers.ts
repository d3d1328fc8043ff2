// Helpers that run under their caller's lock and a class whose methods share one lock correctly.
import { Mutex, RecursiveMutex } from '@deadbolt/runtime';

export class Counter {
  private readonly mutex = new Mutex({ name: 'counter' });
  private readonly nested = new RecursiveMutex({ name: 'nested' });
  /** @guardedBy mutex */
  private value = 0;

  increment(): void {
    this.mutex.withLock(() => this.bump());
  }

  incrementTwice(): void {
    using _ = this.mutex.lock();
    this.bump();
    this.bump();
  }

  private bump(): void {
    this.value++;
  }

  reentrant(depth: number): void {
    using _ = this.nested.lock();
    if (depth > 0) this.reentrant(depth - 1);
  }

  async later(): Promise<void> {
    await this.mutex.withLockAsync(async () => {
      await Promise.resolve();
      this.value = 0;
    });
  }
}
