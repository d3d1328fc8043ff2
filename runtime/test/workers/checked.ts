/**
 * Worker for the checked-mode test. Role 'forward' takes a then b (recording a -> b in the shared graph),
 * releases b, keeps a and reports; role 'backward' takes b then a, which must throw LockOrderViolation at
 * once, although a is held by the other worker and a plain lock() would block forever.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { Mutex, type LockOrderViolation, type MutexHandle } from '../../src/index.js';
import { reportError } from '../harness.js';

interface Job {
  role: 'forward' | 'backward';
  a: MutexHandle;
  b: MutexHandle;
}

function takeAThenB(a: Mutex, b: Mutex): void {
  a.lock();
  b.lock();
  b.unlock();
}

function takeBThenA(a: Mutex, b: Mutex): void {
  b.lock();
  try {
    a.lock();
  } finally {
    b.unlock();
  }
}

if (parentPort !== null) {
  const port = parentPort;
  const job = workerData as Job;
  const a = Mutex.from(job.a);
  const b = Mutex.from(job.b);
  if (job.role === 'forward') {
    takeAThenB(a, b);
    port.postMessage('holding a');
    port.once('message', () => {
      a.unlock();
      port.postMessage('released');
    });
  } else {
    try {
      takeBThenA(a, b);
      port.postMessage({ threw: false });
    } catch (error) {
      const violation = error as LockOrderViolation;
      port.postMessage({ threw: true, ...reportError(error), attempted: violation.attempted, recorded: violation.recorded });
    }
  }
}
