// A cache's statistics: two counters updated together under one lock, and a reset that writes both without it.
// Each write is its own finding; the fix must take the lock once around both, or a reader could see the hits
// reset and the misses not (the reset would no longer be one update).
import { Mutex } from '@deadbolt/runtime';

export class CacheStats {
  private readonly statsLock = new Mutex({ name: 'cacheStats' });
  private hits = 0;
  private misses = 0;

  recordHit(): void {
    using _ = this.statsLock.lock();
    this.hits++;
  }

  recordMiss(): void {
    using _ = this.statsLock.lock();
    this.misses++;
  }

  snapshot(): { hits: number; misses: number } {
    return this.statsLock.withLock(() => {
      const taken = { hits: this.hits, misses: this.misses };
      this.hits = 0;
      this.misses = 0;
      return taken;
    });
  }

  reset(): void {
    // Clearing both counters at once.
    this.hits = 0; // expect: unguarded-write
    this.misses = 0; // expect: unguarded-write
  }
}
