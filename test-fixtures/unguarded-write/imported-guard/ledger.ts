// State guarded by an imported module-level lock, in a variable and in a class field.
import { ledgerLock as guard } from './locks.js';

/** @guardedBy guard */
let entries = 0;

export class Ledger {
  /** @guardedBy guard */
  private balance = 0;

  credit(amount: number): void {
    guard.withLock(() => {
      this.balance += amount;
      entries++;
    });
  }

  debit(amount: number): void {
    this.balance -= amount; // expect: unguarded-write
    entries++; // expect: unguarded-write
  }
}
