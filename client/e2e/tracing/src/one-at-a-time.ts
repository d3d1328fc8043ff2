// Two tellers, one after the other: the run never deadlocks, yet they take the two locks in opposite orders, which
// lock tracing reports as a potential deadlock.
import { Mutex } from '@deadbolt/runtime';
import { Worker } from 'node:worker_threads';

const savings = new Mutex({ name: 'savings' });
const checking = new Mutex({ name: 'checking' });
const balances = new SharedArrayBuffer(8);

function teller(name: string, from: Mutex, to: Mutex, fromIndex: number, toIndex: number): Promise<void> {
  const workerData = { from: from.handle, to: to.handle, balances, fromIndex, toIndex };
  const worker = new Worker(new URL('./teller.ts', import.meta.url), { name, workerData });
  return new Promise((resolve) => worker.once('exit', () => resolve()));
}

await teller('teller-1', savings, checking, 0, 1);
await teller('teller-2', checking, savings, 1, 0);
console.log(`balances ${new Int32Array(balances).join(' ')}`);
