// One helper inlined inside its own callback, as MetaMask's SeedlessOnboardingController writes it: `withLock(mutex,
// callback)` takes the mutex, and the controller's `#withControllerLock` runs callbacks that call
// `#withVaultLock`, the same helper on another mutex. Each inlining's `releaseLock()` releases its own mutex.
import { Mutex, type MutexInterface } from 'async-mutex';

type Callback<Result> = ({ releaseLock }: { releaseLock: MutexInterface.Releaser }) => Promise<Result>;

async function withLock<Result>(mutex: Mutex, callback: Callback<Result>): Promise<Result> {
  const releaseLock = await mutex.acquire();
  try {
    return await callback({ releaseLock });
  } finally {
    releaseLock();
  }
}

export class VaultController {
  readonly #controllerMutex = new Mutex();
  readonly #vaultMutex = new Mutex();
  #cached: string | undefined;

  async #withControllerLock<Result>(callback: Callback<Result>): Promise<Result> {
    return await withLock(this.#controllerMutex, callback);
  }

  async #withVaultLock<Result>(callback: Callback<Result>): Promise<Result> {
    return await withLock(this.#vaultMutex, callback);
  }

  async #unlockVault(): Promise<string> {
    return this.#withVaultLock(async () => {
      if (this.#cached) return this.#cached;
      this.#cached = 'decrypted';
      return this.#cached;
    });
  }

  async #updateVault(data: string): Promise<void> {
    await this.#withVaultLock(async () => {
      this.#cached = data;
    });
  }

  // Negative: the vault lock is taken twice in a row under the controller lock, released in between.
  async submitPassword(): Promise<void> {
    return await this.#withControllerLock(async () => {
      const data = await this.#unlockVault();
      await this.#updateVault(data);
    });
  }

  // Positive: the vault lock taken again inside its own callback.
  async rotate(): Promise<void> {
    await this.#withVaultLock(async () => {
      await this.#updateVault('rotated'); // expect: double-lock
    });
  }
}

const a = new Mutex();
const b = new Mutex();

// Negative: `b` twice in a row inside `a`.
export async function twice(): Promise<void> {
  await withLock(a, async () => {
    await withLock(b, async () => {});
    await withLock(b, async () => {});
  });
}

// Positive: `a` inside `a` through the same helper.
export async function reenter(): Promise<void> {
  await withLock(a, async () => {
    await withLock(a, async () => {}); // expect: double-lock
  });
}
