// A helper that takes the lock unless its caller says it already holds it, as MetaMask/core's
// SeedlessOnboardingController writes `verifyVaultPassword(password, options?: { skipLock?: boolean })`
// (`options?.skipLock ? await doVerify() : await this.#withControllerLock(doVerify)`), called from `changePassword()`
// under the lock with `{ skipLock: true }`. Positional and destructured flags with defaults (`createBackup(skipLock =
// false)`, `complete({ ..., skipLock = false })`) are the other spellings public code uses. Only a call that lets the
// helper take the lock again while it is held is a double-lock: one without the flag, or with `false`.
import { Mutex } from 'async-mutex';

export class Vault {
  readonly #mutex = new Mutex();
  #vault = '';

  async #withLock<T>(fn: () => Promise<T>): Promise<T> {
    return await this.#mutex.runExclusive(fn);
  }

  async verifyPassword(password: string, options?: { skipLock?: boolean }): Promise<void> {
    const verify = async (): Promise<void> => {
      if (this.#vault !== password) throw new Error('wrong password');
    };
    return options?.skipLock ? await verify() : await this.#withLock(verify);
  }

  async backup(note: string, skipLock = false): Promise<string> {
    if (!skipLock) {
      return await this.#withLock(async () => `${note}:${this.#vault}`);
    }
    return `${note}:${this.#vault}`;
  }

  async export({ format = 'json', skipLock = false }: { format?: string; skipLock?: boolean } = {}): Promise<string> {
    const release = skipLock ? undefined : await this.#mutex.acquire();
    try {
      return `${format}:${this.#vault}`;
    } finally {
      release?.();
    }
  }

  // The caller holds the lock and says so: no re-take.
  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await this.#withLock(async () => {
      await this.verifyPassword(oldPassword, { skipLock: true });
      await this.backup('before-change', true);
      await this.export({ skipLock: true });
      this.#vault = newPassword;
    });
  }

  // Outside the lock, every spelling takes it once: nothing to report.
  async audit(password: string): Promise<string> {
    await this.verifyPassword(password);
    await this.export();
    return await this.backup('audit');
  }

  // Under the lock without the flag, or with it false: the helper takes the mutex again and waits forever.
  async rotate(password: string): Promise<void> {
    await this.#withLock(async () => {
      await this.verifyPassword(password); // expect: double-lock
      await this.verifyPassword(password, { skipLock: false }); // expect: double-lock
      await this.backup('rotate'); // expect: double-lock
      await this.backup('rotate', false); // expect: double-lock
      await this.export({ format: 'csv' }); // expect: double-lock
    });
  }
}
