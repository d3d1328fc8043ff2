/**
 * Heavy but correct use of async locks on one thread, which must never stop the debugger: fifty concurrent orders
 * each take an account mutex with acquire(), started together from one Promise.all (so their acquire calls happen in
 * one synchronous run), then nested runExclusive calls in one consistent order, a Semaphore bounding concurrency and,
 * where Node has them (24+), Web Locks in shared and exclusive mode; then two reports started together that take
 * different mutexes first, one waiting while holding for the other. Prints a total and ends.
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

const stock = new Mutex();
const auditLog = new Mutex();

/** Keeps the audit log for a while (a slow remote write), long enough for a false cycle to be confirmed and reported. */
async function slowAudit(): Promise<void> {
  const release = await auditLog.acquire();
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    release();
  }
}

/** Takes the stock, then waits its turn for the audit log: a wait while holding, but behind a task that will finish. */
async function stockThenAudit(): Promise<void> {
  const release = await stock.acquire();
  try {
    await auditLog.runExclusive(async () => {});
  } finally {
    release();
  }
}

await Promise.all(Array.from({ length: 50 }, (_, i) => order(i)));
await Promise.all([slowAudit(), stockThenAudit()]);
console.log(`total ${balance}${webLocks !== undefined ? ' with web locks' : ''}`);
