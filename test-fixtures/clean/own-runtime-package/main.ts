// Takes the look-alike locks in opposite orders and blocks in a coroutine: none of it is Deadbolt's API.
import { Mutex } from './runtime/src/mutex.js';

const a = new Mutex();
const b = new Mutex();

export function forward(): void {
  a.lock();
  b.lock();
  b.unlock();
  a.unlock();
}

export function backward(): void {
  b.lock();
  a.lock();
  a.unlock();
  b.unlock();
}

export async function inCoroutine(): Promise<void> {
  a.lock();
  a.unlock();
}
