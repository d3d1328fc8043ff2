/**
 * Uncontended benchmarks in one thread: Deadbolt's lock+unlock against the least a lock can do (a
 * compareExchange to take it and an atomic store to drop it), and lockAsync against async-mutex.
 * Intermediate variants (exchange to unlock, an owner slot) are timed too, so a missed goal shows where time goes.
 */
import { Mutex as AsyncMutex } from 'async-mutex';
import { Mutex } from '../src/index.js';
import { timeLoopAsync, timeLoopsInterleaved, type LoopTiming } from './harness.js';

const N = 1_000_000;
const N_ASYNC = 100_000;

export function uncontended() {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const word = new Int32Array(new SharedArrayBuffer(8));
  const token = 1;
  const m = new Mutex({ name: 'bench-uncontended' });
  return timeLoopsInterleaved(
    {
      bare: (n) => {
        for (let i = 0; i < n; i++) {
          if (Atomics.compareExchange(cell, 0, 0, 1) !== 0) throw new Error('bare lock unexpectedly held');
          Atomics.store(cell, 0, 0);
        }
      },
      // The bare pair with an exchange (as Mutex's unlock uses, to learn whether anyone sleeps) instead of a store.
      bareExchange: (n) => {
        for (let i = 0; i < n; i++) {
          if (Atomics.compareExchange(word, 0, 0, 1) !== 0) throw new Error('bare lock unexpectedly held');
          if (Atomics.exchange(word, 0, 0) === 2) Atomics.notify(word, 0, 1);
        }
      },
      // ... plus what Mutex adds on top: an owner slot written on lock and checked and cleared on unlock.
      bareWithOwner: (n) => {
        for (let i = 0; i < n; i++) {
          if (Atomics.compareExchange(word, 0, 0, 1) !== 0) throw new Error('bare lock unexpectedly held');
          word[1] = token;
          if (word[1] !== token) throw new Error('not the owner');
          word[1] = 0;
          if (Atomics.exchange(word, 0, 0) === 2) Atomics.notify(word, 0, 1);
        }
      },
      lockUnlock: (n) => {
        for (let i = 0; i < n; i++) {
          m.lock();
          m.unlock();
        }
      },
      guardUnlock: (n) => {
        for (let i = 0; i < n; i++) m.lock().unlock();
      },
      tryLockUnlock: (n) => {
        for (let i = 0; i < n; i++) {
          if (m.tryLock() === undefined) throw new Error('tryLock failed on a free mutex');
          m.unlock();
        }
      },
    },
    N,
  );
}

export interface AsyncFigures {
  /** The floor: awaiting an already-resolved promise, which any async lock must do at least once. */
  awaitFloor: LoopTiming;
  deadbolt: LoopTiming;
  asyncMutex: LoopTiming;
}

export async function uncontendedAsync(): Promise<AsyncFigures> {
  const m = new Mutex({ name: 'bench-async' });
  const am = new AsyncMutex();
  const deadboltBatch = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const guard = await m.lockAsync();
      guard.unlock();
    }
  };
  const asyncMutexBatch = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const release = await am.acquire();
      release();
    }
  };
  const resolved = Promise.resolve(0);
  const awaitFloor = await timeLoopAsync(async (n) => {
    for (let i = 0; i < n; i++) await resolved;
  }, N_ASYNC, 11);
  const deadbolt = await timeLoopAsync(deadboltBatch, N_ASYNC, 11);
  const asyncMutex = await timeLoopAsync(asyncMutexBatch, N_ASYNC / 10, 5);
  return { awaitFloor, deadbolt, asyncMutex };
}
