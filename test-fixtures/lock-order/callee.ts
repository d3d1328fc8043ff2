// The second lock taken in a callee: `transfer` holds `accounts` and calls `audit()`, which takes `journal`;
// `closeBooks` takes them the other way round, directly. The cycle closes at the call (journal is declared first),
// and the fix swaps the two acquisitions of closeBooks, the one place that takes them in the other order.
import { Mutex } from '@deadbolt/runtime';

const journal = new Mutex({ name: 'journal' });
const accounts = new Mutex({ name: 'accounts' });
const entries: string[] = [];

function audit(line: string): void {
  journal.lock();
  try {
    entries.push(line);
  } finally {
    journal.unlock();
  }
}

export function transfer(amount: number): void {
  accounts.lock();
  try {
    audit(`transfer ${amount}`); // expect: lock-order
  } finally {
    accounts.unlock();
  }
}

export function closeBooks(): number {
  journal.lock();
  try {
    accounts.lock();
    try {
      return entries.length;
    } finally {
      accounts.unlock();
    }
  } finally {
    journal.unlock();
  }
}
