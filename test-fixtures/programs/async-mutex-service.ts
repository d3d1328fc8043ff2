/**
 * A small inventory service guarded by async-mutex, the way services commonly use it, that deadlocks on one thread:
 * `restock` takes the stock mutex with acquire() and then the audit log's, `audit` takes them the other way round
 * with runExclusive. Both run concurrently on the main thread; each waits until the other holds its first mutex.
 * The HTTP server keeps the process alive, as a real service's would, so the two tasks wait forever.
 */
import { createServer } from 'node:http';
import { Mutex } from 'async-mutex';

class Inventory {
  private readonly stockLock = new Mutex();
  private readonly auditLock = new Mutex();
  private readonly stock = new Map<string, number>();
  private readonly log: string[] = [];

  async restock(item: string, count: number, rendezvous: () => Promise<void>): Promise<void> {
    const release = await this.stockLock.acquire(); // @hold-acquire
    try {
      this.stock.set(item, (this.stock.get(item) ?? 0) + count);
      await rendezvous();
      await this.auditLock.runExclusive(() => { // @wait-audit
        this.log.push(`restock ${item} ${count}`);
      });
    } finally {
      release();
    }
  }

  async audit(rendezvous: () => Promise<void>): Promise<string[]> {
    return this.auditLock.runExclusive(async () => { // @hold-audit
      await rendezvous();
      return this.stockLock.runExclusive(() => [...this.stock].map(([k, v]) => `${k}=${v}`)); // @wait-stock
    });
  }
}

/** Resolves once `parties` callers are waiting in it. */
function meeting(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const allHere = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === parties) open();
    return allHere;
  };
}

const inventory = new Inventory();
const server = createServer((_request, response) => {
  void inventory.audit(async () => {}).then((lines) => response.end(lines.join('\n')));
});
server.listen(0, () => {
  console.log('service started');
  const both = meeting(2);
  void Promise.all([inventory.restock('bolts', 10, both), inventory.audit(both)]).then(() => console.log('unreachable: both finished'));
});
