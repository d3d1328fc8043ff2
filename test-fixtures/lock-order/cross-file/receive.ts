// Takes outbox then inbox, through a namespace import: the opposite order of send().
import * as locks from './locks.js';

export function receive(): void {
  locks.outbox.lock();
  locks.inbox.lock(); // expect: lock-order
  locks.inbox.unlock();
  locks.outbox.unlock();
}
