/**
 * The first module of every traced worker: installs tracing, makes the worker's output independent of its parent,
 * then imports the worker's real entry (named by the patched Worker constructor through environmentData).
 */
import { writeSync } from 'node:fs';
import { getEnvironmentData } from 'node:worker_threads';
import { TRACE_BUFFER_KEY, traceThisThread, WORKER_ENTRY_KEY } from './thread-setup.js';
import { traceAsyncLocks } from './async-locks.js';
import { patchWorker, type WorkerEntry } from './worker-patch.js';

const sab = getEnvironmentData(TRACE_BUFFER_KEY) as SharedArrayBuffer;
const info = JSON.parse(getEnvironmentData(WORKER_ENTRY_KEY) as string) as WorkerEntry;
const tracer = traceThisThread(sab);
patchWorker(tracer, new URL(import.meta.url));
// A worker's stdout normally travels through its parent's event loop, which a parent blocked in Atomics.wait never
// runs; writing to the process's own descriptors lets a deadlocked program's output still reach the debugger.
if (!info.stdout) writeDirectly(process.stdout, 1);
if (!info.stderr) writeDirectly(process.stderr, 2);
await traceAsyncLocks(tracer, info.entry);
await import(info.entry);

function writeDirectly(stream: NodeJS.WriteStream, fd: number): void {
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean => {
    writeSync(fd, typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof stream.write;
}
