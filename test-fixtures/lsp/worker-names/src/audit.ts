// An auditor that counts what it has seen under its own lock.
import { Mutex } from '@deadbolt/runtime';

export class Audit {
  private readonly tallyLock = new Mutex();
  private seen = 0;

  count(balances: Int32Array<SharedArrayBuffer>): number {
    using _tally = this.tallyLock.lock();
    this.seen++;
    return balances[0]! + balances[1]!;
  }
}
