/**
 * The browser's stand-in for what Node's worker_threads gives every thread: a thread id, a name, and environment data
 * that a thread's Workers receive a copy of when they start (the id space, the thread table and checked mode's graph
 * travel in it). A page's main thread makes the root context when the runtime loads; a Web Worker makes its own from
 * the message startWorker (start-worker.ts) sent it, which its bootstrap leaves on the global before the worker's
 * module loads the runtime. The context lives on the global under the key ids.ts reads, so every copy of the runtime
 * in a thread sees the same one.
 */

/** The part of worker_threads the runtime uses, plus the thread's name (browsers only). */
export interface ThreadContext {
  readonly isMainThread: boolean;
  readonly threadId: number;
  readonly threadName?: string;
  getEnvironmentData(key: string): unknown;
  setEnvironmentData(key: string, value: unknown): void;
}

/** A browser thread's context: it also lists its environment data, which startWorker copies into a new worker. */
export interface BrowserThreadContext extends ThreadContext {
  environment(): [string, unknown][];
  /** The URL relative worker URLs resolve against: the page's, or the worker's module (not its bootstrap's blob:). */
  readonly baseUrl: string | undefined;
}

/** Where the context lives on a thread's global (node-builtins.ts publishes Node's worker_threads there too). */
export const CONTEXT_KEY = Symbol.for('deadbolt.workerThreads');

/** Environment-data key of the counter browser thread ids are drawn from (the page is 0). */
export const THREAD_IDS_KEY = 'deadbolt.browserThreadIds.v1';

/** What startWorker posts as a worker's first message: everything its context is made of. */
export interface WorkerContextMessage {
  readonly 'deadbolt.context': 1;
  readonly threadId: number;
  readonly name: string | undefined;
  readonly environment: [string, unknown][];
  readonly url: string;
  readonly module: boolean;
}

/** A context over a Map of environment data: what the root makes and what a worker rebuilds from its message. */
function contextOver(isMainThread: boolean, threadId: number, threadName: string | undefined, environment: Map<string, unknown>, baseUrl: string | undefined): BrowserThreadContext {
  return {
    isMainThread,
    threadId,
    ...(threadName === undefined ? {} : { threadName }),
    baseUrl,
    environment: () => [...environment],
    getEnvironmentData: (key) => environment.get(key),
    setEnvironmentData: (key, value) => void (value === undefined ? environment.delete(key) : environment.set(key, value)),
  };
}

/** Where startWorker's bootstrap leaves the worker's WorkerContextMessage before it imports the worker's module. */
export const STARTED_KEY = Symbol.for('deadbolt.startedBy.v1');

/**
 * This thread's context in a browser, made on first call: a worker's from what startWorker sent it, a page's main
 * thread's (a global with a document, where SharedArrayBuffer exists) as the root. Undefined elsewhere: a Worker not
 * started by startWorker, a page that is not cross-origin isolated, and engines that are not browsers. Node never gets
 * here (ids.ts finds worker_threads first).
 */
export function browserContext(): ThreadContext | undefined {
  const global = globalThis as Record<symbol, unknown> & { document?: unknown };
  const existing = global[CONTEXT_KEY];
  if (existing !== undefined) return existing as ThreadContext;
  const started = global[STARTED_KEY] as WorkerContextMessage | undefined;
  let context: BrowserThreadContext;
  if (started !== undefined) context = contextOver(false, started.threadId, started.name, new Map(started.environment), started.url);
  else if (typeof global.document === 'object' && typeof SharedArrayBuffer === 'function') {
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    context = contextOver(true, 0, undefined, new Map([[THREAD_IDS_KEY, new SharedArrayBuffer(4)]]), page);
  } else return undefined;
  global[CONTEXT_KEY] = context;
  return context;
}

/** A thread as messages name it: "main thread", "worker 3", or "worker 'decoder' (id 3)" when it has a name. */
export function threadText(threadId: number, name: string | undefined): string {
  if (threadId === 0) return 'main thread';
  return name === undefined || name === '' ? `worker ${threadId}` : `worker '${name}' (id ${threadId})`;
}
