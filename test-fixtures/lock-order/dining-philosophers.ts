// Each philosopher takes the fork on the left, then the one on the right: with all seated, everyone waits forever.
import { Mutex } from '@deadbolt/runtime';

const forks: Mutex[] = Array.from({ length: 5 }, () => new Mutex());

export function dine(seat: number): void {
  const left = forks[seat]!;
  left.lock();
  try {
    forks[(seat + 1) % forks.length]!.lock(); // expect: lock-order
    forks[(seat + 1) % forks.length]!.unlock();
  } finally {
    left.unlock();
  }
}
