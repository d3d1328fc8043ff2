// Destructured and aliased fields are the same lock as the field itself.
import { Mutex } from '@deadbolt/runtime';

export class Journal {
  private readonly mutex = new Mutex({ name: 'journal' });
  private readonly locks = { write: new Mutex({ name: 'write' }), read: new Mutex({ name: 'read' }) };

  append(): void {
    const { mutex } = this;
    using _a = this.mutex.lock();
    using _b = mutex.lock(); // expect: double-lock
  }

  readWrite(): void {
    const { read, write } = this.locks;
    using _r = read.lock();
    using _w = write.lock();
    using _again = this.locks.read.lock(); // expect: double-lock
  }
}
