// Takes inbox then outbox.
import { inbox, outbox as out } from './locks.js';

export function send(): void {
  inbox.lock();
  out.lock();
  out.unlock();
  inbox.unlock();
}
