// Dining philosophers done right: both forks through lockAll, which orders them globally.
import { Mutex, lockAll } from '@deadbolt/runtime';

const forks: Mutex[] = Array.from({ length: 5 }, () => new Mutex());

export function dine(seat: number): void {
  lockAll([forks[seat]!, forks[(seat + 1) % forks.length]!], () => {});
}

/** Fixed literal indices are distinct locks in a fixed order. */
export function firstTwo(): void {
  using _0 = forks[0]!.lock();
  using _1 = forks[1]!.lock();
}
