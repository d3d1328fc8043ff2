// A field always written holding two locks together is reported once per unlocked write, naming both locks.
import { Mutex, lockAll } from '@deadbolt/runtime';

const left = new Mutex({ name: 'left' });
const right = new Mutex({ name: 'right' });
let pairs = 0;

export function addPair(): void {
  lockAll([left, right], () => {
    pairs++;
  });
}

export function removePair(): void {
  using _l = left.lock();
  using _r = right.lock();
  pairs--;
}

export function resetPairs(): void {
  lockAll([left, right], () => {
    pairs = 0;
  });
}

export function forgetPairs(): void {
  pairs = 0; // expect: unguarded-write
}

export function halfLocked(): void {
  using _l = left.lock();
  pairs += 2; // expect: unguarded-write
}
