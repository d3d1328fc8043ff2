/** The shared control block and job description that the contended benchmark's main thread and workers agree on. */
import type { Mutex } from '../src/index.js';

export const S_READY = 0;
export const S_GO = 1;
export const S_TURN = 2;
export const S_COUNTER = 3;
export const SHARED_INT32S = 4;

export interface ContentionJob {
  kind: 'deadbolt' | 'futex';
  mode: 'throughput' | 'pingpong';
  id: number;
  iterations: number;
  /** Loop steps of private work between critical sections (throughput mode). */
  work: number;
  /** Diagnostic runs: count lock calls that miss the fast path (and so may sleep) instead of timing. */
  countSlowPaths: boolean;
  shared: SharedArrayBuffer;
  futexCell: SharedArrayBuffer;
  mutexHandle: Mutex['handle'];
}
