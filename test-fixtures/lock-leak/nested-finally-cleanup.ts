// Cleanup that awaits inside an inner `finally`, nested in the `try` whose own `finally` releases the lock, as
// renovate's RPM datasource writes it (c2dd4f85, lib/modules/datasource/rpm/providers/common.ts
// `getCachedGunzippedFile`: `if (await fs.cachePathExists(tmp)) await fs.rmCache(tmp)` in the inner finally, then
// `releaseLock()` in the outer one). A rejection of that cleanup still passes through the outer finally. Releasing
// after the inner try instead of in a finally leaks when the cleanup rejects.
import { Mutex } from 'async-mutex';

const downloads = new Mutex();

async function exists(path: string): Promise<boolean> {
  return path.length > 0;
}

async function remove(path: string): Promise<void> {
  if (!path) throw new Error('no path');
}

export async function cachedFile(url: string): Promise<string> {
  const releaseLock = await downloads.acquire();
  try {
    const temp = `${url}.tmp`;
    try {
      return url;
    } finally {
      if (await exists(temp)) {
        await remove(temp);
      }
    }
  } finally {
    releaseLock();
  }
}

export async function leakyFile(url: string): Promise<string> {
  const releaseLock = await downloads.acquire(); // expect: lock-leak
  const temp = `${url}.tmp`;
  try {
    await exists(url);
  } finally {
    await remove(temp);
  }
  releaseLock();
  return url;
}
