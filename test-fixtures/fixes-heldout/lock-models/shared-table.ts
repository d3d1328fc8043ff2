// Worker code guarding a shared table with two SharedMutexes; the resize path takes them in the other order.
import { SharedMutex } from './locks/shared-mutex.js';

export class SharedTable {
  constructor(
    private readonly rowsLock: SharedMutex,
    private readonly indexLock: SharedMutex,
    private readonly rows: Int32Array,
  ) {}

  insert(slot: number, value: number): void {
    this.rowsLock.lock();
    this.indexLock.lock();
    this.rows[slot] = value;
    this.indexLock.unlock();
    this.rowsLock.unlock();
  }

  update(slot: number, value: number): void {
    this.rowsLock.lock();
    this.indexLock.lock();
    this.rows[slot] = value + 1;
    this.indexLock.unlock();
    this.rowsLock.unlock();
  }

  resize(): void {
    this.indexLock.lock();
    this.rowsLock.lock();
    this.rows.fill(0);
    this.rowsLock.unlock();
    this.indexLock.unlock();
  }

  async compact(): Promise<void> {
    this.rowsLock.lock();
    try {
      await Promise.resolve(this.rows.length);
    } finally {
      this.rowsLock.unlock();
    }
  }

  clear(): void {
    this.rowsLock.lock();
    this.rowsLock.lock();
    this.rows.fill(0);
    this.rowsLock.unlock();
    this.rowsLock.unlock();
  }
}
