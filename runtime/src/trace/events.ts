/**
 * What the collector sends to the debug adapter: decoded trace events and snapshots of who holds what, as JSON
 * lines. These types are the wire contract between a traced program and `deadbolt-dap`, which imports them.
 */
import type { WaitKind } from './hooks.js';

/** One stack frame outside the runtime. `file` is a path (source-mapped when the program has source maps). */
export interface TraceFrame {
  name: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type TraceEvent =
  | { type: 'thread-start'; thread: number; time: number }
  /** Sent by the parent when it creates a worker: `thread` is the new worker's id. */
  | { type: 'thread-name'; thread: number; name: string; parent: number }
  | { type: 'thread-exit'; thread: number; code: number; time: number }
  | { type: 'thread-error'; thread: number; message: string }
  | { type: 'created'; thread: number; lock: number; kind: string; name?: string }
  | { type: 'wait-begin'; thread: number; lock: number; waitKind: WaitKind; frames: TraceFrame[]; holding: boolean; time: number }
  | { type: 'wait-end'; thread: number; lock: number; acquired: boolean; time: number }
  | { type: 'notified'; thread: number; lock: number; count: number }
  /** An async task (`thread` at or above TASK_THREAD_BASE) took a Web Lock or async-mutex lock; see async-locks.ts. */
  | { type: 'task-held'; thread: number; lock: number; site?: TraceFrame }
  | { type: 'task-released'; thread: number; lock: number }
  /**
   * The first time `thread` took (or began to wait for) `taken` while holding `held`: an edge of the lock-order graph,
   * with the stack that took `held` and the stack taking `taken`.
   */
  | { type: 'lock-order'; thread: number; held: number; taken: number; heldAt: TraceFrame[]; takenAt: TraceFrame[]; time: number };

export interface TraceHeld {
  lock: number;
  /** Where the lock was taken, when a site was captured. */
  site?: TraceFrame;
  /** False when the site was reused from an earlier sampled acquisition of the same lock by the same thread. */
  exact: boolean;
}

export interface TraceHoldings {
  thread: number;
  held: TraceHeld[];
  overflow: number;
}

/** One line on the trace channel. */
export interface TraceBatch {
  events: TraceEvent[];
  /** Every thread's held locks at the time of the batch, read after the events. */
  holdings: TraceHoldings[];
  /** When the collector read the holdings (ms since the epoch). */
  time: number;
  /** Events lost so far because the ring was closed or full. */
  dropped: number;
}

/**
 * The environment variable naming the trace channel: `fd:<n>`, a file descriptor the adapter opened for the program,
 * or `socket:<path>`, a Unix socket (a named pipe on Windows) a debugger that did not start the program listens on.
 */
export const TRACE_ENV = 'DEADBOLT_TRACE';
