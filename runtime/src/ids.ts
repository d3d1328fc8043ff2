/**
 * Identity: process-wide unique lock ids, and the names of locks and threads in messages (the token that names a
 * thread as a lock owner lives in thread-table.ts).
 * Lock ids come from a counter in a SharedArrayBuffer that the first thread to load the runtime publishes with
 * worker_threads `setEnvironmentData`; workers created afterwards receive a clone of it, and a clone of a
 * SharedArrayBuffer shares its memory, so every thread draws from the same counter. The counter is 64 bits wide
 * (a 32-bit one wrapped after 2^32 locks and repeated the ids of live ones), and ids stay safe integers.
 */

import type * as WorkerThreads from 'node:worker_threads';

/** The environment-data key under which the shared id counter travels to workers (v2: a BigInt64 counter). */
const ID_SPACE_KEY = 'deadbolt.idSpace.v2';

/**
 * Ids are `base + n` for the n-th id drawn from a counter (n from 1). The process's shared space has base 0 and
 * runs up to FALLBACK_BASE (2^52 ids: never reached). A worker created before any thread loaded the runtime has
 * its own space at FALLBACK_BASE + threadId * FALLBACK_SIZE, so distinct spaces never overlap; each holds 2^32
 * ids, and drawing past the end of one throws rather than repeating an id.
 */
const FALLBACK_BASE = 2 ** 52;
const FALLBACK_SIZE = 2 ** 32;

interface IdSpace {
  buffer: SharedArrayBuffer;
  base: number;
}

/**
 * worker_threads when running on Node, found without a static import so browsers can load this module: through
 * `process.getBuiltinModule` (Node 20.16 and later), else as the package's Node entry published it
 * (node-builtins.ts). Without it every thread would draw ids from its own random space and checked mode's graph
 * would not be shared between workers.
 */
export const workerThreads: typeof WorkerThreads | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') ?? (globalThis as Record<symbol, unknown>)[Symbol.for('deadbolt.workerThreads')];
  return wt as typeof WorkerThreads | undefined;
})();

function isIdSpace(value: unknown): value is IdSpace {
  if (typeof value !== 'object' || value === null) return false;
  const space = value as Partial<IdSpace>;
  return space.buffer instanceof SharedArrayBuffer && space.buffer.byteLength === 8 && Number.isSafeInteger(space.base);
}

/**
 * Finds the process's id space or makes one. A worker created before any thread loaded the runtime gets no
 * inherited counter; it then uses its own space based on its threadId (unique in the process), so its ids
 * still cannot collide with the main thread's (base 0) or another such worker's, and publishes that space
 * to the workers it creates. Browsers have no threadId: a random base is the best available fallback.
 */
function openIdSpace(): IdSpace {
  if (workerThreads !== undefined) {
    const inherited = workerThreads.getEnvironmentData(ID_SPACE_KEY);
    if (isIdSpace(inherited)) return inherited;
    const space: IdSpace = { buffer: new SharedArrayBuffer(8), base: workerThreads.isMainThread ? 0 : FALLBACK_BASE + workerThreads.threadId * FALLBACK_SIZE };
    workerThreads.setEnvironmentData(ID_SPACE_KEY, space);
    return space;
  }
  const randomBase = FALLBACK_BASE + Math.floor(Math.random() * 2 ** 20) * FALLBACK_SIZE;
  return { buffer: new SharedArrayBuffer(8), base: randomBase };
}

const space = openIdSpace();
const counter = new BigInt64Array(space.buffer);
/** How many ids this space may hand out before they would overlap another space or stop being safe integers. */
const spaceSize = Math.min(space.base === 0 ? FALLBACK_BASE - 1 : FALLBACK_SIZE, Number.MAX_SAFE_INTEGER - space.base);

/** A new lock id, unique among all threads of this process. Created off the fast path (constructors only). */
export function nextLockId(): number {
  // Atomics.add hands each caller a distinct value even when threads race; no ordering with other memory is needed.
  const n = Number(Atomics.add(counter, 0, 1n)) + 1;
  if (n > spaceSize) throw new RangeError(`lock ids exhausted: this thread's id space holds ${spaceSize} ids, and an id must never repeat`);
  return space.base + n;
}

/** The calling thread, for messages: "main thread" or "worker 3". */
export const threadLabel: string =
  workerThreads === undefined ? 'this thread' : workerThreads.isMainThread ? 'main thread' : `worker ${workerThreads.threadId}`;

/** A lock as messages name it: "Mutex 'jobs' (#4)" or "Mutex #4". */
export function lockLabel(kind: string, name: string | undefined, id: number): string {
  return name === undefined ? `${kind} #${id}` : `${kind} '${name}' (#${id})`;
}
