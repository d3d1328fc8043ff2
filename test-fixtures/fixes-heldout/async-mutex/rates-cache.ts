// Exchange rates fetched in the background and read by the UI: two writers hold the mutex, one forgets it.
import { Mutex } from 'async-mutex';

export type Fetcher = (currency: string) => Promise<number>;

export class RatesCache {
  private readonly mutex = new Mutex();
  private rates: Record<string, number> = {};
  private updatedAt = 0;

  async update(currency: string, fetchRate: Fetcher): Promise<void> {
    await this.mutex.runExclusive(async () => {
      const rate = await fetchRate(currency);
      this.rates = { ...this.rates, [currency]: rate };
      this.updatedAt = Date.now();
    });
  }

  async remove(currency: string): Promise<void> {
    await this.mutex.runExclusive(() => {
      const { [currency]: _removed, ...rest } = this.rates;
      this.rates = rest;
      this.updatedAt = Date.now();
    });
  }

  async reset(): Promise<void> {
    this.rates = {}; // the UI shows "no rates" until the next update
    this.updatedAt = 0;
  }

  rateOf(currency: string): number | undefined {
    return this.rates[currency];
  }
}
