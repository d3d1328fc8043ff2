// A cache whose refresh helper takes the lock its caller already holds.
import { SpinLock } from './locks/spin-lock.js';
import { OwnedLock } from './locks/owned-lock.js';

class Cache {
  private readonly lock = new SpinLock();
  private readonly entries = new Map<string, string>();

  refresh(): void {
    this.lock.lock();
    try {
      this.entries.clear();
    } finally {
      this.lock.unlock();
    }
  }

  get(key: string): string | undefined {
    return this.lock.withLock(() => {
      if (!this.entries.has(key)) this.refresh(); // expect: double-lock
      return this.entries.get(key);
    });
  }
}

// A re-entrant class may be taken again by its holder.
const owned = new OwnedLock();

export function outer(): void {
  owned.hold();
  inner();
  owned.drop();
}

function inner(): void {
  owned.hold();
  owned.drop();
}

export const cache = new Cache();
