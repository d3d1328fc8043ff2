/**
 * Worker for the bounded-buffer test: a ring buffer in shared memory guarded by one Mutex with two Conditions
 * (notFull, notEmpty). Producers put `count` distinct values; consumers take until they read the stop value -1.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Condition, Mutex, type ConditionHandle, type MutexHandle } from '../../src/index.js';

/** Int32 slots of the ring: head, tail, size, then the items. */
export const RING_HEAD = 0;
export const RING_TAIL = 1;
export const RING_SIZE = 2;
export const RING_ITEMS = 3;

interface Job {
  role: 'produce' | 'consume';
  mutex: MutexHandle;
  notFull: ConditionHandle;
  notEmpty: ConditionHandle;
  ring: SharedArrayBuffer;
  capacity: number;
  /** Producers: the values first..first+count-1. */
  first: number;
  count: number;
  async: boolean;
}

if (parentPort !== null) {
  const job = workerData as Job;
  const mutex = Mutex.from(job.mutex);
  const notFull = Condition.from(job.notFull, mutex);
  const notEmpty = Condition.from(job.notEmpty, mutex);
  const ring = new Int32Array(job.ring);
  // All ring slots are plain reads and writes: the mutex is what makes them safe.
  const put = (value: number): void => {
    ring[RING_ITEMS + ring[RING_TAIL]!] = value;
    ring[RING_TAIL] = (ring[RING_TAIL]! + 1) % job.capacity;
    ring[RING_SIZE]!++;
    notEmpty.notify();
  };
  const take = (): number => {
    const value = ring[RING_ITEMS + ring[RING_HEAD]!]!;
    ring[RING_HEAD] = (ring[RING_HEAD]! + 1) % job.capacity;
    ring[RING_SIZE]!--;
    notFull.notify();
    return value;
  };
  const notFullYet = (): boolean => ring[RING_SIZE]! < job.capacity;
  const hasItem = (): boolean => ring[RING_SIZE]! > 0;

  if (job.role === 'produce') {
    for (let v = job.first; v < job.first + job.count; v++) {
      if (job.async) {
        await mutex.lockAsync();
        await notFull.waitForAsync(notFullYet);
      } else {
        mutex.lock();
        notFull.waitFor(notFullYet);
      }
      put(v);
      mutex.unlock();
    }
    parentPort.postMessage('done');
  } else {
    const taken: number[] = [];
    for (;;) {
      if (job.async) {
        await mutex.lockAsync();
        await notEmpty.waitForAsync(hasItem);
      } else {
        mutex.lock();
        notEmpty.waitFor(hasItem);
      }
      const value = take();
      mutex.unlock();
      if (value === -1) break;
      taken.push(value);
    }
    parentPort.postMessage(taken);
  }
}
