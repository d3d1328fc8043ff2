// A worker module with races and blocking calls that `deadbolt check --fix` can repair.
import { Mutex } from '@deadbolt/runtime';
import { readFileSync } from 'node:fs';

const mutex = new Mutex({ name: 'jobs' });
const counts = new Int32Array(new SharedArrayBuffer(16));

export function record(slot: number, amount: number): void {
  counts[slot] += amount;
  counts[0]++;
}

export async function loadJob(path: string): Promise<string> {
  using _guard = mutex.lock();
  return readFileSync(path, 'utf8');
}

export async function loadTwo(a: string, b: string): Promise<string> {
  return readFileSync(a, 'utf8') + readFileSync(b, 'utf8');
}
