/**
 * Puts one thread under tracing: builds its RingTracer over the shared buffer, installs it in the hooks the
 * primitives call, and reports the thread's start, uncaught errors and exit.
 */
import { threadId } from 'node:worker_threads';
import { installTracer } from './hooks.js';
import { viewsOf } from './layout.js';
import { RingTracer } from './ring-tracer.js';

/** environmentData key of the trace buffer: cloned into every worker, and a SharedArrayBuffer clones as shared memory. */
export const TRACE_BUFFER_KEY = 'deadbolt:trace-buffer';
/** environmentData key under which a patched Worker constructor tells the bootstrap which module to run. */
export const WORKER_ENTRY_KEY = 'deadbolt:worker-entry';

export function traceThisThread(sab: SharedArrayBuffer): RingTracer {
  const tracer = new RingTracer(viewsOf(sab), threadId);
  installTracer(tracer);
  tracer.threadStart();
  // The monitor variant observes an uncaught error without changing what happens next (the thread still dies).
  process.on('uncaughtExceptionMonitor', (error: unknown) => {
    tracer.threadError(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  });
  process.on('exit', (code) => tracer.threadExit(threadId, code));
  return tracer;
}
