/**
 * Two coroutines wait for the same lock while a worker holds it. `refreshBlocking` is an async function that calls
 * the synchronous `lock()`: it freezes the whole event loop, so the heartbeat timer stops ticking until the lock
 * is free. `refreshPolite` awaits `lockAsync()` instead, and the heartbeat keeps going while it waits.
 *
 * Run: node test-fixtures/dist/examples/blocking-coroutine.js
 */
import { once } from 'node:events';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Mutex } from '@deadbolt/runtime';

const HOLD_MS = 300;
const HEARTBEAT_MS = 10;

let heartbeats = 0;

/** Wrong: a synchronous wait inside an async function. Nothing else in this thread runs until lock() returns. */
async function refreshBlocking(cacheLock: Mutex): Promise<number> {
  const before = heartbeats;
  const guard = cacheLock.lock();
  try {
    return heartbeats - before;
  } finally {
    guard.unlock();
  }
}

/** Right: the async twin parks on Atomics.waitAsync, so timers and I/O keep running while it waits. */
async function refreshPolite(cacheLock: Mutex): Promise<number> {
  const before = heartbeats;
  const guard = await cacheLock.lockAsync();
  try {
    return heartbeats - before;
  } finally {
    guard.unlock();
  }
}

if (isMainThread) {
  const cacheLock = new Mutex({ name: 'cache' });
  const holder = new Worker(new URL(import.meta.url), { workerData: cacheLock.handle });
  const heartbeat = setInterval(() => heartbeats++, HEARTBEAT_MS);
  try {
    for (const refresh of [refreshBlocking, refreshPolite]) {
      holder.postMessage('hold');
      await once(holder, 'message'); // the worker now holds the lock for HOLD_MS
      const ticks = await refresh(cacheLock);
      console.log(`${refresh.name}: waited for the lock with ${ticks} heartbeats meanwhile`);
    }
  } finally {
    clearInterval(heartbeat);
    await holder.terminate();
  }
  console.log('a blocked event loop cannot tick: use lockAsync() inside async functions');
} else {
  const cacheLock = Mutex.from(workerData as Mutex['handle']);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  parentPort!.on('message', () => {
    const guard = cacheLock.lock();
    parentPort!.postMessage('holding');
    Atomics.wait(pause, 0, 0, HOLD_MS); // simulated slow work while holding the lock
    guard.unlock();
  });
}
