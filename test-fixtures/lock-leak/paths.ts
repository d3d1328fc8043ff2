// Locks taken and not released on some path out of the function.
import { Mutex, Semaphore } from '@deadbolt/runtime';

const m = new Mutex({ name: 'm' });
const permits = new Semaphore(4);

export function earlyReturn(skip: boolean): number {
  m.lock(); // expect: lock-leak
  if (skip) return 0;
  m.unlock();
  return 1;
}

export function throwsHolding(value: number): void {
  m.lock(); // expect: lock-leak
  if (value < 0) throw new RangeError('negative');
  m.unlock();
}

export function neverReleased(): void {
  m.lock(); // expect: lock-leak
}

export function guardForgotten(): void {
  const guard = m.lock(); // expect: lock-leak
  void guard;
}

export function permitLeak(busy: boolean): void {
  permits.acquire(); // expect: lock-leak
  if (busy) return;
  permits.release();
}

export function tryLockLeak(): boolean {
  if (m.tryLock()) { // expect: lock-leak
    return true;
  }
  return false;
}

export async function asyncLeak(fail: boolean): Promise<void> {
  const guard = await m.lockAsync(); // expect: lock-leak
  if (fail) return;
  guard.unlock();
}

export function loopBreak(items: number[]): void {
  for (const item of items) {
    m.lock(); // expect: lock-leak
    if (item === 0) break;
    m.unlock();
  }
}

export class Pool {
  private readonly lock = new Mutex({ name: 'pool' });

  take(empty: boolean): void {
    this.lock.lock(); // expect: lock-leak
    if (empty) return;
    this.lock.unlock();
  }
}
