/**
 * Uncontended benchmarks in one thread: Deadbolt's lock+unlock against the least a lock can do (a
 * compareExchange to take it and an atomic store to drop it), and lockAsync against async-mutex.
 * Intermediate variants (exchange to unlock, an owner slot) are timed too, so a missed goal shows where time goes.
 * Semaphore's permit calls are timed the same way, so the scoped withPermit can be read against acquire+release.
 */
import { Mutex as AsyncMutex } from 'async-mutex';
import { Mutex, Semaphore } from '../src/index.js';
import { timeLoopsInterleaved, timeLoopsInterleavedAsync, type LoopTiming } from './harness.js';

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
    15,
  );
}

/**
 * One permit taken and returned with nobody else around: the unowned pair, and the scoped calls that wrap it.
 * The function given to withPermit is created once, outside the loop, so the loop times the call, not a closure.
 */
export function uncontendedSemaphore() {
  const s = new Semaphore(1, { name: 'bench-semaphore' });
  const nothing = (): number => 0;
  return timeLoopsInterleaved(
    {
      tryAcquireRelease: (n) => {
        for (let i = 0; i < n; i++) {
          if (!s.tryAcquire()) throw new Error('tryAcquire failed on a free semaphore');
          s.release();
        }
      },
      acquireRelease: (n) => {
        for (let i = 0; i < n; i++) {
          s.acquire();
          s.release();
        }
      },
      withPermit: (n) => {
        for (let i = 0; i < n; i++) s.withPermit(nothing);
      },
    },
    N,
    15,
  );
}

/** `await s.withPermitAsync(fn)` against the awaited unowned pair, uncontended. */
export async function uncontendedSemaphoreAsync() {
  const s = new Semaphore(1, { name: 'bench-semaphore-async' });
  const nothing = (): number => 0;
  return timeLoopsInterleavedAsync(
    {
      acquireAsyncRelease: async (n) => {
        for (let i = 0; i < n; i++) {
          await s.acquireAsync();
          s.release();
        }
      },
      withPermitAsync: async (n) => {
        for (let i = 0; i < n; i++) await s.withPermitAsync(nothing);
      },
    },
    { acquireAsyncRelease: N_ASYNC, withPermitAsync: N_ASYNC },
  );
}

export interface AsyncFigures {
  /** The floor: awaiting an already-resolved promise, which any async lock must do at least once. */
  awaitFloor: LoopTiming;
  /** `m.lockAsync(); m.unlock()` with no await: the fast path's own cost, resolution included but no microtask tick. */
  callOnly: LoopTiming;
  /** `(await m.lockAsync()).unlock()`: what a caller pays, floor included. */
  awaited: LoopTiming;
  asyncMutex: LoopTiming;
}

export async function uncontendedAsync(): Promise<AsyncFigures> {
  const m = new Mutex({ name: 'bench-async' });
  const am = new AsyncMutex();
  const resolved = Promise.resolve(0);
  const own = await timeLoopsInterleavedAsync(
    {
      callOnly: async (n) => {
        for (let i = 0; i < n; i++) {
          // The promise is already resolved when lockAsync returns: the lock is taken before this line ends.
          void m.lockAsync();
          m.unlock();
        }
      },
      awaitFloor: async (n) => {
        for (let i = 0; i < n; i++) await resolved;
      },
      awaited: async (n) => {
        for (let i = 0; i < n; i++) {
          const guard = await m.lockAsync();
          guard.unlock();
        }
      },
    },
    { callOnly: N_ASYNC, awaitFloor: N_ASYNC, awaited: N_ASYNC },
  );
  // Timed apart: its garbage would otherwise put GC work (which CPU time counts) into the rounds of the others.
  const { asyncMutex } = await timeLoopsInterleavedAsync(
    {
      asyncMutex: async (n) => {
        for (let i = 0; i < n; i++) {
          const release = await am.acquire();
          release();
        }
      },
    },
    { asyncMutex: N_ASYNC / 10 },
    5,
  );
  return { ...own, asyncMutex };
}
