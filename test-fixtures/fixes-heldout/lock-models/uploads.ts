// An attachment queue whose state is guarded by an in-house `Exclusive`; clearing forgot it.
import { Exclusive } from './locks/exclusive.js';

export class Uploads {
  private readonly lock = new Exclusive();
  private queued: string[] = [];

  async enqueue(id: string): Promise<void> {
    await this.lock.runExclusive(() => {
      this.queued = [...this.queued, id];
    });
  }

  async take(): Promise<string | undefined> {
    return this.lock.runExclusive(() => {
      const [first, ...rest] = this.queued;
      this.queued = rest;
      return first;
    });
  }

  async clear(): Promise<void> {
    this.queued = [];
  }
}
