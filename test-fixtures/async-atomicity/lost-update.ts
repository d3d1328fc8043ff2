// Read-modify-write split by an await: the value read before the suspension is written back after it, so a write
// another task made meanwhile is lost. Shapes from the seed (`this.balance = this.balance - await price()`),
// Unipisa/caps frontend/src/modules/Cache.js (read, await the loader, store) and ESLint's require-atomic-updates
// reports (eslint/eslint#11899, #12423, #17312: locals and parameters, which are not shared, so not reported here).
import { Mutex } from 'async-mutex';

declare function price(item: string): Promise<number>;
declare function delta(): Promise<number>;
declare function save(value: number): Promise<void>;

export class Wallet {
  private balance = 100;
  private readonly spent = new Map<string, number>();
  private readonly audit = new Mutex();

  async buy(item: string): Promise<void> {
    this.balance = this.balance - await price(item); // expect: async-atomicity
  }

  async refund(amount: number): Promise<void> {
    this.balance += amount;
  }

  async charge(item: string): Promise<void> {
    this.balance -= await price(item); // expect: async-atomicity
  }

  async track(item: string): Promise<void> {
    const before = this.spent.get(item) ?? 0;
    const cost = await price(item);
    this.spent.set(item, before + cost); // expect: async-atomicity
  }

  forget(item: string): void {
    this.spent.delete(item);
  }

  // Re-read after the await: the update uses the value as it is when written.
  async buyFresh(item: string): Promise<void> {
    const cost = await price(item);
    this.balance = this.balance - cost;
  }

  // Read, await, then check the value is still the one read before writing back.
  async buyChecked(item: string): Promise<void> {
    const seen = this.balance;
    const cost = await price(item);
    if (this.balance !== seen) return;
    this.balance = seen - cost;
  }

  async logged(item: string): Promise<void> {
    await this.audit.runExclusive(async () => {
      await save(this.balance);
    });
    void item;
  }
}

let total = 0;

export async function addDelta(): Promise<void> {
  const current = total;
  await save(current);
  total = current + 1; // expect: async-atomicity
}

export function resetTotal(): void {
  total = 0;
}

// Locals and parameters belong to one call: ESLint's reports on them (eslint/eslint#12423, #11899) are not races.
export async function localOnly(note: { created?: Date }): Promise<void> {
  let stat: number | undefined;
  if (!stat) stat = await delta();
  note.created = new Date(stat);
}

// Save and restore is not an update (what was read is put back as it was).
let depth = 0;

export async function nested(): Promise<void> {
  const saved = depth;
  depth = saved + 1;
  await save(depth);
  depth = saved;
}
