// A wallet controller's token list, serialised with one async-mutex Mutex held from `acquire()` to the release
// function it returns, the way large controller code bases write it.
import { Mutex } from 'async-mutex';

export interface Token {
  address: string;
  symbol: string;
  decimals: number;
}

export class TokenStore {
  readonly #mutex = new Mutex();
  #tokens: Token[] = [];
  #ignored = new Set<string>();

  async addToken(token: Token): Promise<Token[]> {
    const releaseLock = await this.#mutex.acquire();
    if (this.#ignored.has(token.address.toLowerCase())) {
      return this.#tokens; // TODO: tell the caller it was ignored
    }
    this.#tokens = [...this.#tokens.filter((t) => t.address !== token.address), token];
    releaseLock();
    return this.#tokens;
  }

  async ignoreTokens(addresses: string[]): Promise<void> {
    const releaseLock = await this.#mutex.acquire();
    try {
      for (const address of addresses) this.#ignored.add(address.toLowerCase());
      this.#tokens = this.#tokens.filter((t) => !this.#ignored.has(t.address.toLowerCase()));
    } finally {
      releaseLock();
    }
  }

  async clearIgnored(): Promise<void> {
    const releaseLock = await this.#mutex.acquire();
    this.#ignored.clear();
    await this.persist(); // eslint-disable-line @typescript-eslint/no-floating-promises
    releaseLock();
  }

  private async persist(): Promise<void> {
    await Promise.resolve(this.#tokens.length);
  }
}
