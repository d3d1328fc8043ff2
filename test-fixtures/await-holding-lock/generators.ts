// A coroutine suspends at `yield` as it does at `await`: an async generator (or a generator driven by a co-style
// runner) that yields while holding a blocking-taken lock keeps it held for as long as its consumer takes.
import { Mutex } from '@deadbolt/runtime';

const cursorLock = new Mutex({ name: 'cursor' });
const rows = [1, 2, 3];

export async function* streamRows(): AsyncGenerator<number> {
  cursorLock.lock();
  try {
    for (const row of rows) {
      yield row; // expect: await-holding-lock
    }
  } finally {
    cursorLock.unlock();
  }
}

export async function* streamScoped(): AsyncGenerator<number> {
  using _ = cursorLock.lock();
  yield rows.length; // expect: await-holding-lock
}

export async function* streamAwaiting(load: () => Promise<number>): AsyncGenerator<number> {
  cursorLock.lock();
  try {
    const n = await load(); // expect: await-holding-lock
    yield n; // expect: await-holding-lock
  } finally {
    cursorLock.unlock();
  }
}

function drive(coroutine: () => Generator<unknown, void, unknown>): void {
  const it = coroutine();
  for (let next = it.next(); !next.done; next = it.next()) void next.value;
}

drive(function* () {
  cursorLock.lock();
  yield Promise.resolve(); // expect: await-holding-lock
  cursorLock.unlock();
});

// Negatives.

/** Taken and released between yields: nothing is held while suspended. */
export async function* streamPolitely(): AsyncGenerator<number> {
  for (const row of rows) {
    const copy = cursorLock.withLock(() => row);
    yield copy;
  }
}

/** An async lock is the intended idiom. */
export async function* streamAsyncLock(): AsyncGenerator<number> {
  const guard = await cursorLock.lockAsync();
  try {
    yield rows.length;
  } finally {
    guard.unlock();
  }
}

/** A plain iterator runs inside its consumer's loop: the lock is the consumer's business, not a suspension. */
export function* iterateLocked(): Generator<number> {
  using _ = cursorLock.lock();
  for (const row of rows) yield row;
}

export function firstRow(): number | undefined {
  for (const row of iterateLocked()) return row;
  return undefined;
}

/** Released before the yield. */
export async function* snapshotThenYield(): AsyncGenerator<number[]> {
  cursorLock.lock();
  const copy = [...rows];
  cursorLock.unlock();
  yield copy;
}
