// Functions that call each other and that nothing else calls (an exported library's mutual recursion): the
// cycle of calls still runs, so the inverted pair inside it is found; the consistent pair is not reported.
import { Mutex } from '@deadbolt/runtime';

const red = new Mutex({ name: 'red' });
const blue = new Mutex({ name: 'blue' });
const green = new Mutex({ name: 'green' });
const yellow = new Mutex({ name: 'yellow' });

export function ping(n: number): void {
  red.withLock(() => {
    blue.withLock(() => {});
  });
  if (n > 0) pong(n - 1);
}

export function pong(n: number): void {
  blue.withLock(() => {
    red.withLock(() => {}); // expect: lock-order
  });
  if (n > 0) ping(n - 1);
}

function even(n: number): boolean {
  {
    using _g = green.lock();
    using _y = yellow.lock();
  }
  return n === 0 ? true : odd(n - 1);
}

function odd(n: number): boolean {
  {
    using _g = green.lock();
    using _y = yellow.lock();
  }
  return n === 0 ? false : even(n - 1);
}
