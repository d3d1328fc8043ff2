// A database connection serialised by its ConnectionMutex: a failing statement left it locked.
import { ConnectionMutex } from './locks/connection-mutex.js';

interface Driver {
  executeAsync(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}

export class Connection {
  private readonly mutex = new ConnectionMutex();
  private statements = 0;

  constructor(private readonly driver: Driver) {}

  async execute(sql: string, params: unknown[] = []): Promise<unknown[]> {
    await this.mutex.lock();
    const result = await this.driver.executeAsync(sql, params);
    this.statements += 1;
    this.mutex.unlock();
    return result.rows;
  }

  async begin(): Promise<void> {
    await this.mutex.lock();
    try {
      await this.driver.executeAsync('BEGIN', []);
      this.statements += 1;
    } finally {
      this.mutex.unlock();
    }
  }

  async reset(): Promise<void> {
    this.statements = 0;
  }
}
