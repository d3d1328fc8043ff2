// A token refresher in TypeScript with async-mutex through a namespace import, the `const releaseLock = await
// this.#mutex.acquire()` / `finally { releaseLock() }` idiom of MetaMask/core's controllers (CurrencyRateController,
// TokensController), checked before `npm install`: with no types for 'async-mutex' the import alone says what it is.
import * as asyncMutex from 'async-mutex';

declare function fetchToken(): Promise<string>;

export class TokenRefresher {
  readonly #mutex = new asyncMutex.Mutex();
  #token: string | undefined;

  async refresh(): Promise<void> {
    const releaseLock = await this.#mutex.acquire();
    try {
      this.#token = await fetchToken();
      await this.#publish(); // expect: double-lock
    } finally {
      releaseLock();
    }
  }

  async #publish(): Promise<void> {
    await this.#mutex.runExclusive(async () => {
      console.log('token', this.#token);
    });
  }

  // Negatives: each takes the mutex once.
  async current(): Promise<string | undefined> {
    return this.#mutex.runExclusive(() => this.#token);
  }

  async publishLater(): Promise<void> {
    await this.refresh();
    await this.#publish();
  }
}

// A Semaphore through the same namespace: a second permit requested by the task holding the only one waits forever.
const uploads = new asyncMutex.Semaphore(1);

export async function upload(parts: string[]): Promise<void> {
  await uploads.runExclusive(async () => {
    for (const part of parts) await uploads.runExclusive(async () => console.log(part)); // expect: double-lock
  });
}
