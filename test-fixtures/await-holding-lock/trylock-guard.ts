// Awaits while a tryLock() guard kept in a variable holds the lock, and the same code released first.
import { Mutex } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });

async function io(): Promise<void> {}

export async function guardThenAwait(): Promise<void> {
  const g = m.tryLock();
  if (!g) return;
  try {
    await io(); // expect: await-holding-lock
  } finally {
    g.unlock();
  }
}

export async function usingGuardThenAwait(): Promise<void> {
  using g = m.tryLock();
  if (g) await io(); // expect: await-holding-lock
}

export async function releasedThenAwait(): Promise<void> {
  const g = m.tryLock();
  if (g === undefined) return;
  g.unlock();
  await io();
}

export async function awaitOnlyWhenFailed(): Promise<void> {
  const g = m.tryLock();
  if (g) {
    g.unlock();
    return;
  }
  await io();
}
