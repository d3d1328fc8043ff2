// A lock taken through a chain of wrapper methods. MetaMask/core packages/keyring-controller/src/KeyringController.ts:
// public methods hand a callback to `#persistOrRollback`, which hands one to `#withRollback`, which hands one to
// `#withControllerLock`, which runs it under the controller mutex (`withLock`: `acquire()`, call, `finally` release).
// `#clearKeyrings()` awaits each keyring's destruction and then empties the list; every writer of the list runs under
// the same mutex, so none adds a keyring meanwhile. The twin's `importUnlocked` pushes without the wrapper: reported.
import { Mutex } from 'async-mutex';

type Exclusive<R> = (args: { releaseLock: () => void }) => Promise<R>;
interface KeyringEntry {
  id: string;
}
declare function destroyKeyring(entry: KeyringEntry): Promise<void>;
declare function buildKeyring(type: string): Promise<KeyringEntry>;
declare function decryptVault(password: string): Promise<string[]>;

async function withLock<R>(mutex: Mutex, callback: Exclusive<R>): Promise<R> {
  const releaseLock = await mutex.acquire();
  try {
    return await callback({ releaseLock });
  } finally {
    releaseLock();
  }
}

export class KeyringStore {
  readonly #controllerMutex = new Mutex();
  readonly #vaultMutex = new Mutex();
  #keyrings: KeyringEntry[] = [];

  async addNewKeyring(type: string): Promise<void> {
    return this.#persistOrRollback(async () => {
      this.#keyrings.push(await buildKeyring(type));
    });
  }

  async restrictTo(kept: KeyringEntry[]): Promise<void> {
    return this.#persistOrRollback(async () => {
      this.#keyrings = kept;
    });
  }

  async createNewVault(): Promise<void> {
    return this.#withRollback(async () => {
      await this.#clearKeyrings();
    });
  }

  // Unlocking restores the keyrings under the vault mutex, inside a callback of `#withRollback`: the controller mutex
  // is held too, by the caller of the method that wrote the callback. A rollback restores them under the controller
  // mutex alone, so the vault mutex is not held on every way in, and the controller mutex is.
  async submitPassword(password: string): Promise<void> {
    return this.#withRollback(async () => {
      await this.#unlockKeyrings(password);
    });
  }

  async #unlockKeyrings(password: string): Promise<void> {
    return this.#withVaultLock(async () => {
      await this.#restoreKeyrings(await decryptVault(password));
    });
  }

  async #restoreKeyrings(types: string[]): Promise<void> {
    await this.#clearKeyrings();
    for (const type of types) this.#keyrings.push(await buildKeyring(type));
  }

  async #clearKeyrings(): Promise<void> {
    for (const entry of this.#keyrings) {
      await destroyKeyring(entry);
    }
    this.#keyrings = [];
  }

  async #persistOrRollback<R>(callback: Exclusive<R>): Promise<R> {
    return this.#withRollback(async ({ releaseLock }) => {
      const result = await callback({ releaseLock });
      return result;
    });
  }

  async #withRollback<R>(callback: Exclusive<R>): Promise<R> {
    return this.#withControllerLock(async ({ releaseLock }) => {
      const saved = this.#keyrings.map((entry) => entry.id);
      try {
        return await callback({ releaseLock });
      } catch (error) {
        await this.#restoreKeyrings(saved);
        throw error;
      }
    });
  }

  async #withControllerLock<R>(callback: Exclusive<R>): Promise<R> {
    return withLock(this.#controllerMutex, callback);
  }

  async #withVaultLock<R>(callback: Exclusive<R>): Promise<R> {
    return withLock(this.#vaultMutex, callback);
  }
}

export class UnlockedKeyringStore {
  readonly #controllerMutex = new Mutex();
  #keyrings: KeyringEntry[] = [];

  async importUnlocked(type: string): Promise<void> {
    this.#keyrings.push(await buildKeyring(type));
  }

  async createNewVault(): Promise<void> {
    return this.#withControllerLock(async () => {
      await this.#clearKeyrings();
    });
  }

  async #clearKeyrings(): Promise<void> {
    for (const entry of this.#keyrings) {
      await destroyKeyring(entry);
    }
    this.#keyrings = []; // expect: async-atomicity
  }

  async #withControllerLock<R>(callback: Exclusive<R>): Promise<R> {
    return withLock(this.#controllerMutex, callback);
  }
}
