// An order service: placing an order locks the inventory then the ledger, a refund the ledger then the inventory.
// Two requests doing one each wait on each other forever.
import { Mutex } from 'async-mutex';

const inventoryLock = new Mutex();
const ledgerLock = new Mutex();
const stock = new Map<string, number>();
const ledger: { sku: string; amount: number }[] = [];

export async function placeOrder(sku: string, price: number): Promise<void> {
  await inventoryLock.runExclusive(async () => {
    stock.set(sku, (stock.get(sku) ?? 0) - 1);
    await ledgerLock.runExclusive(async () => {
      ledger.push({ sku, amount: price });
    });
  });
}

export async function refund(sku: string, price: number): Promise<void> {
  const releaseLedger = await ledgerLock.acquire();
  try {
    ledger.push({ sku, amount: -price });
    const releaseInventory = await inventoryLock.acquire(); // expect: lock-order
    try {
      stock.set(sku, (stock.get(sku) ?? 0) + 1);
    } finally {
      releaseInventory();
    }
  } finally {
    releaseLedger();
  }
}
