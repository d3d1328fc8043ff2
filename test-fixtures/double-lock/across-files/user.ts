// Calls the imported helper while holding the imported lock.
import { register, registry } from './lock.js';

export function registerAll(): void {
  using _ = registry.lock();
  register(); // expect: double-lock
}

export function registerOnce(): void {
  register();
}
