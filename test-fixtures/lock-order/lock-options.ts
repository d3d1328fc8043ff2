// A lock helper whose callback arrives as a member of a structurally typed options object rather than as a parameter
// of its own, as powersync-js writes it (a875d48b, packages/web/src/db/sync/SSRWebStreamingSyncImplementation.ts:
// `obtainLock(lockOptions: LockOptions<T>)` picks `this.crudMutex` or `this.syncMutex` by `lockOptions.type` and runs
// `mutex.runExclusive(lockOptions.callback, ...)`; LockOptions is an interface `{ callback; type; signal? }`).
// What the callback takes nests under the helper's mutex: the CRUD upload that takes the sync mutex inside its CRUD
// lock, beside a sync that takes the CRUD lock inside the sync mutex, is a cycle (reported once, where it closes).
import { Mutex } from 'async-mutex';

enum LockType {
  CRUD = 'crud',
  SYNC = 'sync',
}

interface LockOptions<T> {
  callback: () => Promise<T>;
  type: LockType;
}

export class StreamingSync {
  crudMutex = new Mutex();
  syncMutex = new Mutex();
  #uploaded = 0;

  obtainCrudLock<T>(lockOptions: LockOptions<T>): Promise<T> {
    return this.crudMutex.runExclusive(lockOptions.callback);
  }

  obtainSyncLock<T>(options: { callback: () => Promise<T> }): Promise<T> {
    return this.syncMutex.runExclusive(options.callback);
  }

  // Positive: the sync mutex inside the CRUD lock...
  async uploadAllCrud(): Promise<void> {
    await this.obtainCrudLock({
      type: LockType.CRUD,
      callback: async () => {
        await this.obtainSyncLock({ callback: async () => { this.#uploaded += 1; } });
      },
    });
  }

  // ...and the CRUD lock inside the sync mutex.
  async syncIteration(): Promise<void> {
    await this.obtainSyncLock({
      callback: async () => {
        await this.obtainCrudLock({ type: LockType.CRUD, callback: async () => undefined }); // expect: lock-order
      },
    });
  }
}
