// Code with no page globals (a module shared with workers, or Node code): blocking is its callers' business.
import { Mutex } from '@deadbolt/runtime';

const state = new Mutex({ name: 'state' });

export function update(fn: () => void): void {
  state.withLock(fn);
}
