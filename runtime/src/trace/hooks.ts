/**
 * The seam between the primitives and tracing. Each primitive calls the installed tracer at the points below;
 * with no tracer installed (the normal case) every call site costs one load of `tracer` and a branch.
 * The debug adapter's preload installs a tracer that writes events into shared memory (see ./index.ts).
 */

/** What a waiting primitive is waiting on, for trace events that are not plain lock acquisitions. */
export type WaitKind = 'lock' | 'semaphore' | 'condition' | 'event' | 'barrier' | 'queue';

export interface Tracer {
  /** A primitive was created or rebuilt from a handle in this thread. `id` is the process-wide lock id. */
  created(id: number, kind: string, name: string | undefined): void;
  /** This thread is about to block (or park asynchronously) waiting for `id`. */
  waitBegin(id: number, kind: WaitKind): void;
  /** The wait begun by `waitBegin` ended, with the lock taken (`acquired`) or not (timeout, abort, error). */
  waitEnd(id: number, acquired: boolean): void;
  /** This thread now holds `id` (fast path or after a wait). */
  acquired(id: number): void;
  /** This thread released `id`. */
  released(id: number): void;
  /** A notify, set or release woke up to `count` waiters of `id`. */
  notified(id: number, count: number): void;
}

/** The installed tracer, read by every primitive; `undefined` unless a program runs under tracing. */
export let tracer: Tracer | undefined;

export function installTracer(next: Tracer | undefined): void {
  tracer = next;
}
