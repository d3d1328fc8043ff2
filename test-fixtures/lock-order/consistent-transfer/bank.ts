// transfer(from, to) called twice in the same direction: the parameters bind to the same order both times.
import { Mutex } from '@deadbolt/runtime';

const checking = new Mutex({ name: 'checking' });
const savings = new Mutex({ name: 'savings' });

function transfer(from: Mutex, to: Mutex): void {
  using _f = from.lock();
  using _t = to.lock();
}

export function payday(): void {
  transfer(checking, savings);
}

export function sweep(): void {
  transfer(checking, savings);
}
