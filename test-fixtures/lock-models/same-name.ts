// A class named SpinLock from elsewhere is not the configured one: opposite orders here are not lock-order.
import { SpinLock } from './vendor/spin-lock.js';

const first = new SpinLock();
const second = new SpinLock();

export function one(): void {
  first.lock();
  second.lock();
  second.unlock();
  first.unlock();
}

export function other(): void {
  second.lock();
  first.lock();
  first.unlock();
  second.unlock();
}
