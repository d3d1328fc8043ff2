// Blocking calls made directly inside async functions: each marked line stalls the whole event loop.
import { Barrier, Condition, Event, Mutex, Semaphore, SharedQueue, lockAll } from '@deadbolt/runtime';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs';
import { execSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { pbkdf2Sync } from 'node:crypto';

const mutex = new Mutex({ name: 'state' });
const other = new Mutex({ name: 'other' });
const permits = new Semaphore(2);
const ready = new Event({ name: 'ready' });
const gate = new Barrier(2);
const queue = new SharedQueue<string>({ capacity: 8 });
const signal = new Int32Array(new SharedArrayBuffer(4));

export async function update(): Promise<void> {
  using _guard = mutex.lock(); // expect: blocking-in-async
  await Promise.resolve();
}

export async function limited(): Promise<void> {
  permits.acquire(); // expect: blocking-in-async
  permits.release();
}

export class Worker {
  private readonly changed = new Condition(mutex);
  async waitForChange(): Promise<void> {
    this.changed.wait(); // expect: blocking-in-async
  }
}

export const consume = async (): Promise<string> => {
  const item = queue.get(); // expect: blocking-in-async
  return item;
};

export async function waitForSignal(): Promise<string> {
  return Atomics.wait(signal, 0, 0, 100); // expect: blocking-in-async
}

export async function loadConfig(path: string): Promise<unknown> {
  return JSON.parse(readFileSync(path, 'utf8')); // expect: sync-io-in-async
}

export async function save(path: string, text: string): Promise<void> {
  fs.writeFileSync(path, text); // expect: sync-io-in-async
}

export async function build(): Promise<Buffer> {
  execSync('make'); // expect: sync-io-in-async
  const key = pbkdf2Sync('secret', 'salt', 1000, 32, 'sha256'); // expect: sync-io-in-async
  return gzipSync(key); // expect: sync-io-in-async
}

export async function spin(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {} // expect: blocking-in-async
}

export async function both(): Promise<void> {
  lockAll([mutex, other], () => undefined); // expect: blocking-in-async
}

export async function eventAndBarrier(): Promise<void> {
  ready.wait(); // expect: blocking-in-async
  gate.wait(); // expect: blocking-in-async
  mutex.withLock(() => undefined); // expect: blocking-in-async
}

export async function readAll(paths: string[]): Promise<string[]> {
  // The callback of map runs at once, inside the coroutine: still blocking, though no await can be added there.
  return paths.map((p) => readFileSync(p, 'utf8')); // expect: sync-io-in-async
}

export async function firstLine(path: string): Promise<string> {
  return readFileSync(path).toString().split('\n')[0]!; // expect: sync-io-in-async
}
