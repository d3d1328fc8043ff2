// A bounded buffer on one mutex and two conditions: waits release and re-take the mutex, so nothing is reported.
import { Condition, Mutex } from '@deadbolt/runtime';

const capacity = 8;
const mutex = new Mutex({ name: 'buffer' });
const notEmpty = new Condition(mutex);
const notFull = new Condition(mutex);
/** @guardedBy mutex */
const items: number[] = [];

export function put(value: number): void {
  using _ = mutex.lock();
  while (items.length >= capacity) notFull.wait();
  items.push(value);
  notEmpty.notify();
}

export function take(): number {
  using _ = mutex.lock();
  notEmpty.waitFor(() => items.length > 0);
  const value = items.shift()!;
  notFull.notify();
  return value;
}

export async function takeAsync(): Promise<number> {
  await using _ = await mutex.lockAsync();
  while (items.length === 0) await notEmpty.waitAsync();
  const value = items.shift()!;
  notFull.notify();
  return value;
}
