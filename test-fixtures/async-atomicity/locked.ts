/// <reference lib="dom" />
// Sections that hold a lock every writer of the state also holds cannot interleave, whichever lock API takes it: the
// runtime's `withLockAsync`, async-mutex's `runExclusive` and `acquire()`, Web Locks' `request`. A writer that skips
// the lock breaks that, and the finding names it. Shapes from the async-mutex and Web Locks cases of
// test-fixtures/fixes-heldout (token-store, outbox) and the session-refresh code they were taken from.
import { Mutex } from '@deadbolt/runtime';
import { Mutex as AsyncMutex } from 'async-mutex';

declare function refreshToken(old: string): Promise<string>;
declare function fetchCount(): Promise<number>;

const tokenLock = new Mutex({ name: 'token' });
let token = '';

export async function refresh(): Promise<void> {
  await tokenLock.withLockAsync(async () => {
    const old = token;
    token = await refreshToken(old);
  });
}

export async function logout(): Promise<void> {
  await tokenLock.withLockAsync(() => {
    token = '';
  });
}

const counterLock = new AsyncMutex();
let seen = 0;

export async function countSeen(): Promise<void> {
  const release = await counterLock.acquire();
  try {
    seen = seen + await fetchCount();
  } finally {
    release();
  }
}

export async function resetSeen(): Promise<void> {
  await counterLock.runExclusive(() => {
    seen = 0;
  });
}

let outbox: string[] = [];

export async function send(post: (items: string[]) => Promise<void>): Promise<void> {
  await navigator.locks.request('outbox', async () => {
    await post(outbox);
    outbox = [];
  });
}

export async function enqueue(item: string): Promise<void> {
  await navigator.locks.request('outbox', async () => {
    outbox = [...outbox, item];
  });
}

// The same section, but one writer does not take the lock: the section's lock does not keep it out.
const statsLock = new AsyncMutex();
let hits = 0;

export async function countHits(): Promise<void> {
  await statsLock.runExclusive(async () => {
    hits = hits + await fetchCount(); // expect: async-atomicity
  });
}

export function clearHits(): void {
  hits = 0;
}
