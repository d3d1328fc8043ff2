// Locks declared in the ways real code declares them, each reached through a local variable of a caller, as
// tests and wiring code do (`const controller = new RatesController()`): every one must be named by its
// declaration, never by that variable.
import { Mutex } from '@deadbolt/runtime';

export class RatesController {
  readonly #refreshMutex = new Mutex();
  private readonly cacheLock: Mutex;
  private readonly journalLock: Mutex;

  constructor() {
    this.cacheLock = new Mutex({ name: 'ratesCache' });
    this.journalLock = new Mutex();
  }

  refresh(): void {
    using _refresh = this.#refreshMutex.lock();
    using _cache = this.cacheLock.lock();
    using _journal = this.journalLock.lock();
  }
}

export const locks = { audit: new Mutex(), 'price-feed': new Mutex() };
export const shards = [new Mutex(), new Mutex(), new Mutex()];
const registryLock = new Mutex();

export function rebalance(i: number): void {
  using _registry = registryLock.lock();
  using _audit = locks.audit.lock();
  using _feed = locks['price-feed'].lock();
  using _shard = shards[i]!.lock();
}

export function wire(): void {
  const controller = new RatesController();
  controller.refresh();
  rebalance(0);
}
