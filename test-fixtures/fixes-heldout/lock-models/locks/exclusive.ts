// A promise-chain mutex exposing only `runExclusive`, as sync SDKs define their own to avoid a dependency.
export class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();

  runExclusive<T>(fn: () => PromiseLike<T> | T): Promise<T> {
    const next = this.tail.then(() => fn());
    this.tail = next.catch(() => undefined);
    return next;
  }
}
