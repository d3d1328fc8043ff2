// The transfer of structural-transfer.ts written the way that cannot deadlock: the two locks taken in one global
// order, lower id first (vonfalk/storm-javavis root/progvis_demo/bank/bank_nodead.c takes `from->lock` and `to->lock`
// by comparing the accounts' addresses), or both at once with lockAll (what std::lock does in cppreference's
// unique_lock example). Nothing to report.
import { Mutex, lockAll } from '@deadbolt/runtime';

interface Ledger {
  readonly id: number;
  readonly lock: Mutex;
  readonly balance: Int32Array;
}

export function transferOrdered(from: Ledger, to: Ledger, amount: number): void {
  const [first, second] = from.id < to.id ? [from, to] : [to, from];
  using _first = first.lock.lock();
  using _second = second.lock.lock();
  from.balance[0] = from.balance[0]! - amount;
  to.balance[0] = to.balance[0]! + amount;
}

export function transferAtOnce(from: { lock: Mutex; balance: Int32Array }, to: { lock: Mutex; balance: Int32Array }, amount: number): void {
  lockAll([from.lock, to.lock], () => {
    from.balance[0] = from.balance[0]! - amount;
    to.balance[0] = to.balance[0]! + amount;
  });
}
