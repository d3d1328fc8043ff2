// A rate-limited upload queue on async-mutex: `acquire()` resolves to the function that releases.
import { Mutex, Semaphore, withTimeout } from 'async-mutex';

const uploads = new Semaphore(3);
const manifestLock = new Mutex();

export async function upload(file: string, send: (file: string) => Promise<boolean>): Promise<boolean> {
  const [, release] = await uploads.acquire(); // expect: lock-leak
  const ok = await send(file);
  if (!ok) return false;
  release();
  return true;
}

export async function appendToManifest(entry: string, manifest: string[]): Promise<void> {
  const release = await manifestLock.acquire(); // expect: lock-leak
  if (manifest.includes(entry)) return;
  manifest.push(entry);
  release();
}

export async function rewriteManifest(entries: string[], manifest: string[]): Promise<void> {
  const release = await manifestLock.acquire();
  try {
    manifest.length = 0;
    manifest.push(...entries);
  } finally {
    release();
  }
}

// Fetched without `node_modules` or with: the wrapper keeps the lock's identity.
const indexLock = withTimeout(new Mutex(), 2_000);

export async function reindex(rebuild: () => Promise<void>): Promise<void> {
  const release = await indexLock.acquire(); // expect: lock-leak
  await rebuild();
  if (Math.random() > 0.5) throw new Error('index corrupted');
  release();
}
