// An embedded database client, shaped like PGlite's: the base class runs queries and transactions through abstract
// wrappers (`_runExclusiveQuery(fn)`, `_runExclusiveTransaction(fn)`) that each subclass implements, and hands the
// transaction's callback a `tx` object whose methods call back into the client.
export interface Transaction {
  query(sql: string): Promise<unknown[]>;
  exec(sql: string): Promise<void>;
  listen(channel: string, onNotify: (payload: string) => void): Promise<void>;
}

export abstract class BaseClient {
  abstract _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  abstract _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  abstract listen(channel: string, onNotify: (payload: string) => void, tx?: Transaction): Promise<void>;
  protected abstract send(sql: string): Promise<unknown[]>;

  /** Public exec: exclusive with transactions. */
  async exec(sql: string): Promise<void> {
    await this._runExclusiveTransaction(async () => {
      await this.#runExec(sql);
    });
  }

  /** Inside a transaction only the query mutex is taken. */
  async #runExec(sql: string): Promise<void> {
    await this._runExclusiveQuery(async () => {
      await this.send(sql);
    });
  }

  async #runQuery(sql: string): Promise<unknown[]> {
    return await this._runExclusiveQuery(() => this.send(sql));
  }

  async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return await this._runExclusiveTransaction(async () => {
      await this.#runExec('BEGIN');
      const tx: Transaction = {
        query: (sql) => this.#runQuery(sql),
        exec: (sql) => this.#runExec(sql),
        // Takes the listen mutex while the transaction mutex is held...
        listen: (channel, onNotify) => this.listen(channel, onNotify, tx),
      };
      try {
        const result = await callback(tx);
        await this.#runExec('COMMIT');
        return result;
      } catch (error) {
        await this.#runExec('ROLLBACK');
        throw error;
      }
    });
  }
}
