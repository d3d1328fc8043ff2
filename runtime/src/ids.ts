/**
 * Identity: process-wide unique lock ids, and the names of locks and threads in messages (the token that names a
 * thread as a lock owner lives in thread-table.ts).
 * Lock ids come from a counter in a SharedArrayBuffer that the first thread to load the runtime publishes with
 * worker_threads `setEnvironmentData`; workers created afterwards receive a clone of it, and a clone of a
 * SharedArrayBuffer shares its memory, so every thread draws from the same counter. The counter is 64 bits wide
 * (a 32-bit one wrapped after 2^32 locks and repeated the ids of live ones), and ids stay safe integers.
 */

import { browserContext, threadText, type ThreadContext } from './browser-context.js';
import { sharedBuffer } from './shared-memory.js';

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
 * This thread's context: worker_threads when running on Node, found without a static import so browsers can load this
 * module: through `process.getBuiltinModule` (Node 20.16 and later), else as the package's Node entry published it
 * (node-builtins.ts). In a browser, the page's or a startWorker worker's context (browser-context.ts). Without one a
 * thread draws ids from its own random space, shares no thread table and no checked-mode graph.
 */
export const workerThreads: ThreadContext | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as ThreadContext | undefined;
  return wt ?? browserContext();
})();

function isIdSpace(value: unknown): value is IdSpace {
  if (typeof value !== 'object' || value === null) return false;
  const space = value as Partial<IdSpace>;
  return space.buffer instanceof SharedArrayBuffer && space.buffer.byteLength === 8 && Number.isSafeInteger(space.base);
}

/**
 * Finds the process's id space or makes one, on Node. A worker created before any thread loaded the runtime gets no
 * inherited counter; it then uses its own space based on its threadId (unique in the process), so its ids still
 * cannot collide with the main thread's (base 0) or another such worker's, and publishes that space to the workers
 * it creates.
 */
function openIdSpace(wt: ThreadContext): IdSpace {
  const inherited = wt.getEnvironmentData(ID_SPACE_KEY);
  if (isIdSpace(inherited)) return inherited;
  const space: IdSpace = { buffer: new SharedArrayBuffer(8), base: wt.isMainThread ? 0 : FALLBACK_BASE + wt.threadId * FALLBACK_SIZE };
  wt.setEnvironmentData(ID_SPACE_KEY, space);
  return space;
}

/**
 * A browser thread without a context (a Worker not started by startWorker) has nothing to inherit from: a random base
 * is the best available fallback. Made on the
 * first id drawn, not at load, so a page without SharedArrayBuffer can still load the runtime (and then hears why from
 * the constructor that needed it).
 */
function randomIdSpace(): IdSpace {
  const randomBase = FALLBACK_BASE + Math.floor(Math.random() * 2 ** 20) * FALLBACK_SIZE;
  return { buffer: sharedBuffer(8, 'lock ids'), base: randomBase };
}

/** On Node, opened at load: workers created later must inherit it. */
let space: IdSpace | undefined = workerThreads === undefined ? undefined : openIdSpace(workerThreads);
let counter: BigInt64Array | undefined;
/** How many ids this space may hand out before they would overlap another space or stop being safe integers. */
let spaceSize = 0;

/** A new lock id, unique among all threads of this process. Created off the fast path (constructors only). */
export function nextLockId(): number {
  if (counter === undefined) {
    space ??= randomIdSpace();
    counter = new BigInt64Array(space.buffer);
    spaceSize = Math.min(space.base === 0 ? FALLBACK_BASE - 1 : FALLBACK_SIZE, Number.MAX_SAFE_INTEGER - space.base);
  }
  // Atomics.add hands each caller a distinct value even when threads race; no ordering with other memory is needed.
  const n = Number(Atomics.add(counter, 0, 1n)) + 1;
  if (n > spaceSize) throw new RangeError(`lock ids exhausted: this thread's id space holds ${spaceSize} ids, and an id must never repeat`);
  return space!.base + n;
}

/** The calling thread, for messages: "main thread", "worker 3", or "worker 'decoder' (id 3)" when it has a name. */
export const threadLabel: string =
  workerThreads === undefined ? 'this thread' : workerThreads.isMainThread ? 'main thread' : threadText(workerThreads.threadId, workerThreads.threadName);

/** A lock as messages name it: "Mutex 'jobs' (#4)" or "Mutex #4". */
export function lockLabel(kind: string, name: string | undefined, id: number): string {
  return name === undefined ? `${kind} #${id}` : `${kind} '${name}' (#${id})`;
}
