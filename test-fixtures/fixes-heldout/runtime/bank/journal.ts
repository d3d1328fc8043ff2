// The journal has its own lock; a checkpoint records the balances it sees, read through the balances module.
import { Mutex } from '@deadbolt/runtime';
import { snapshot } from './balances.js';

const journalLock = new Mutex({ name: 'journal' });
const entries: string[] = [];

export function appendEntry(entry: string): void {
  journalLock.withLock(() => {
    entries.push(entry);
  });
}

export function checkpoint(): number {
  return journalLock.withLock(() => {
    const totals = snapshot(); // read under the journal lock so the checkpoint matches the entries
    entries.push(`checkpoint ${totals.join(',')}`);
    return entries.length;
  });
}
