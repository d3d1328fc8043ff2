// An async function that blocks through sync helpers: reported at the call in the coroutine, naming the chain.
import { Mutex } from '@deadbolt/runtime';
import { spinFor } from './spin.js';

const mutex = new Mutex({ name: 'jobs' });

/** The classic "sleep" for workers: fine on a worker's own thread, fatal inside a coroutine. */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function backoff(attempt: number): void {
  sleep(2 ** attempt);
}

function takeJob(): void {
  mutex.lock();
}

export async function retry(attempts: number): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    backoff(attempt); // expect: blocking-in-async
  }
}

export async function tick(): Promise<void> {
  sleep(10); // expect: blocking-in-async
}

export class Scheduler {
  private take(): void {
    takeJob();
  }
  async next(): Promise<void> {
    this.take(); // expect: blocking-in-async
  }
}

export async function coolDown(): Promise<void> {
  spinFor(5); // expect: blocking-in-async
}
