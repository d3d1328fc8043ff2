/// <reference lib="dom" />
// Correct use of Web Locks and async-mutex: one nesting order, shared readers, releases in finally, no-wait requests.
import { Mutex, Semaphore, tryAcquire, E_ALREADY_LOCKED } from 'async-mutex';

const SESSION = 'auth:session';
const TOKENS = 'auth:tokens';

export async function rotateToken(fetchToken: () => Promise<string>): Promise<void> {
  await navigator.locks.request(SESSION, async () => {
    const token = await fetchToken();
    await navigator.locks.request(TOKENS, async () => {
      sessionStorage.setItem('token', token);
    });
  });
}

export async function signOut(): Promise<void> {
  await navigator.locks.request(SESSION, async () => {
    await navigator.locks.request(TOKENS, () => sessionStorage.removeItem('token'));
  });
}

export async function readToken(): Promise<string | null> {
  return navigator.locks.request(TOKENS, { mode: 'shared' }, async () => sessionStorage.getItem('token'));
}

export async function pingIfIdle(): Promise<void> {
  await navigator.locks.request(SESSION, { ifAvailable: true }, async (lock) => {
    if (!lock) return;
    await fetch('/ping');
  });
}

const cacheLock = new Mutex();
const downloads = new Semaphore(4);
const cache = new Map<string, string>();

export async function cached(key: string, load: () => Promise<string>): Promise<string> {
  const release = await cacheLock.acquire();
  try {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    cache.set(key, value);
    return value;
  } finally {
    release();
  }
}

export async function download(url: string): Promise<ArrayBuffer> {
  return downloads.runExclusive(async () => {
    const response = await fetch(url);
    return response.arrayBuffer();
  });
}

export async function compactIfFree(): Promise<boolean> {
  try {
    await tryAcquire(cacheLock).runExclusive(async () => {
      for (const [key, value] of cache) if (value === '') cache.delete(key);
      await Promise.resolve();
    });
    return true;
  } catch (error) {
    if (error === E_ALREADY_LOCKED) return false;
    throw error;
  }
}

// The release chained on the work's promise runs however the work settles.
export async function refreshRates(load: () => Promise<void>): Promise<void> {
  const releaseLock = await cacheLock.acquire();
  return (async () => {
    await load();
  })().finally(() => {
    releaseLock();
  });
}
