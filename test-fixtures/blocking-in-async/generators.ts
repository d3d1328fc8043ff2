// Async generators and generators driven as coroutines (co-style runners) share their thread's event loop like any
// async function: a blocking call inside one stalls every other task. A generator used as a plain iterator does not.
import { Mutex } from '@deadbolt/runtime';

const feedLock = new Mutex({ name: 'feed' });
const ready = new Int32Array(new SharedArrayBuffer(4));

export async function* readFeeds(paths: string[]): AsyncGenerator<string> {
  for (const path of paths) {
    Atomics.wait(ready, 0, 0); // expect: blocking-in-async
    yield path;
  }
}

export async function* pollFeed(): AsyncGenerator<number> {
  for (;;) {
    feedLock.lock(); // expect: blocking-in-async
    try {
      yield Date.now();
    } finally {
      feedLock.unlock();
    }
  }
}

/** A minimal co-style driver: each yielded promise is awaited before the generator resumes. */
function run<T>(coroutine: () => Generator<Promise<unknown>, T, unknown>): Promise<T> {
  const it = coroutine();
  return new Promise((resolve, reject) => {
    const step = (value?: unknown): void => {
      const next = it.next(value);
      if (next.done) return resolve(next.value);
      next.value.then(step, reject);
    };
    step();
  });
}

export const loaded = run(function* () {
  Atomics.wait(ready, 0, 0, 50); // expect: blocking-in-async
  yield Promise.resolve(ready[0]);
  return ready[0];
});

function* syncTask(): Generator<Promise<unknown>, void, unknown> {
  feedLock.withLock(() => undefined); // expect: blocking-in-async
  yield Promise.resolve();
}

export const synced = run(syncTask);

// Negatives: generators used as iterators run inside their caller's loop, which decides whether it may block.

export function* waits(count: number): Generator<string> {
  for (let i = 0; i < count; i++) yield Atomics.wait(ready, 0, 0, 1);
}

export function countTimeouts(count: number): number {
  let n = 0;
  for (const outcome of waits(count)) if (outcome === 'timed-out') n++;
  return n;
}

function* ids(): Generator<number> {
  let id = 0;
  for (;;) yield feedLock.withLock(() => ++id);
}

export const firstIds = Array.from({ length: 3 }, ((it) => () => it.next().value as number)(ids()));

export async function* politeFeed(): AsyncGenerator<number> {
  for (;;) {
    yield await feedLock.withLockAsync(() => Date.now());
  }
}

export const spread = [...waits(3)];
