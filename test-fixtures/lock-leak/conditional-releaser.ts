// A releaser kept in a `let` and set only on some paths, as renovate's HTTP layer writes it (c2dd4f85,
// lib/util/http/http.ts: `let releaseLock: undefined | (() => void); if (isReadMethod) { releaseLock = await
// acquireLock(...) } try { ... return ... } finally { releaseLock?.(); }`): the optional call in `finally` releases
// on every path. Without that `finally`, an early return keeps the lock.
import { Mutex } from 'async-mutex';

const requests = new Mutex();
const responses = new Map<string, string>();

export async function cachedGet(url: string, isRead: boolean): Promise<string> {
  let releaseLock: undefined | (() => void);
  if (isRead) {
    releaseLock = await requests.acquire();
  }
  try {
    const cached = responses.get(url);
    if (cached) return cached;
    const body = url.toUpperCase();
    responses.set(url, body);
    return body;
  } finally {
    releaseLock?.();
  }
}

export async function leakyGet(url: string): Promise<string> {
  let releaseLock: undefined | (() => void);
  releaseLock = await requests.acquire(); // expect: lock-leak
  const cached = responses.get(url);
  if (cached) return cached;
  releaseLock?.();
  return url;
}
