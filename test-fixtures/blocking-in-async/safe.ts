// Correct code: async twins, blocking calls on sync paths, look-alike names. Nothing here may be reported.
import { Condition, Event, Mutex, SharedQueue } from '@deadbolt/runtime';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

const mutex = new Mutex({ name: 'state' });
const changed = new Condition(mutex);
const ready = new Event();
const queue = new SharedQueue<number>({ capacity: 4 });
const signal = new Int32Array(new SharedArrayBuffer(4));

export async function update(): Promise<void> {
  using _guard = await mutex.lockAsync();
  await changed.waitAsync();
}

export async function waitForSignal(): Promise<void> {
  await Atomics.waitAsync(signal, 0, 0, 100).value;
  await ready.waitAsync();
  const item = queue.tryGet();
  await queue.putAsync(item ?? 0);
}

export async function load(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Sync code on a worker's own thread may block: that is what the sync methods are for. */
export function workerLoop(): void {
  using _guard = mutex.lock();
  Atomics.wait(signal, 0, 0);
  readFileSync('/etc/hosts');
}

export async function later(): Promise<void> {
  // The callback runs later on its own turn of the event loop, not inside this coroutine.
  setTimeout(() => mutex.lock(), 0);
  queueMicrotask(() => workerLoop());
}

class Cache {
  lock(): void {}
  get(key: string): string {
    return key;
  }
}
const cache = new Cache();

export async function lookAlikes(): Promise<string> {
  // Same method names, but not the runtime's classes.
  cache.lock();
  const map = new Map<string, string>();
  map.get('k');
  return cache.get('k');
}

function readConfigSync(): string {
  return 'not node:fs';
}

export async function ownSyncFunction(): Promise<string> {
  return readConfigSync();
}

export async function politeWait(until: number): Promise<void> {
  while (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

export function* generator(): Generator<number> {
  Atomics.wait(signal, 0, 0, 1);
  yield 1;
}
