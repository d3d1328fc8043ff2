/**
 * Heavy but correct use of async locks on one thread, which must never stop the debugger: fifty concurrent orders
 * each take an account mutex with acquire(), started together from one Promise.all (so their acquire calls happen in
 * one synchronous run), then nested runExclusive calls in one consistent order, a Semaphore bounding concurrency and,
 * where Node has them (24+), Web Locks in shared and exclusive mode. Prints a total and ends.
 */
import { Mutex, Semaphore, withTimeout } from 'async-mutex';

const accounts = new Mutex();
const ledger = withTimeout(new Mutex(), 5000);
const slots = new Semaphore(4);
let balance = 0;
const webLocks = (globalThis as unknown as { navigator?: { locks?: WebLocks } }).navigator?.locks;

interface WebLocks {
  request<T>(name: string, options: { mode: 'shared' | 'exclusive' }, callback: () => Promise<T>): Promise<T>;
}

async function order(n: number): Promise<void> {
  const release = await accounts.acquire();
  try {
    await new Promise((resolve) => setImmediate(resolve));
    balance += n;
  } finally {
    release();
  }
  await slots.runExclusive(async () => {
    await accounts.runExclusive(() => ledger.runExclusive(async () => void (await Promise.resolve(n))));
  });
  if (webLocks !== undefined) {
    await webLocks.request('rates', { mode: n % 5 === 0 ? 'exclusive' : 'shared' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
    });
  }
}

await Promise.all(Array.from({ length: 50 }, (_, i) => order(i)));
console.log(`total ${balance}${webLocks !== undefined ? ' with web locks' : ''}`);
