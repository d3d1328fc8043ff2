/**
 * The worker of the multi-file program: takes its first lock, waits until the other worker holds its own first lock,
 * then reaches for the second, which the other worker holds. The marker comments are read by the tests.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { workerData } from 'node:worker_threads';

export interface Transfer {
  first: MutexHandle;
  second: MutexHandle;
  bothHolding: BarrierHandle;
}

const transfer = workerData as Transfer;
const first = Mutex.from(transfer.first);
const second = Mutex.from(transfer.second);
first.lock(); // @hold
Barrier.from(transfer.bothHolding).wait();
second.lock(); // @wait
console.log('unreachable: both locks taken');
second.unlock();
first.unlock();
