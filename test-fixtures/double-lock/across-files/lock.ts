// The lock and a helper that takes it, in one module.
import { Mutex } from '@deadbolt/runtime';

export const registry = new Mutex({ name: 'registry' });

export function register(): void {
  registry.withLock(() => {});
}
