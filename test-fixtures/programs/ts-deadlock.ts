/**
 * A TypeScript program the adapter runs from source (bundled by esbuild with source maps): the main thread and one
 * worker take two locks in opposite orders. The main thread blocks in Atomics.wait, so only the collector can report.
 */
import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

interface Pair {
  inbox: MutexHandle;
  outbox: MutexHandle;
  ready: BarrierHandle;
}

function swap(first: Mutex, second: Mutex, ready: Barrier): never {
  first.lock(); // @hold
  ready.wait();
  second.lock(); // @wait
  throw new Error('unreachable: both boxes taken');
}

if (isMainThread) {
  const inbox: Mutex = new Mutex({ name: 'inbox' });
  const outbox: Mutex = new Mutex({ name: 'outbox' });
  const ready = new Barrier(2);
  const pair: Pair = { inbox: inbox.handle, outbox: outbox.handle, ready: ready.handle };
  new Worker(new URL(import.meta.url), { name: 'mover', workerData: pair });
  swap(inbox, outbox, ready);
} else {
  const pair = workerData as Pair;
  swap(Mutex.from(pair.outbox), Mutex.from(pair.inbox), Barrier.from(pair.ready));
}
