// A lock taken again through the helpers that run callbacks under it: a controller whose public methods all go through
// `#persistOrRollback(fn)` (MetaMask's KeyringController shape), an embedded database whose `transaction(cb)` holds
// the transaction mutex while the callback runs (calling `db.exec()` there instead of `tx.exec()` waits for itself),
// a Web Locks helper, and a method handed to a wrapper by reference.
import { Mutex } from 'async-mutex';

export class KeyringController {
  #controllerMutex = new Mutex();
  #keyrings: string[][] = [];

  async #withControllerLock<R>(fn: () => Promise<R>): Promise<R> {
    const release = await this.#controllerMutex.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  async #persistOrRollback<R>(fn: () => Promise<R>): Promise<R> {
    return this.#withControllerLock(async () => {
      const snapshot = this.#keyrings.map((k) => [...k]);
      try {
        return await fn();
      } catch (error) {
        this.#keyrings = snapshot;
        throw error;
      }
    });
  }

  async addNewKeyring(accounts: string[]): Promise<number> {
    return this.#persistOrRollback(async () => this.#keyrings.push(accounts));
  }

  // Positive: the public method takes the controller lock again from inside it.
  async importAccounts(accounts: string[]): Promise<number> {
    return this.#persistOrRollback(async () => {
      await this.addNewKeyring(accounts); // expect: double-lock
      return this.#keyrings.length;
    });
  }

  // Negative: the private variant expects the lock held.
  async importAccount(account: string): Promise<number> {
    return this.#persistOrRollback(async () => this.#keyrings.push([account]));
  }
}

export interface Tx {
  exec(sql: string): Promise<void>;
}

export class Database {
  #transactionMutex = new Mutex();
  #queryMutex = new Mutex();

  async exec(sql: string): Promise<void> {
    await this.#transactionMutex.runExclusive(() => this.#run(sql));
  }

  async #run(sql: string): Promise<void> {
    await this.#queryMutex.runExclusive(async () => console.log(sql));
  }

  async transaction<T>(callback: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#transactionMutex.runExclusive(async () => {
      await this.#run('BEGIN');
      const result = await callback({ exec: (sql) => this.#run(sql) });
      await this.#run('COMMIT');
      return result;
    });
  }
}

const db = new Database();

// Positive: `db.exec` inside the transaction's callback waits for the transaction it runs in.
export async function migrate(): Promise<void> {
  await db.transaction(async () => {
    await db.exec('CREATE TABLE notes (id TEXT)'); // expect: double-lock
  });
}

// Negative: the transaction's own `tx.exec` takes only the query mutex.
export async function seed(): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec("INSERT INTO notes VALUES ('a')");
  });
}

async function withSessionLock<R>(fn: () => Promise<R>): Promise<R> {
  return navigator.locks.request('auth-session', async () => fn());
}

async function readSession(): Promise<string | null> {
  return withSessionLock(async () => sessionStorage.getItem('session'));
}

// Positive: Web Locks are not re-entrant, through the helper as directly.
export async function refresh(fetchSession: () => Promise<string>): Promise<void> {
  await withSessionLock(async () => {
    const current = await readSession(); // expect: double-lock
    if (!current) sessionStorage.setItem('session', await fetchSession());
  });
}

// Negative: the read is done before taking the lock for the write.
export async function refreshOnce(fetchSession: () => Promise<string>): Promise<void> {
  const current = await readSession();
  if (current) return;
  await withSessionLock(async () => sessionStorage.setItem('session', await fetchSession()));
}

export class Outbox {
  #mutex = new Mutex();
  #pending: string[] = [];

  async #locked(fn: () => Promise<void>): Promise<void> {
    await this.#mutex.runExclusive(fn);
  }

  async flush(): Promise<void> {
    await this.#locked(async () => {
      this.#pending.length = 0;
    });
  }

  // Positive: `flush` handed by reference runs under the lock and takes it again.
  async close(): Promise<void> {
    await this.#locked(this.flush.bind(this)); // expect: double-lock
  }

  // Negative: handed to a timer, it runs after `#locked` released.
  async closeLater(): Promise<void> {
    await this.#locked(async () => {
      setTimeout(() => void this.flush(), 0);
    });
  }
}
