// Two functions take the same two locks in the same order: no cycle, nothing to report.
import { Mutex } from '@deadbolt/runtime';

const accounts = new Mutex({ name: 'accounts' });
const audit = new Mutex({ name: 'audit' });

export function record(): void {
  accounts.lock();
  try {
    audit.lock();
    try {
      // both held, in the agreed order
    } finally {
      audit.unlock();
    }
  } finally {
    accounts.unlock();
  }
}

export function report(): void {
  using _a = accounts.lock();
  using _b = audit.lock();
}
