// A condition wait inside another lock (nested monitor): waiting releases only `queue`; a second consumer then
// takes `queue` and blocks on `registry`, and the notifier can never take `queue` to wake the first.
import { Condition, Mutex } from '@deadbolt/runtime';

const queue = new Mutex({ name: 'queue' });
const registry = new Mutex({ name: 'registry' });
const ready = new Condition(queue);
let items = 0;

export function consume(): void {
  using _q = queue.lock();
  using _r = registry.lock();
  while (items === 0) ready.wait(); // expect: lock-order
  items--;
}

export function announce(): void {
  using _q = queue.lock();
  items++;
  ready.notify();
}

/** A wait with only its own mutex held adds no edge. */
export function consumeAlone(): void {
  using _q = queue.lock();
  while (items === 0) ready.wait();
  items--;
}
