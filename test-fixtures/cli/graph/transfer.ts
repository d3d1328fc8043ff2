// Two transfers take the same two locks in opposite orders: the static lock graph has a cycle.
import { Mutex } from '@deadbolt/runtime';

const checking = new Mutex({ name: 'checking' });
const savings = new Mutex({ name: 'savings' });

export function toSavings(): void {
  using _a = checking.lock();
  using _b = savings.lock();
}

export function toChecking(): void {
  using _a = savings.lock();
  using _b = checking.lock();
}
