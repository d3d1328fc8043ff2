/**
 * Two tellers move money between the same two accounts in opposite directions, each locking the account it pays from
 * and then the one it pays into: the lock-order inversion of every bank-transfer example. Started together they
 * deadlock in some runs and finish in others; with the argument `one-at-a-time` the second starts after the first
 * ended, so the run never deadlocks although both orders are taken. Either way the trace must report the hazard.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const ROUNDS = 20_000;

interface Transfer {
  from: MutexHandle;
  to: MutexHandle;
  fromIndex: number;
  toIndex: number;
  balances: SharedArrayBuffer;
  /** The bank opens when both tellers are at their desks (with one teller at a time, each opens alone). */
  open: BarrierHandle;
}

function teller(name: string, transfer: Transfer): Promise<void> {
  const worker = new Worker(new URL(import.meta.url), { name, workerData: transfer });
  return new Promise((resolve) => worker.once('exit', () => resolve()));
}

if (isMainThread) {
  const savings = new Mutex({ name: 'savings' });
  const checking = new Mutex({ name: 'checking' });
  const balances = new SharedArrayBuffer(8);
  new Int32Array(balances).fill(1000);
  const oneAtATime = process.argv[2] === 'one-at-a-time';
  const open = new Barrier(oneAtATime ? 1 : 2).handle;
  const toChecking: Transfer = { from: savings.handle, to: checking.handle, fromIndex: 0, toIndex: 1, balances, open };
  const toSavings: Transfer = { from: checking.handle, to: savings.handle, fromIndex: 1, toIndex: 0, balances, open };
  if (oneAtATime) {
    await teller('teller-1', toChecking);
    await teller('teller-2', toSavings);
  } else {
    await Promise.all([teller('teller-1', toChecking), teller('teller-2', toSavings)]);
  }
  console.log(`balances ${new Int32Array(balances).join(' ')}`);
} else {
  const transfer = workerData as Transfer;
  const from = Mutex.from(transfer.from);
  const to = Mutex.from(transfer.to);
  const accounts = new Int32Array(transfer.balances);
  Barrier.from(transfer.open).wait();
  for (let i = 0; i < ROUNDS; i++) {
    from.lock(); // @held
    try {
      to.lock(); // @taken
      try {
        accounts[transfer.fromIndex]! -= 1;
        accounts[transfer.toIndex]! += 1;
      } finally {
        to.unlock();
      }
    } finally {
      from.unlock();
    }
  }
}
