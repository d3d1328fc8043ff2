/** @deadbolt/runtime/trace: tracing for the debug adapter: the tracer seam, the trace wire format and the ring codec. */
export { installTracer, type Tracer, type WaitKind } from './hooks.js';
export type { TraceBatch, TraceEvent, TraceFrame, TraceHeld, TraceHoldings } from './events.js';
export { TRACE_ENV } from './events.js';
export { createTraceBuffer, viewsOf, RecordKind, TASK_THREAD_BASE, type TraceViews } from './layout.js';
export { RingReader, RingWriter, type RawRecord } from './ring.js';
export { TraceDecoder } from './decoder.js';
export { HeldTableWriter, readHeldTables, type HeldEntry, type HeldSnapshot } from './held-table.js';
export { RingTracer } from './ring-tracer.js';
export { decodeFrames, encodeFrames, parseStack } from './call-site.js';

/** The module the adapter passes to `node --import` to trace a program. */
export const PRELOAD_URL = new URL('./preload.js', import.meta.url).href;
