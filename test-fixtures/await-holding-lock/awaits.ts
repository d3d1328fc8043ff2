// Awaits reached while holding a lock taken with a blocking or try acquisition.
import { Mutex, Semaphore } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });
const permits = new Semaphore(2);

async function fetchRow(): Promise<number> {
  return 1;
}

export async function blockingThenAwait(): Promise<number> {
  m.lock();
  try {
    return await fetchRow(); // expect: await-holding-lock
  } finally {
    m.unlock();
  }
}

export async function usingThenAwait(): Promise<void> {
  using _ = m.lock();
  await fetchRow(); // expect: await-holding-lock
}

export async function tryThenAwait(): Promise<void> {
  if (m.tryLock()) {
    await fetchRow(); // expect: await-holding-lock
    m.unlock();
  }
}

export async function semaphoreThenAwait(): Promise<void> {
  permits.acquire();
  await fetchRow(); // expect: await-holding-lock
  permits.release();
}

export async function awaitInLoop(rows: number[]): Promise<void> {
  using _ = m.lock();
  for (const row of rows) {
    await Promise.resolve(row); // expect: await-holding-lock
  }
}

export class Store {
  private readonly mutex = new Mutex({ name: 'store' });

  async save(): Promise<void> {
    const guard = this.mutex.lock();
    await fetchRow(); // expect: await-holding-lock
    guard.unlock();
  }

  async saveInCallback(): Promise<void> {
    await this.mutex.withLock(async () => {
      await fetchRow(); // expect: await-holding-lock
    });
  }
}

export async function awaitingAnotherLock(): Promise<void> {
  using _ = m.lock();
  await permits.acquireAsync(); // expect: await-holding-lock
  permits.release();
}

export async function forAwaitHolding(rows: AsyncIterable<number>): Promise<void> {
  using _ = m.lock();
  for await (const row of rows) { // expect: await-holding-lock
    void row;
  }
}

// ---- not flagged ----

export async function asyncAcquisition(): Promise<void> {
  await using _ = await m.lockAsync();
  await fetchRow();
}

export async function withLockAsync(): Promise<void> {
  await m.withLockAsync(async () => {
    await fetchRow();
  });
}

export async function releasedBefore(): Promise<void> {
  m.lock();
  m.unlock();
  await fetchRow();
}

export async function guardReleasedBefore(): Promise<void> {
  const guard = m.lock();
  guard.unlock();
  await fetchRow();
}

export async function scopeEndedBefore(): Promise<void> {
  {
    using _ = m.lock();
  }
  await fetchRow();
}

export async function tryFailedBranch(): Promise<void> {
  if (!m.tryLock()) {
    await fetchRow();
    return;
  }
  m.unlock();
}

export async function deferredCallback(): Promise<void> {
  using _ = m.lock();
  setTimeout(async () => {
    await fetchRow();
  }, 0);
}

export async function finallyReleased(): Promise<void> {
  m.lock();
  try {
    // work
  } finally {
    m.unlock();
  }
  await fetchRow();
}

export async function asyncPermit(): Promise<void> {
  await permits.acquireAsync();
  await fetchRow();
  permits.release();
}

export async function forAwaitAsyncLock(rows: AsyncIterable<number>): Promise<void> {
  await using _ = await m.lockAsync();
  for await (const row of rows) {
    void row;
  }
}
