// A database handle whose maintenance runs under a mutex with a timeout; the analyse step re-took it inline.
import { Mutex, withTimeout } from 'async-mutex';

interface Database {
  exec(sql: string): Promise<void>;
}

export class Maintenance {
  private readonly dbLock = withTimeout(new Mutex(), 10_000);

  constructor(private readonly db: Database) {}

  async vacuum(): Promise<void> {
    await this.dbLock.runExclusive(async () => {
      await this.db.exec('VACUUM');
      await this.dbLock.runExclusive(async () => {
        await this.db.exec('ANALYZE');
      });
    });
  }
}
