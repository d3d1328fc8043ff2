// Check-then-act split by an await: the check is stale once the coroutine resumes, so two callers both load and the
// second store overwrites the first (a cache stampede), or both connect (a double initialisation). Shapes from
// IngloriousCoderz/inglorious-portfolio 23-js-async/homework/promise-to-async.js (`loadCached`), lskjs/lskjs
// packages/grant/src/CacheStore.js (`if (!this.data[key]) this.data[key] = await value()`) and the lazy `getAuthClient`
// singletons the code search returns. The single-flight form, which stores the promise before awaiting it
// (mrohmer/packliste.rohmer.rocks src/lib/utils/cached.ts), is the fix and is not reported.
import { Mutex } from 'async-mutex';

declare function load(url: string): Promise<string>;
declare function connect(): Promise<{ close(): void }>;

const cache = new Map<string, string>();

export async function loadCached(url: string): Promise<string> {
  if (cache.has(url)) {
    return cache.get(url)!;
  }
  const text = await load(url);
  cache.set(url, text); // expect: async-atomicity
  return text;
}

export async function loadInline(url: string): Promise<string> {
  if (!cache.has(url)) cache.set(url, await load(url)); // expect: async-atomicity
  return cache.get(url)!;
}

// drop() invalidates an entry while set() may be loading it: the fix counts invalidations (a generation check).
export class CacheStore {
  private data: Record<string, string> = {};

  async set(key: string, value: () => Promise<string>): Promise<void> {
    if (!this.data[key]) {
      this.data[key] = await value(); // expect: async-atomicity
    }
  }

  drop(key: string): void {
    delete this.data[key];
  }
}

let client: { close(): void } | undefined;

export async function getClient(): Promise<{ close(): void }> {
  if (client) {
    return client;
  }
  client = await connect(); // expect: async-atomicity
  return client;
}

let shared: { close(): void } | undefined;

export async function getShared(): Promise<{ close(): void }> {
  shared ??= await connect(); // expect: async-atomicity
  return shared;
}

// A cache checked by comparison, as metamask-core's HyperLiquidProvider and UserStorageController check theirs by
// truthiness: the early return's condition, negated, is the check to make again.
let token: string | undefined;

export async function getToken(): Promise<string> {
  if (token !== undefined) return token;
  const fresh = await load('/token');
  token = fresh; // expect: async-atomicity
  return token;
}

// The check, an await, then a write that awaits again (jco packages/jco/test/cli.js, `cachedComponentize`): the
// write's own await goes first, or it would open the window again between the second check and the write.
const outputs: Record<string, string> = {};

export async function build(key: string): Promise<void> {
  if (key in outputs) return;
  await load(`/build/${key}`);
  outputs[key] = await load(`/out/${key}`); // expect: async-atomicity
}

// Two fields filled in turn after one await, under one check of both (metamask-core MYXClientService's market list and
// its timestamp): checking again before the second write would read what the first write just stored.
export class MarketService {
  #markets: string[] = [];
  #marketsAt = 0;

  async getMarkets(now: number): Promise<string[]> {
    if (this.#markets.length > 0 && now - this.#marketsAt < 60_000) return this.#markets;
    const fetched = await load('/markets');
    this.#markets = fetched.split(',');
    this.#marketsAt = now; // expect: async-atomicity
    return this.#markets;
  }
}

// Single-flight: the promise is stored before anything awaits it, so every caller shares one load.
const pending = new Map<string, Promise<string>>();

export function loadOnce(url: string): Promise<string> {
  if (!pending.has(url)) pending.set(url, load(url));
  return pending.get(url)!;
}

export async function loadOnceAsync(url: string): Promise<string> {
  let entry = pending.get(url);
  if (entry === undefined) {
    entry = load(url);
    pending.set(url, entry);
  }
  return await entry;
}

// Checked again after the await: whoever stored first wins and the rest reuse it.
export async function loadRechecked(url: string): Promise<string> {
  if (cache.has(url)) return cache.get(url)!;
  const text = await load(url);
  if (!cache.has(url)) cache.set(url, text);
  return cache.get(url)!;
}

// A flag set to a constant is idempotent: two tasks writing `true` agree.
let ready = false;

export async function init(): Promise<void> {
  if (ready) return;
  await connect();
  ready = true;
}

export function shutdown(): void {
  ready = false;
}

// Under the one mutex every writer of `guarded` takes.
const lock = new Mutex();
const guarded = new Map<string, string>();

export async function loadGuarded(url: string): Promise<string> {
  return lock.runExclusive(async () => {
    if (!guarded.has(url)) guarded.set(url, await load(url));
    return guarded.get(url)!;
  });
}

export async function evictGuarded(url: string): Promise<void> {
  await lock.runExclusive(() => {
    guarded.delete(url);
  });
}

// A lazily opened database: two overlapping calls each open one and the first is leaked (absurd-sql
// src/indexeddb/file-ops-fallback.js, `getDb`).
declare function openDb(name: string): Promise<{ close(): void }>;

export class FileOpsFallback {
  private openDb: { close(): void } | null = null;

  constructor(private readonly dbName: string) {}

  async getDb(): Promise<{ close(): void }> {
    if (this.openDb) {
      return this.openDb;
    }
    this.openDb = await openDb(this.dbName); // expect: async-atomicity
    return this.openDb;
  }

  closeDb(): void {
    if (this.openDb) {
      this.openDb.close();
      this.openDb = null;
    }
  }
}

// A lazily imported module resolves to the same module in every call, so overlapping calls agree (powersync-js
// packages/web/src/db/sync/WebRemote.ts, `loadWebSocketSupport`, whose comment says so).
let codec: { encode(value: unknown): string } | undefined;

export async function loadCodec(): Promise<{ encode(value: unknown): string }> {
  if (!codec) {
    const module = await import('node:util');
    codec = { encode: (value) => module.inspect(value) };
  }
  return codec;
}

// Appending after checking the length drops nothing.
const seenUrls: string[] = [];

export async function remember(url: string): Promise<void> {
  if (seenUrls.length > 100) return;
  await load(url);
  seenUrls.push(url);
}

// Awaiting one promise kept in shared state gives every call the same module or the same error, so overlapping calls
// store the same value (fisker/make-synchronized source/load-module.js, `loadModule`).
let moduleImportPromise: Promise<unknown> | undefined;
let moduleInstance: unknown;
let moduleLoadError: unknown;

export async function loadModule(): Promise<unknown> {
  if (moduleInstance) return moduleInstance;
  if (moduleLoadError) throw moduleLoadError;
  try {
    moduleInstance = await moduleImportPromise;
  } catch (error) {
    moduleLoadError = error;
    throw error;
  }
  return moduleInstance;
}

export function startLoading(source: string): void {
  moduleImportPromise = import(source);
}

// Every call of `install` starts under the loader's lock, taken by its caller and released once all installs are
// done (pyodide src/js/load-package.ts: `const releaseLock = await this._lock()` around `downloadAndInstall`).
declare function createLock(): () => Promise<() => void>;
declare function download(name: string): Promise<Uint8Array>;

const installed: Record<string, string> = {};

export class PackageManager {
  private readonly _lock = createLock();

  async loadPackages(names: readonly string[]): Promise<void> {
    const releaseLock = await this._lock();
    try {
      await Promise.all(names.map((name) => this.install(name)));
    } finally {
      releaseLock();
    }
  }

  private async install(name: string): Promise<void> {
    if (installed[name] !== undefined) return;
    const buffer = await download(name);
    installed[name] = `${buffer.length}`;
  }
}

// States of a constant table are constants too: a state machine's transitions are not lost updates (bytecodealliance/jco
// packages/preview3-shim/src/nodejs/sockets/tcp.ts, `connect`).
const STATE = Object.freeze({ UNBOUND: 0, CONNECTING: 1, CONNECTED: 2, CLOSED: 3 });
declare function dial(address: string): Promise<void>;

export class TcpSocket {
  private state: number = STATE.UNBOUND;

  async connect(address: string): Promise<void> {
    if (this.state === STATE.CONNECTING || this.state === STATE.CONNECTED) throw new Error('invalid-state');
    this.state = STATE.CONNECTING;
    try {
      await dial(address);
      this.state = STATE.CONNECTED;
    } catch (error) {
      this.state = STATE.CLOSED;
      throw error;
    }
  }

  close(): void {
    this.state = STATE.CLOSED;
  }
}
