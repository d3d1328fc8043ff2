// unguarded-write for asynchronous locks, only where an interleaving exists. A single-threaded async lock keeps
// other tasks out only across its `await`s: a write outside it can land in the middle of a locked section that
// suspends (MetaMask/core's OHLCVService: `subscribe()` holds `#mutex` across its awaits while the retry's `catch`
// deletes from `#channels` without it), never in the middle of one that does not. Modelled also on continue's
// AutocompleteLruCache (a Set written unlocked beside a mutex-guarded flush) and supabase-auth-js's session lock.
import { Mutex } from 'async-mutex';

declare function send(message: string): Promise<void>;

export class Channels {
  readonly #mutex = new Mutex();
  readonly #channels = new Map<string, number>();
  #status = 'idle';
  #sent = 0;
  #lastError = '';

  async subscribe(channel: string): Promise<void> {
    const releaseLock = await this.#mutex.acquire();
    try {
      await send(`subscribe ${channel}`);
      this.#channels.set(channel, (this.#channels.get(channel) ?? 0) + 1);
      this.#status = 'subscribed';
      this.#sent += 1;
      this.#lastError = '';
    } finally {
      releaseLock();
    }
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      await send(`unsubscribe ${channel}`);
      this.#channels.delete(channel);
      this.#status = 'unsubscribed';
      this.#sent += 1;
      this.#lastError = '';
    });
  }

  // Positives: written without the mutex while subscribe() may be suspended inside it.
  async retryFailed(channel: string): Promise<void> {
    try {
      await send(`unsubscribe ${channel}`);
    } catch {
      this.#channels.delete(channel); // expect: unguarded-write
    }
  }

  onReconnect(): void {
    this.#status = 'reconnecting'; // expect: unguarded-write
  }

  countRetry(): void {
    this.#sent += 1; // expect: unguarded-write
  }

  onError(error: Error): void {
    this.#lastError = error.message; // expect: unguarded-write
  }
}

// Negatives: every locked section is synchronous, so an unlocked write can only run before or after one.
export class Counters {
  readonly #mutex = new Mutex();
  readonly #dirty = new Set<string>();
  #hits = 0;
  #misses = 0;
  #last = '';

  async hit(key: string): Promise<void> {
    await this.#mutex.runExclusive(() => {
      this.#dirty.add(key);
      this.#hits += 1;
      this.#last = key;
    });
  }

  async miss(key: string): Promise<void> {
    const release = await this.#mutex.acquire();
    try {
      this.#dirty.add(key);
      this.#misses += 1;
    } finally {
      release();
    }
  }

  get(key: string): void {
    this.#dirty.add(key);
  }

  reset(): void {
    this.#hits = 0;
    this.#misses = 0;
  }

  remember(key: string): void {
    this.#last = key;
  }
}
