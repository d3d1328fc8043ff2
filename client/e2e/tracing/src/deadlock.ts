// Two tellers at once, each holding its first lock before it reaches for the second: a deadlock in every run.
import { Barrier, Mutex } from '@deadbolt/runtime';
import { Worker } from 'node:worker_threads';

const savings = new Mutex({ name: 'savings' });
const checking = new Mutex({ name: 'checking' });
const balances = new SharedArrayBuffer(8);
const bothHolding = new Barrier(2).handle;

function teller(name: string, from: Mutex, to: Mutex, fromIndex: number, toIndex: number): void {
  const workerData = { from: from.handle, to: to.handle, balances, fromIndex, toIndex, bothHolding };
  new Worker(new URL('./teller.ts', import.meta.url), { name, workerData });
}

teller('teller-1', savings, checking, 0, 1);
teller('teller-2', checking, savings, 1, 0);
