// No declaration: a field written under one lock at most of its writes is reported where it is written without.
import { Mutex } from '@deadbolt/runtime';

export class Queue {
  private readonly lock = new Mutex({ name: 'queue' });
  private size = 0;
  private lastError = '';

  push(): void {
    using _ = this.lock.lock();
    this.size++;
  }

  pop(): void {
    using _ = this.lock.lock();
    this.size--;
  }

  clear(): void {
    this.lock.withLock(() => {
      this.size = 0;
    });
  }

  hackyReset(): void {
    this.size = 0; // expect: unguarded-write
  }

  /** Never written under a lock anywhere: nothing to infer. */
  fail(message: string): void {
    this.lastError = message;
  }

  failAgain(message: string): void {
    this.lastError = message;
  }
}

const counterLock = new Mutex({ name: 'counterLock' });
let total = 0;
let local = 0;

export function add(n: number): void {
  counterLock.withLock(() => {
    total += n;
  });
}

export function subtract(n: number): void {
  using _ = counterLock.lock();
  total -= n;
}

export function zero(): void {
  total = 0; // expect: unguarded-write
}

/** Written under the lock only once and without twice: no majority, no finding. */
export function bumpLocal(): void {
  using _ = counterLock.lock();
  local++;
}

export function setLocal(): void {
  local = 1;
}

export function resetLocal(): void {
  local = 0;
}

// Module initialisation is not evidence: these top-level writes are neither reported nor counted.
total = 100;
total += 1;
