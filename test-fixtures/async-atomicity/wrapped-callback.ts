// A local captured by a callback the function hands to a wrapper that returns the callback's result: a trace span.
// MetaMask/core packages/transaction-controller/src/TransactionController.ts `#defaultPublishHook` declares
// `let transactionHash` and hands `this.#trace(request, async () => { ...; transactionHash ??= await publish() })` a
// callback (`TraceCallback = <R>(request, fn?: () => R) => Promise<R>`); renovate lib/workers/global/index.ts
// `start()` runs `instrument('config', async () => { config = await globalInitialize(config); ... })` with
// `instrument<F extends () => ReturnType<F>>(name, fn: F): ReturnType<F>`. Each run of the maker has its own
// variable and the wrapper makes its one result from one call of the callback. The twin hands its callback to a
// function that runs it for every item at once: those runs share the variable and race.
import { Mutex } from 'async-mutex';

interface TraceRequest {
  name: string;
}
type TraceCallback = <R>(request: TraceRequest, fn?: () => R) => Promise<R>;

declare function publishHook(signedTx: string): Promise<{ transactionHash?: string }>;
declare function publishTransaction(signedTx: string): Promise<string>;
declare function loadGlobalConfig(): Promise<Record<string, string>>;
declare function globalInitialize(config: Record<string, string>): Promise<Record<string, string>>;

export function instrument<F extends () => ReturnType<F>>(name: string, fn: F): ReturnType<F> {
  console.log('span', name);
  return fn();
}

export class Publisher {
  readonly #trace: TraceCallback;
  readonly #nonceMutex = new Mutex();
  #nonce = 0;

  constructor(trace?: TraceCallback) {
    this.#trace = trace ?? (((_request, fn) => fn?.()) as TraceCallback);
  }

  async publish(signedTx: string): Promise<string | undefined> {
    let transactionHash: string | undefined;
    await this.#trace({ name: 'Publish' }, async () => {
      transactionHash = (await publishHook(signedTx)).transactionHash;
      transactionHash ??= await publishTransaction(signedTx);
    });
    return transactionHash;
  }

  async nextNonce(): Promise<number> {
    return this.#nonceMutex.runExclusive(() => this.#nonce++);
  }
}

export async function start(): Promise<Record<string, string>> {
  let config: Record<string, string> = {};
  await instrument('config', async () => {
    config = await loadGlobalConfig();
    config = await globalInitialize(config);
  });
  return config;
}

/** Runs `fn` once per item, all at once. */
export async function forEachAtOnce(items: readonly string[], fn: (item: string) => Promise<void>): Promise<void> {
  await Promise.all(items.map((item) => fn(item)));
}

export async function publishAll(signedTxs: readonly string[]): Promise<string | undefined> {
  let lastHash: string | undefined;
  await forEachAtOnce(signedTxs, async (signedTx) => {
    lastHash = (await publishHook(signedTx)).transactionHash;
    lastHash ??= await publishTransaction(signedTx); // expect: async-atomicity
  });
  return lastHash;
}

/** Hands the callback back, memoised the way React's `useCallback` does: it runs on every click, overlapping. */
export declare function useCallback<F extends (...args: never[]) => unknown>(callback: F, deps: readonly unknown[]): F;

export function LikeButton(props: { like: () => Promise<number> }): () => Promise<void> {
  let likes = 0;
  const onClick = useCallback(async () => {
    likes = likes + await props.like(); // expect: async-atomicity
  }, [props]);
  return onClick;
}
