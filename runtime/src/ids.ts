/**
 * Identity: process-wide unique lock ids and the token that names the calling thread as a lock owner.
 * Lock ids come from a counter in a SharedArrayBuffer that the first thread to load the runtime publishes with
 * worker_threads `setEnvironmentData`; workers created afterwards receive a clone of it, and a clone of a
 * SharedArrayBuffer shares its memory, so every thread draws from the same counter.
 */

import type * as WorkerThreads from 'node:worker_threads';

/** The environment-data key under which the shared id counter travels to workers. */
const ID_SPACE_KEY = 'deadbolt.idSpace.v1';

/** Ids from one counter are `base + n` with n < 2^32, so distinct bases (multiples of 2^32) never collide. */
const SPACE_SIZE = 2 ** 32;

interface IdSpace {
  buffer: SharedArrayBuffer;
  base: number;
}

/** worker_threads when running on Node (found without a static import, so browsers can load this module). */
export const workerThreads: typeof WorkerThreads | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads');
  return wt as typeof WorkerThreads | undefined;
})();

function isIdSpace(value: unknown): value is IdSpace {
  if (typeof value !== 'object' || value === null) return false;
  const space = value as Partial<IdSpace>;
  return space.buffer instanceof SharedArrayBuffer && space.buffer.byteLength === 4 && Number.isSafeInteger(space.base);
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
    const space: IdSpace = { buffer: new SharedArrayBuffer(4), base: workerThreads.threadId * SPACE_SIZE };
    workerThreads.setEnvironmentData(ID_SPACE_KEY, space);
    return space;
  }
  const randomBase = (2 ** 20 + Math.floor(Math.random() * 2 ** 20)) * SPACE_SIZE;
  return { buffer: new SharedArrayBuffer(4), base: randomBase };
}

const space = openIdSpace();
const counter = new Uint32Array(space.buffer);

/** A new lock id, unique among all threads of this process. */
export function nextLockId(): number {
  // Atomics.add hands each caller a distinct value even when threads race; no ordering with other memory is needed.
  return space.base + ((Atomics.add(counter, 0, 1) + 1) >>> 0);
}

/**
 * The calling thread as stored in owner slots: threadId + 1, so that 0 can mean "no owner" (the main
 * thread's threadId is 0). Browsers lack threadId; a random token above any plausible threadId stands in.
 */
export const threadToken: number =
  workerThreads !== undefined ? workerThreads.threadId + 1 : 2 ** 24 + Math.floor(Math.random() * 2 ** 29);

/** The calling thread, for messages: "main thread" or "worker 3". */
export const threadLabel: string =
  workerThreads === undefined ? 'this thread' : workerThreads.isMainThread ? 'main thread' : `worker ${workerThreads.threadId}`;

/** A lock as messages name it: "Mutex 'jobs' (#4)" or "Mutex #4". */
export function lockLabel(kind: string, name: string | undefined, id: number): string {
  return name === undefined ? `${kind} #${id}` : `${kind} '${name}' (#${id})`;
}

/** The thread an owner token names, for messages: "main thread" or "worker 3". */
export function ownerLabel(token: number): string {
  const t = token < 0 ? -token : token;
  return t === 1 ? 'main thread' : `worker ${t - 1}`;
}
