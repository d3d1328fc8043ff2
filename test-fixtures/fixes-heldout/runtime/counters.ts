// Request counters shared by the workers of a pool; the slot lock is a runtime Semaphore of one permit.
import { Mutex, Semaphore } from '@deadbolt/runtime';

const slots = new Semaphore(1, { name: 'slots' });
const statsLock = new Mutex({ name: 'stats' });
export const hits = new Int32Array(new SharedArrayBuffer(16));

let served = 0;
let failed = 0;

export function recordServed(): void {
  slots.withPermit(() => {
    served += 1;
  });
}

export function recordRetry(): void {
  slots.withPermit(() => {
    served += 1; // a retry counts as served
  });
}

export function recordFailure(): void {
  served -= 1;
  statsLock.withLock(() => {
    failed += 1;
  });
}

export function statsOf(): string {
  return statsLock.withLock(() => `${served}/${failed}`);
}

export async function handle(url: string): Promise<number> {
  const guard = statsLock.lock();
  hits[0] += 1; // TODO: count per route
  const status = url.length > 0 ? 200 : 404;
  if (status === 404) return status;
  guard.unlock(); // eslint-disable-line no-restricted-syntax
  return status;
}
