/**
 * Worker for the lockAll test: `iterations` times, takes a random overlapping subset of the locks, listed in a
 * random order with duplicates, via lockAll or lockAllAsync, and bumps a plain per-lock counter for each lock
 * held. A deadlock hangs the test; a missed lock shows up as a wrong counter.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { lockAll, lockAllAsync, Mutex, RecursiveMutex, type MutexHandle, type RecursiveMutexHandle } from '../../src/index.js';

interface Job {
  locks: (MutexHandle | RecursiveMutexHandle)[];
  counters: SharedArrayBuffer;
  iterations: number;
  seed: number;
}

if (parentPort !== null) {
  const job = workerData as Job;
  const locks = job.locks.map((h) => (h.kind === 'deadbolt.Mutex' ? Mutex.from(h) : RecursiveMutex.from(h as RecursiveMutexHandle)));
  const counters = new Int32Array(job.counters);
  // A small deterministic generator (xorshift) so a failure can be replayed from the seed.
  let state = job.seed | 1;
  const random = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const counts = new Array<number>(locks.length).fill(0);
  for (let i = 0; i < job.iterations; i++) {
    const picked: typeof locks = [];
    const size = 2 + random(3);
    for (let k = 0; k < size; k++) picked.push(locks[random(locks.length)]!);
    const distinct = [...new Set(picked.map((l) => locks.indexOf(l)))];
    const body = (): void => {
      for (const index of distinct) {
        counters[index] = counters[index]! + 1;
        counts[index]!++;
      }
    };
    if (i % 5 === 4) await lockAllAsync(picked, body);
    else lockAll(picked, body);
  }
  parentPort.postMessage(counts);
}
