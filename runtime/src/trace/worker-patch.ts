/**
 * Wraps `worker_threads.Worker` so every worker the program creates starts traced: Node 20 runs `--import`
 * preloads in the main thread only, so the worker runs our bootstrap first, which installs the tracer and then
 * imports the real entry. The wrapper also names the worker (its `name` option, else its file name) and reports its exit.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as workerThreads from 'node:worker_threads';
import { WORKER_ENTRY_KEY } from './thread-setup.js';
import type { RingTracer } from './ring-tracer.js';

/** What the bootstrap needs to know about the worker it starts. */
export interface WorkerEntry {
  entry: string;
  /** The program asked for the worker's stdout/stderr as streams, so the bootstrap must not redirect them. */
  stdout: boolean;
  stderr: boolean;
}

export function patchWorker(tracer: RingTracer, bootstrap: URL): void {
  const Original = workerThreads.Worker;
  class Worker extends Original {
    constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
      const entry = options.eval === true ? undefined : entryHref(filename);
      if (entry !== undefined) {
        const info: WorkerEntry = { entry, stdout: options.stdout === true, stderr: options.stderr === true };
        // environmentData is cloned at construction, so setting it just before and clearing it just after scopes it to this worker.
        workerThreads.setEnvironmentData(WORKER_ENTRY_KEY, JSON.stringify(info));
      }
      super(entry === undefined ? filename : bootstrap, options);
      if (entry !== undefined) workerThreads.setEnvironmentData(WORKER_ENTRY_KEY, undefined);
      const child = this.threadId;
      tracer.threadName(child, options.name ?? (entry === undefined ? `eval worker ${child}` : nameOf(entry)));
      // An 'exit' listener only observes; ('error' would not be safe: listening to it stops the error from crashing the program).
      this.on('exit', (code: number) => tracer.threadExit(child, code));
    }
  }
  // The CommonJS exports object is the writable one; syncing makes the ESM named export follow it.
  const cjs = createRequire(import.meta.url)('node:worker_threads') as { Worker: typeof Original };
  cjs.Worker = Worker;
  syncBuiltinESMExports();
}

function entryHref(filename: string | URL): string {
  if (filename instanceof URL) return filename.href;
  return pathToFileURL(filename).href;
}

function nameOf(href: string): string {
  if (!href.startsWith('file:')) return 'worker';
  return basename(new URL(href).pathname).replace(/\.[cm]?[jt]s$/, '');
}
