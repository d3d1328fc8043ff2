// The options-object lock helper of lock-options.ts used as powersync-js uses it (a875d48b,
// packages/shared-internals/src/client/sync/stream/AbstractStreamingSyncImplementation.ts: `_uploadAllCrud` runs its
// loop in `obtainLock({ type: LockType.CRUD, signal, callback })`, the sync loop in `obtainLock({ type: LockType.SYNC,
// ... })`, and neither callback takes the other lock): each callback holds one lock, so there is no order to invert.
// The sync lock taken inside the CRUD lock on every path is one order too.
import { Mutex } from 'async-mutex';

interface LockRequest<T> {
  callback: () => Promise<T>;
  signal?: AbortSignal;
}

export class UploadQueue {
  crudMutex = new Mutex();
  syncMutex = new Mutex();
  #pending: string[] = [];

  obtainCrud<T>(request: LockRequest<T>): Promise<T> {
    return this.crudMutex.runExclusive(request.callback);
  }

  obtainSync<T>(request: { callback: () => Promise<T> }): Promise<T> {
    return this.syncMutex.runExclusive(request.callback);
  }

  async uploadAll(signal: AbortSignal): Promise<void> {
    await this.obtainCrud({ signal, callback: async () => { this.#pending.length = 0; } });
  }

  async syncOnce(): Promise<void> {
    await this.obtainSync({ callback: async () => { this.#pending.push('checkpoint'); } });
  }

  async uploadThenSync(): Promise<void> {
    await this.obtainCrud({ callback: async () => { await this.obtainSync({ callback: async () => undefined }); } });
  }

  async flushThenSync(): Promise<void> {
    await this.obtainCrud({
      callback: async () => {
        await this.obtainSync({ callback: async () => { this.#pending.length = 0; } });
      },
    });
  }
}
