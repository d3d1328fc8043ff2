// What sync-io-in-async leaves alone: promise twins, sync code, callbacks that run later, and functions
// named like Node's that are not Node's.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export async function load(file: string): Promise<string> {
  return readFile(file, 'utf8');
}

export function loadNow(file: string): string {
  return readFileSync(file, 'utf8');
}

export async function later(file: string): Promise<void> {
  // The callback runs on a later turn of the event loop, outside this coroutine.
  setTimeout(() => readFileSync(file), 10);
  await new Promise<void>((resolve) => new Worker(file).once('exit', () => resolve()));
}

const store = { writeFileSync: (_key: string, _value: string): void => undefined };
export async function save(key: string, value: string): Promise<void> {
  store.writeFileSync(key, value);
}
