/**
 * `node --import @deadbolt/runtime/dist/src/trace/preload.js program.js`: what the debug adapter runs (and what the
 * VS Code extension adds to a JavaScript debugger launch with lock tracing on). When DEADBOLT_TRACE names a channel,
 * creates the trace buffer, starts the collector thread that forwards it, traces the main thread, and patches Worker
 * so every worker is traced. Without DEADBOLT_TRACE it does nothing.
 */
import { isMainThread, setEnvironmentData, Worker } from 'node:worker_threads';
import { parseChannel } from './channel.js';
import { TRACE_ENV } from './events.js';
import { createTraceBuffer, H_FLUSH_REQUEST, H_FLUSHED, H_WAKE, viewsOf } from './layout.js';
import { TRACE_BUFFER_KEY, traceThisThread } from './thread-setup.js';
import { traceAsyncLocks } from './async-locks.js';
import { patchWorker } from './worker-patch.js';

/** How long the exiting program waits for the collector to forward the last events. */
const EXIT_FLUSH_MS = 1000;

const spec = process.env[TRACE_ENV];
if (isMainThread && spec !== undefined) {
  // Child processes of the program must not write into our channel: their fd numbers mean something else.
  delete process.env[TRACE_ENV];
  const channel = parseChannel(spec);
  const sab = createTraceBuffer();
  setEnvironmentData(TRACE_BUFFER_KEY, sab);
  // The collector is created before Worker is patched, so it is never traced itself; unref'd, it never keeps the program alive.
  const collector = new Worker(new URL('./collector.js', import.meta.url), { workerData: { sab, channel }, name: 'deadbolt collector' });
  collector.unref();
  const tracer = traceThisThread(sab);
  patchWorker(tracer, new URL('./worker-bootstrap.js', import.meta.url));
  // Registered after traceThisThread's exit hook, so the main thread's exit event is in the ring before the flush.
  process.on('exit', () => flushBeforeExit(sab));
  // Web Locks and async-mutex go through the same ring; awaited, so they are traced before the program's first line.
  await traceAsyncLocks(tracer, process.argv[1]);
}

/** Asks the collector to forward everything now and waits (bounded) for its acknowledgement. */
function flushBeforeExit(sab: SharedArrayBuffer): void {
  const { i32 } = viewsOf(sab);
  const seen = Atomics.load(i32, H_FLUSHED);
  Atomics.store(i32, H_FLUSH_REQUEST, 1);
  // Bumping the wake word (not only notifying) makes a collector that is between drain and park see the request.
  Atomics.add(i32, H_WAKE, 1);
  Atomics.notify(i32, H_WAKE);
  Atomics.wait(i32, H_FLUSHED, seen, EXIT_FLUSH_MS);
}
