/**
 * Worker for the Condition stress test: two workers pass a turn back and forth `rounds` times through one
 * Condition, with no timeouts anywhere: a single lost wake-up leaves both asleep and the test times out.
 * Reports how many times it actually called wait().
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Condition, Mutex, type ConditionHandle, type MutexHandle } from '../../src/index.js';

interface Job {
  me: number;
  mutex: MutexHandle;
  condition: ConditionHandle;
  turn: SharedArrayBuffer;
  rounds: number;
}

if (parentPort !== null) {
  const job = workerData as Job;
  const mutex = Mutex.from(job.mutex);
  const condition = Condition.from(job.condition, mutex);
  const turn = new Int32Array(job.turn);
  let waits = 0;
  for (let round = 0; round < job.rounds; round++) {
    mutex.lock();
    while (turn[0] !== job.me) {
      condition.wait();
      waits++;
    }
    turn[0] = 1 - job.me;
    condition.notify();
    mutex.unlock();
  }
  parentPort.postMessage(waits);
}
