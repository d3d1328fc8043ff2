// Accounts passed as structurally typed parameters rather than as instances of a class: the transfer of
// cppreference's std::unique_lock example (`void transfer(Box &from, Box &to, int num)`, as vendored in
// alibaba/async_simple third_party_module/stdmodules/examples/unique_lock) and of loopinf/hdcpp's 34_MUTEX_LOCK
// examples, written as TypeScript programs write it: the parameter's type is an object type, not a class. With the
// arguments swapped (`transfer(a, b)` beside `transfer(b, a)`) each call holds the lock the other waits for.
import { Mutex } from '@deadbolt/runtime';

interface Box {
  readonly lock: Mutex;
  readonly things: Int32Array;
}

export function transferBoxes(from: Box, to: Box, count: number): void {
  using _from = from.lock.lock();
  using _to = to.lock.lock(); // expect: lock-order
  from.things[0] = from.things[0]! - count;
  to.things[0] = to.things[0]! + count;
}

export function transferAccounts(acc1: { m: Mutex; money: Int32Array }, acc2: { m: Mutex; money: Int32Array }, count: number): void {
  acc1.m.withLock(() => {
    acc2.m.withLock(() => { // expect: lock-order
      acc1.money[0] = acc1.money[0]! - count;
      acc2.money[0] = acc2.money[0]! + count;
    });
  });
}
