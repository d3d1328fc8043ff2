// A Node job runner: the exclusive section of an async-mutex holds the lock while it busy-waits on shared memory.
import { Mutex } from 'async-mutex';

const flags = new Int32Array(new SharedArrayBuffer(4));
const jobs = new Mutex();

export async function runNext(run: () => Promise<void>): Promise<void> {
  await jobs.runExclusive(async () => {
    Atomics.wait(flags, 0, 0); // expect: blocking-in-async
    await run();
  });
}
