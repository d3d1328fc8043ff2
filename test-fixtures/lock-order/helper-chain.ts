// The inverted acquisition hides in a helper: `audit()` takes `ledger` while its caller holds `journal`.
import { Mutex } from '@deadbolt/runtime';

const journal = new Mutex({ name: 'journal' });
const ledger = new Mutex({ name: 'ledger' });

function audit(): void {
  ledger.withLock(() => {});
}

export function post(): void {
  journal.withLock(() => {
    audit();
  });
}

export function reconcile(): void {
  ledger.withLock(() => {
    journal.withLock(() => {}); // expect: lock-order
  });
}
