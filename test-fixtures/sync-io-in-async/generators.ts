// Sync I/O inside async generators and generator coroutines stalls the event loop like it does in an async
// function. A generator used as a plain iterator runs on demand and is not reported.
import { readFileSync, statSync } from 'node:fs';

export async function* readFeeds(paths: string[]): AsyncGenerator<string> {
  for (const path of paths) {
    yield readFileSync(path, 'utf8'); // expect: sync-io-in-async
  }
}

/** A co-style driver: each yielded promise is awaited before the generator resumes. */
function drive<T>(coroutine: () => Generator<Promise<unknown>, T, unknown>): Promise<T> {
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

export const loaded = drive(function* () {
  const config = readFileSync('config.json', 'utf8'); // expect: sync-io-in-async
  yield Promise.resolve(config);
  return config.length;
});

function* sizes(paths: string[]): Generator<number> {
  for (const path of paths) yield statSync(path).size;
}

export function total(paths: string[]): number {
  let sum = 0;
  for (const size of sizes(paths)) sum += size;
  return sum;
}
