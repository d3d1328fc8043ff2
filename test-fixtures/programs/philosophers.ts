/**
 * Dining philosophers that always deadlock: five workers, each takes its left fork, waits until all five hold one,
 * then reaches for its right fork (its neighbour's left). The marker comments are read by the tests.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

const SEATS = 5;

interface Seat {
  left: MutexHandle;
  right: MutexHandle;
  seated: BarrierHandle;
}

if (isMainThread) {
  const forks = Array.from({ length: SEATS }, (_, i) => new Mutex({ name: `fork${i}` }));
  const seated = new Barrier(SEATS);
  for (let i = 0; i < SEATS; i++) {
    const seat: Seat = { left: forks[i]!.handle, right: forks[(i + 1) % SEATS]!.handle, seated: seated.handle };
    new Worker(new URL(import.meta.url), { name: `philosopher-${i}`, workerData: seat });
  }
} else {
  dine(workerData as Seat);
}

function dine(seat: Seat): void {
  const left = Mutex.from(seat.left);
  const right = Mutex.from(seat.right);
  left.lock(); // @hold
  Barrier.from(seat.seated).wait();
  right.lock(); // @wait
  console.log('unreachable: ate');
}
