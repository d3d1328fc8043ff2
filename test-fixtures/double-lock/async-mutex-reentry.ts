// A Node service caching user profiles behind an async-mutex Mutex. `refresh` runs under the mutex and calls
// `getProfile`, which takes it again: the classic async self-deadlock, since async-mutex is not re-entrant.
import { Mutex, withTimeout } from 'async-mutex';

interface Profile {
  id: string;
  name: string;
}

export class ProfileCache {
  private readonly mutex = new Mutex();
  private readonly profiles = new Map<string, Profile>();

  constructor(private readonly fetchProfile: (id: string) => Promise<Profile>) {}

  async getProfile(id: string): Promise<Profile> {
    return this.mutex.runExclusive(async () => {
      const cached = this.profiles.get(id);
      if (cached) return cached;
      const fresh = await this.fetchProfile(id);
      this.profiles.set(id, fresh);
      return fresh;
    });
  }

  async refresh(ids: string[]): Promise<void> {
    await this.mutex.runExclusive(async () => {
      this.profiles.clear();
      for (const id of ids) await this.getProfile(id); // expect: double-lock
    });
  }

  async settle(): Promise<void> {
    const release = await this.mutex.acquire();
    try {
      await this.mutex.waitForUnlock(); // expect: double-lock
    } finally {
      release();
    }
  }
}

const configLock = withTimeout(new Mutex(), 5_000);

export async function reloadConfig(load: () => Promise<void>): Promise<void> {
  await configLock.runExclusive(async () => {
    await configLock.runExclusive(load); // expect: double-lock
  });
}
