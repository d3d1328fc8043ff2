/**
 * A guaranteed deadlock for the debug adapter: two workers take the same two locks in opposite orders, and a barrier
 * makes sure each holds its first lock before reaching for the second. The marker comments are read by the tests.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

interface Shared {
  first: MutexHandle;
  second: MutexHandle;
  bothHolding: BarrierHandle;
}

if (isMainThread) {
  const lockA = new Mutex({ name: 'lockA' });
  const lockB = new Mutex({ name: 'lockB' });
  const bothHolding = new Barrier(2);
  const ab: Shared = { first: lockA.handle, second: lockB.handle, bothHolding: bothHolding.handle };
  const ba: Shared = { first: lockB.handle, second: lockA.handle, bothHolding: bothHolding.handle };
  new Worker(new URL(import.meta.url), { name: 'transfer-ab', workerData: ab });
  new Worker(new URL(import.meta.url), { name: 'transfer-ba', workerData: ba });
  console.log('started two transfers');
} else {
  transfer(workerData as Shared);
}

function transfer(shared: Shared): void {
  const first = Mutex.from(shared.first);
  const second = Mutex.from(shared.second);
  first.lock(); // @hold
  Barrier.from(shared.bothHolding).wait();
  second.lock(); // @wait
  console.log('unreachable: both locks taken');
  second.unlock();
  first.unlock();
}
