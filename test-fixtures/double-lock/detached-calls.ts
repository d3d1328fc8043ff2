// Calls nobody waits for, as an autocomplete cache and wallet controllers write them: `this.flush().catch(log)` from a
// timer, `void this.refresh()` from an event, a synchronous `onChange` that starts a save. For an async lock such a
// call is a task of its own: it queues behind the caller's lock instead of waiting inside it, so it is no re-entry.
// Waiting for it while holding the lock (awaiting it, returning it to `runExclusive`, awaiting its promise later)
// is.
import { Mutex } from 'async-mutex';
import { Mutex as SharedMutex } from '@deadbolt/runtime';

export class CompletionCache {
  #mutex = new Mutex();
  #dirty = new Set<string>();
  #entries = new Map<string, string>();

  async flush(): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      this.#dirty.clear();
    });
  }

  // Negative: a rejected flush is logged; nobody waits for it inside the lock.
  async put(key: string, value: string): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      this.#entries.set(key, value);
      this.#dirty.add(key);
      if (this.#dirty.size > 100) this.flush().catch((error) => console.error(error));
    });
  }

  // Negative: `void` marks the promise as deliberately not awaited.
  async evict(key: string): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      this.#entries.delete(key);
      void this.flush();
    });
  }

  // Negative: a statement of its own, the promise dropped.
  async clear(): Promise<void> {
    const release = await this.#mutex.acquire();
    try {
      this.#entries.clear();
      this.flush();
    } finally {
      release();
    }
  }

  // Negative: a synchronous handler that starts a flush, called under the lock.
  onChange(): void {
    this.flush();
  }

  async touch(key: string): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      this.#dirty.add(key);
      this.onChange();
    });
  }

  // Positive: awaited inside the lock, the flush waits for the lock this task holds.
  async close(): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      await this.flush(); // expect: double-lock
    });
  }

  // Positive: returned from the callback, `runExclusive` waits for it before it releases.
  async save(): Promise<void> {
    await this.#mutex.runExclusive(() => this.flush()); // expect: double-lock
  }

  // Positive: kept and awaited later, still inside the lock.
  async sync(): Promise<void> {
    const release = await this.#mutex.acquire();
    try {
      const flushed = this.flush(); // expect: double-lock
      await flushed;
    } finally {
      release();
    }
  }
}

const stats = new SharedMutex({ name: 'stats' });
let hits = 0;

async function record(): Promise<void> {
  // Before its first `await` an async function runs synchronously, on the caller's thread.
  stats.lock();
  hits++;
  stats.unlock();
  await Promise.resolve();
}

// Positive: a thread's blocking lock is still held when the un-awaited call takes it again.
export function recordUnderLock(): void {
  stats.lock();
  try {
    void record(); // expect: double-lock
  } finally {
    stats.unlock();
  }
}
