/**
 * startWorker: a Web Worker that shares the runtime's context with the thread that starts it, as every worker_threads
 * Worker does on Node: a thread id, a name for messages, the thread table (so a terminated holder is found dead) and
 * checked mode's graph. The context cannot reach a worker's module before that module's imports run, so the Worker
 * starts a small bootstrap (a blob: URL) whose first message carries the context; the bootstrap leaves it on the global
 * and only then imports the worker's module, whose copy of the runtime finds it there (browser-context.ts). Messages
 * posted meanwhile are held and dispatched once the module has loaded, so none is lost.
 */

import { STARTED_KEY, THREAD_IDS_KEY, type BrowserThreadContext, type WorkerContextMessage } from './browser-context.js';
import { workerThreads } from './ids.js';
import { liveToken, probe } from './thread-table.js';

/** The part of the DOM's Worker that startWorker uses and returns (the package's types do not assume the DOM lib). */
export interface WebWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  terminate(): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
}

export interface StartWorkerOptions {
  /** The worker's name in messages ("worker 'decoder' (id 3)") and in the browser's developer tools. */
  name?: string;
  /** 'module' (the default) for an ES module worker, 'classic' for a script loaded with importScripts. */
  type?: 'module' | 'classic';
}

interface WorkerGlobals {
  Worker?: new (url: string, options: { type: 'module' | 'classic'; name?: string }) => WebWorker;
  Blob: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL(blob: unknown): string };
}

/**
 * The bootstrap every started worker runs first. It must not load anything before the context message: the worker's
 * module is imported only once the context is on the global. A module worker's messages that arrive while its module
 * loads would find no listener yet, so they are held (the bootstrap's listener runs first) and dispatched afterwards;
 * a classic worker's importScripts is synchronous, so nothing can arrive early, and its importScripts is wrapped to
 * resolve relative URLs against the worker's script rather than the bootstrap's blob: URL. A module that fails to load is
 * rethrown from a task, which fires 'error' on the Worker as any uncaught error does.
 */
const BOOTSTRAP = `
const started = Symbol.for('${STARTED_KEY.description}');
addEventListener('message', function start(event) {
  const context = event.data;
  if (context === null || typeof context !== 'object' || context['deadbolt.context'] !== 1) return;
  event.stopImmediatePropagation();
  removeEventListener('message', start);
  globalThis[started] = context;
  if (!context.module) {
    const load = importScripts;
    // Scripts resolve against the worker's script, as they would had it been started directly, not the blob: URL.
    globalThis.importScripts = (...urls) => load(...urls.map((url) => new URL(url, context.url).href));
    return void importScripts(context.url);
  }
  const early = [];
  const hold = (message) => { message.stopImmediatePropagation(); early.push(message); };
  addEventListener('message', hold);
  const release = () => {
    removeEventListener('message', hold);
    for (const message of early) dispatchEvent(new MessageEvent('message', { data: message.data, ports: [...message.ports] }));
  };
  import(context.url).then(release, (error) => {
    release();
    setTimeout(() => { throw error; });
  });
});
`;

let bootstrapUrl: string | undefined;

/** How long after terminate() the creating thread keeps probing the worker until the engine has dropped it. */
const EXIT_PROBES_MS = [0, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560];

/**
 * Starts `url` (resolved against the page, or the starting worker's module) as a Web Worker that shares this thread's
 * runtime context. Call it where the runtime is loaded: a cross-origin isolated page, or a worker itself started by
 * startWorker. Turn checked mode on (configure) before starting workers, as on Node, so they check against its graph.
 * The returned Worker's terminate() also makes the holder's death known at once: waiters on locks it held get
 * OwnerDiedError (without it they find out by probing, within about a second).
 */
export function startWorker(url: string | URL, options: StartWorkerOptions = {}): WebWorker {
  const context = workerThreads as BrowserThreadContext | undefined;
  const globals = globalThis as unknown as WorkerGlobals;
  const ids = context?.getEnvironmentData(THREAD_IDS_KEY);
  if (typeof globals.Worker !== 'function' || typeof context?.environment !== 'function' || !(ids instanceof SharedArrayBuffer)) {
    throw new TypeError(
      'startWorker: this thread has no browser context for the runtime to hand on. Call it on a cross-origin isolated ' +
        'page or in a worker started by startWorker (on Node, worker_threads Workers receive the context by themselves)',
    );
  }
  const threadId = Atomics.add(new Int32Array(ids), 0, 1) + 1;
  const module = (options.type ?? 'module') === 'module';
  bootstrapUrl ??= globals.URL.createObjectURL(new globals.Blob([BOOTSTRAP], { type: 'text/javascript' }));
  const worker = new globals.Worker(bootstrapUrl, { type: module ? 'module' : 'classic', ...(options.name === undefined ? {} : { name: options.name }) });
  const message: WorkerContextMessage = {
    'deadbolt.context': 1,
    threadId,
    name: options.name,
    // A copy, as worker_threads takes one when a Worker is created: later changes here do not reach this worker.
    environment: context.environment(),
    url: new URL(url, context.baseUrl).href,
    module,
  };
  worker.postMessage(message);
  const terminate = worker.terminate.bind(worker);
  worker.terminate = () => {
    terminate();
    probeUntilGone(threadId, 0);
  };
  return worker;
}

/**
 * After terminate(): probes the worker until the engine has dropped its async waiters (then probe reports it dead and
 * wakes whoever waits on what it held). terminate() only asks for the end, so the worker is not reported dead outright:
 * it may still run for a moment, and a lock it holds must not be taken from it while it does.
 */
function probeUntilGone(threadId: number, attempt: number): void {
  setTimeout(() => {
    const token = liveToken(threadId);
    if (token === 0 || probe(token) || attempt + 1 >= EXIT_PROBES_MS.length) return;
    probeUntilGone(threadId, attempt + 1);
  }, EXIT_PROBES_MS[attempt]);
}
