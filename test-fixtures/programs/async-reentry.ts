/**
 * Two self-deadlocks of one async task, the kind nobody sees coming: a cache whose `refresh` calls `load`, and both
 * take the same async-mutex with runExclusive (not re-entrant); with --web-locks, a settings store that nests a
 * Web Locks request for the name it already holds (Web Locks are not re-entrant either). A heartbeat keeps the
 * process up, as a service's server would. The marker comments are read by the adapter tests.
 */
import { Mutex } from 'async-mutex';

class Cache {
  private readonly lock = new Mutex();
  private value = '';

  async refresh(): Promise<string> {
    return this.lock.runExclusive(async () => { // @hold-mutex
      this.value = await this.load();
      return this.value;
    });
  }

  private async load(): Promise<string> {
    return this.lock.runExclusive(async () => 'fresh'); // @wait-mutex
  }
}

// @types/node 20 does not declare Web Locks yet; Node 24 has them on navigator.
interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

async function saveSettings(locks: Locks): Promise<void> {
  await locks.request('settings', async () => { // @hold-web
    await locks.request('settings', async () => console.log('unreachable: nested request granted')); // @wait-web
  });
}

const heartbeat = setInterval(() => {}, 1000);
if (process.argv.includes('--web-locks')) {
  void saveSettings((globalThis as unknown as { navigator: { locks: Locks } }).navigator.locks);
} else {
  void new Cache().refresh().then(() => {
    console.log('unreachable: refreshed');
    clearInterval(heartbeat);
  });
}
