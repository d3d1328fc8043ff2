// Releases in another place than the acquisition, as real code writes them: a Kysely-style SQLite driver whose
// `acquireConnection()` takes the connection mutex and whose `releaseConnection()` releases it; a worker client that
// keeps a releaser in a field until it closes; leases released by `await using` or `lease.release()`. These hand the
// lock over: a leak is only a lock no path releases.
import { Mutex, type MutexInterface } from 'async-mutex';

export interface Connection {
  run(sql: string): Promise<void>;
}

// Negative: the driver's caller pairs acquireConnection() with releaseConnection().
export class SqliteDriver {
  private connectionMutex = new Mutex();

  constructor(private readonly connection: Connection) {}

  async acquireConnection(): Promise<Connection> {
    await this.connectionMutex.waitForUnlock();
    await this.connectionMutex.acquire();
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    this.connectionMutex.release();
  }
}

// Positive: the same acquisition with nothing that ever releases the mutex.
export class BrokenDriver {
  private connectionMutex = new Mutex();

  constructor(private readonly connection: Connection) {}

  async connect(): Promise<Connection> {
    await this.connectionMutex.acquire(); // expect: lock-leak
    return this.connection;
  }
}

// Negative: the releaser waits in a field until `close()`.
export class TabClient {
  #tabLock = new Mutex();
  #releaseTabLock: MutexInterface.Releaser | undefined;

  async init(): Promise<void> {
    this.#releaseTabLock = await this.#tabLock.acquire();
  }

  close(): void {
    this.#releaseTabLock?.();
  }
}

// Positive: kept in a field that no method ever calls.
export class LeakyTabClient {
  #tabLock = new Mutex();
  #release: MutexInterface.Releaser | undefined;

  async init(): Promise<void> {
    this.#release = await this.#tabLock.acquire(); // expect: lock-leak
  }
}

export class Lease implements AsyncDisposable {
  constructor(private readonly releaser: () => void) {}

  release(): void {
    this.releaser();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.releaser();
  }
}

export class Pool {
  #slots = new Mutex();

  async lease(): Promise<Lease> {
    const release = await this.#slots.acquire();
    return new Lease(release);
  }

  async leaseRecord(): Promise<{ release: () => void }> {
    const release = await this.#slots.acquire();
    return { release };
  }
}

const pool = new Pool();

// Negative: `await using` disposes the lease on every path.
export async function exportAll(write: (line: string) => Promise<void>): Promise<void> {
  await using lease = await pool.lease();
  await write(String(lease));
}

// Negative: released in `finally`.
export async function exportOne(write: (line: string) => Promise<void>): Promise<void> {
  const lease = await pool.leaseRecord();
  try {
    await write('one');
  } finally {
    lease.release();
  }
}

// Positive: when `write` rejects, the lease is never released.
export async function exportLast(write: (line: string) => Promise<void>): Promise<void> {
  const lease = await pool.leaseRecord(); // expect: lock-leak
  await write('last');
  lease.release();
}

const tables = new Mutex();

// Positive, once: the helper leaks on its early return; its callers are not reported again for it.
async function lockTables(skip: boolean): Promise<MutexInterface.Releaser | undefined> {
  const release = await tables.acquire(); // expect: lock-leak
  if (skip) return undefined;
  return release;
}

export async function migrate(): Promise<void> {
  const release = await lockTables(false);
  release?.();
}

export async function vacuum(): Promise<void> {
  const release = await lockTables(true);
  release?.();
}
