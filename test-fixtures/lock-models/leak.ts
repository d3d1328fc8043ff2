// An early return that skips the unlock, and the same code written safely.
import { SpinLock } from './locks/spin-lock.js';

const queueLock = new SpinLock();
const jobs: string[] = [];

export function takeJob(): string | undefined {
  queueLock.lock(); // expect: lock-leak
  if (jobs.length === 0) return undefined;
  const job = jobs.shift();
  queueLock.unlock();
  return job;
}

export function takeJobSafely(): string | undefined {
  queueLock.lock();
  try {
    return jobs.shift();
  } finally {
    queueLock.unlock();
  }
}

export function takeIfFree(): string | undefined {
  if (!queueLock.tryLock()) return undefined;
  try {
    return jobs.shift();
  } finally {
    queueLock.unlock();
  }
}
