// Locks taken through helpers that run a callback under them, as real code writes them: a free `withLock(mutex,
// callback)` behind private `#withControllerLock`/`#withVaultLock` methods (MetaMask's KeyringController), a Web Locks
// helper `navigatorLock(name, timeout, fn)` (supabase-js), and a runtime `inTx(cb)`. What the callback takes nests
// under the helper's lock, through as many helpers as there are.
import { Mutex } from 'async-mutex';
import { Mutex as SharedMutex } from '@deadbolt/runtime';

type Callback<R> = (lock: { releaseLock: () => void }) => Promise<R>;

async function withLock<R>(mutex: Mutex, callback: Callback<R>): Promise<R> {
  const releaseLock = await mutex.acquire();
  try {
    return await callback({ releaseLock });
  } finally {
    releaseLock();
  }
}

export class Vault {
  #controllerMutex = new Mutex();
  #vaultMutex = new Mutex();
  #accounts: string[] = [];

  async #withControllerLock<R>(callback: Callback<R>): Promise<R> {
    return withLock(this.#controllerMutex, callback);
  }

  async #withVaultLock<R>(callback: Callback<R>): Promise<R> {
    return withLock(this.#vaultMutex, callback);
  }

  // Negative: the controller lock, then the vault lock, as everywhere else in the class.
  async addAccount(name: string): Promise<void> {
    await this.#withControllerLock(async () => {
      await this.#withVaultLock(async () => {
        this.#accounts.push(name);
      });
    });
  }

  // Positive: the vault lock first, then the controller lock through two helpers.
  async exportAccounts(): Promise<string[]> {
    return this.#withVaultLock(async () => this.#withControllerLock(async () => [...this.#accounts])); // expect: lock-order
  }

  // Negative: the two helpers one after the other, never nested.
  async rename(index: number, name: string): Promise<void> {
    const old = await this.#withVaultLock(async () => this.#accounts[index]);
    await this.#withControllerLock(async () => {
      if (old !== undefined) this.#accounts[index] = name;
    });
  }
}

type LockFn = <R>(name: string, acquireTimeout: number, fn: () => Promise<R>) => Promise<R>;

export const navigatorLock: LockFn = async (name, acquireTimeout, fn) => {
  const controller = new AbortController();
  if (acquireTimeout > 0) setTimeout(() => controller.abort(), acquireTimeout);
  return await navigator.locks.request(name, { mode: 'exclusive', signal: controller.signal }, async () => await fn());
};

// Positive: 'session' then 'profile' through the helper, and below the other way round.
export async function refreshSession(load: () => Promise<string>): Promise<void> {
  await navigatorLock('lock:session', 5000, async () => {
    const token = await load();
    await navigatorLock('lock:profile', 5000, async () => { // expect: lock-order
      localStorage.setItem('token', token);
    });
  });
}

export async function saveProfile(profile: string): Promise<void> {
  await navigatorLock('lock:profile', 5000, async () => {
    await navigatorLock('lock:session', 5000, async () => {
      localStorage.setItem('profile', profile);
    });
  });
}

// Negative: one name at a time.
export async function clearSession(): Promise<void> {
  await navigatorLock('lock:session', 0, async () => localStorage.removeItem('token'));
}

const txLock = new SharedMutex({ name: 'tx' });
const listenLock = new SharedMutex({ name: 'listen' });
const channels = new Set<string>();

function inTx<R>(cb: () => R): R {
  return txLock.withLock(cb);
}

function inListen<R>(cb: () => R): R {
  return listenLock.withLock(cb);
}

// Positive: listen inside a transaction, and a transaction inside listen.
export function subscribeInTx(channel: string): void {
  inTx(() => inListen(() => channels.add(channel)));
}

export function subscribe(channel: string): void {
  inListen(() => {
    channels.add(channel);
    inTx(() => channels.size); // expect: lock-order
  });
}

type Job = () => void;
const idle: Job[] = [];

function whenIdle(job: Job): void {
  // Stored, run later by someone else: not run under any lock taken here.
  idle.push(job);
}

// Negative: the job handed over is not run while `tx` is held.
export function scheduleUnsubscribe(channel: string): void {
  inTx(() => whenIdle(() => inListen(() => channels.delete(channel))));
}

// Negative: deferred to a timer, after the wrapper has released.
export function unsubscribeLater(channel: string): void {
  inListen(() => setTimeout(() => inTx(() => channels.delete(channel)), 0));
}
