// Two methods of one class take its two mutex fields in opposite orders, through an alias and a getter.
import { Mutex } from '@deadbolt/runtime';

export class Cache {
  private readonly indexLock = new Mutex({ name: 'index' });
  private readonly dataLock = new Mutex({ name: 'data' });

  private get data(): Mutex {
    return this.dataLock;
  }

  put(): void {
    const index = this.indexLock;
    using _i = index.lock();
    using _d = this.data.lock();
  }

  evict(): void {
    using _d = this.dataLock.lock();
    using _i = this.indexLock.lock(); // expect: lock-order
  }
}
