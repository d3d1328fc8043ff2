// Async generators and generators driven as coroutines (co-style runners) share their thread's event loop like any
// async function: a blocking call inside one stalls every other task. A generator used as a plain iterator does not.
import { readFileSync } from 'node:fs';
import { Mutex } from '@deadbolt/runtime';

const feedLock = new Mutex({ name: 'feed' });

export async function* readFeeds(paths: string[]): AsyncGenerator<string> {
  for (const path of paths) {
    yield readFileSync(path, 'utf8'); // expect: blocking-in-async
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
  const config = readFileSync('config.json', 'utf8'); // expect: blocking-in-async
  yield Promise.resolve(config);
  return config.length;
});

function* syncTask(): Generator<Promise<unknown>, void, unknown> {
  feedLock.withLock(() => undefined); // expect: blocking-in-async
  yield Promise.resolve();
}

export const synced = run(syncTask);

// Negatives: generators used as iterators run inside their caller's loop, which decides whether it may block.

export function* lines(path: string): Generator<string> {
  for (const line of readFileSync(path, 'utf8').split('\n')) yield line;
}

export function countLines(path: string): number {
  let n = 0;
  for (const _ of lines(path)) n++;
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

export const spread = [...lines('list.txt')];
