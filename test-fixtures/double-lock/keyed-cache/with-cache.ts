// A cache decorator in the shape of renovate's lib/util/cache/package/with-cache.ts (c2dd4f85): the key's mutex is
// held while the callback computes the value. Its callbacks reach `withCache` again for other keys (a datasource's
// getDigest calls its getReleases, each cached under its own key): another call of withCache, another `cacheKey`,
// another mutex. Not a double-lock.
import { acquireLock } from './mutex.js';

const cache = new Map<string, unknown>();

export async function withCache<T>(options: { namespace: string; key: string }, fn: () => Promise<T>): Promise<T> {
  const { namespace, key } = options;
  const cacheKey = `cache-decorator:${key}`;
  const releaseLock = await acquireLock(cacheKey, namespace);
  try {
    if (cache.has(cacheKey)) return cache.get(cacheKey) as T;
    const value = await fn();
    cache.set(cacheKey, value);
    return value;
  } finally {
    releaseLock();
  }
}

// Positive: the same key taken again inside one call, through a helper the locked section calls.
export async function refresh(key: string, namespace: string): Promise<void> {
  const releaseLock = await acquireLock(key, namespace);
  try {
    await invalidate(key, namespace); // expect: double-lock
  } finally {
    releaseLock();
  }
}

async function invalidate(key: string, namespace: string): Promise<void> {
  const releaseLock = await acquireLock(key, namespace);
  try {
    cache.delete(key);
  } finally {
    releaseLock();
  }
}
