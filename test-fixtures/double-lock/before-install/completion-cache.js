// A completion cache in plain CommonJS, shaped like continue's core/autocomplete/util/AutocompleteLruCache.ts
// (`const release = await this.mutex.acquire()` around a database transaction, `flush()` from `close()`), and checked
// as a fresh clone is: before `npm install`, async-mutex has no types, so it is recognised by its `require` alone.
// Its `acquire()` resolves to a releaser; nothing here is @deadbolt/runtime's blocking `acquire`.
const { Mutex } = require('async-mutex');

class CompletionCache {
  constructor(db) {
    this.db = db;
    this.mutex = new Mutex();
    this.dirty = new Map();
  }

  async put(prefix, completion) {
    const release = await this.mutex.acquire();
    try {
      this.dirty.set(prefix, completion);
      if (this.dirty.size > 100) await this.flush(); // expect: double-lock
    } finally {
      release();
    }
  }

  async flush() {
    const release = await this.mutex.acquire();
    try {
      const entries = [...this.dirty];
      this.dirty.clear();
      await this.db.run('BEGIN TRANSACTION');
      for (const [key, value] of entries) await this.db.run('INSERT INTO cache VALUES (?, ?)', key, value);
      await this.db.run('COMMIT');
    } finally {
      release();
    }
  }

  // Not under the mutex: flush() takes it once.
  async close() {
    await this.flush();
    await this.db.close();
  }

  async evict(prefix) {
    await this.mutex.runExclusive(async () => {
      this.dirty.delete(prefix);
      await this.mutex.runExclusive(async () => this.db.run('DELETE FROM cache WHERE key = ?', prefix)); // expect: double-lock
    });
  }

  async size() {
    return this.mutex.runExclusive(() => this.dirty.size);
  }
}

module.exports = { CompletionCache };
