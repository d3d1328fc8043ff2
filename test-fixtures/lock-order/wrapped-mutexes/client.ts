// The in-process client: three async-mutex mutexes behind the wrappers. `listen()` outside a transaction takes the
// listen mutex and then runs `exec()`, which takes the transaction mutex: the opposite order of `tx.listen()` inside
// `transaction()`. A transaction calling `tx.listen` while another task calls `listen` deadlocks both.
import { Mutex } from 'async-mutex';
import { BaseClient, type Transaction } from './base.js';

export class Client extends BaseClient {
  #queryMutex = new Mutex();
  #transactionMutex = new Mutex();
  #listenMutex = new Mutex();
  #listeners = new Map<string, Set<(payload: string) => void>>();

  async listen(channel: string, onNotify: (payload: string) => void, tx?: Transaction): Promise<void> {
    return this._runExclusiveListen(() => this.#listen(channel, onNotify, tx)); // expect: lock-order
  }

  async #listen(channel: string, onNotify: (payload: string) => void, tx?: Transaction): Promise<void> {
    const db = tx ?? this;
    const listeners = this.#listeners.get(channel) ?? new Set();
    listeners.add(onNotify);
    this.#listeners.set(channel, listeners);
    await db.exec(`LISTEN ${channel}`);
  }

  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queryMutex.runExclusive(fn);
  }

  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#transactionMutex.runExclusive(fn);
  }

  _runExclusiveListen<T>(fn: () => Promise<T>): Promise<T> {
    return this.#listenMutex.runExclusive(fn);
  }

  protected async send(sql: string): Promise<unknown[]> {
    return [sql];
  }
}
