/**
 * The death source on Node: the thread that creates a Worker hears its 'exit' (termination, an uncaught error and
 * process.exit alike) and reports the worker's thread dead. Node emits 'worker' on the creating thread's `process`
 * for every Worker made there, so no constructor needs wrapping; workers created before this thread loaded the
 * runtime, or by a thread that never loads it, are left to the probes (thread-table.ts).
 */

import { reportExited, table } from './thread-table.js';

interface WorkerLike {
  readonly threadId: number;
  once(event: 'exit', listener: () => void): unknown;
}

interface ProcessLike {
  on(event: 'worker', listener: (worker: WorkerLike) => void): unknown;
}

/** Set on the thread's global once, so several copies of the runtime in one thread listen once. */
const LISTENING_KEY = Symbol.for('deadbolt.workerExits.v2');

function listen(): void {
  const proc = (globalThis as { process?: Partial<ProcessLike> }).process;
  const global = globalThis as Record<symbol, unknown>;
  if (table === undefined || typeof proc?.on !== 'function' || global[LISTENING_KEY] === true) return;
  global[LISTENING_KEY] = true;
  proc.on('worker', (worker) => {
    // threadId reads -1 once the worker has exited, so it is taken now.
    const threadId = worker.threadId;
    // Only observes: an 'exit' listener changes nothing about how the worker ends (an 'error' listener would).
    worker.once('exit', () => reportExited(threadId));
  });
}

listen();
