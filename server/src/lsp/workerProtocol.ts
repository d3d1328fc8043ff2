/**
 * The messages between the language server's main thread and its analysis worker, and the layout of the
 * shared cancellation word. The worker owns every engine Workspace and the lock graphs they produce; the main
 * thread only speaks LSP.
 */
import type { Hover, Position } from 'vscode-languageserver/node';
import type { AnalyzeOptions, Finding } from '../engine/index.js';
import type { StaticLockGraph } from '../protocol/index.js';

/** What the main thread asks of the worker. Every `root` names one engine Workspace (one workspace folder, or loose files). */
export type WorkerRequest =
  | { type: 'open'; root: string; options: Omit<AnalyzeOptions, 'onProgress'> }
  | { type: 'close'; root: string }
  | { type: 'setFile'; root: string; path: string; text: string }
  | { type: 'removeFile'; root: string; path: string }
  | { type: 'analyze'; root: string; id: number; generation: number }
  | { type: 'query'; root: string; id: number; query: GraphQuery };

/**
 * Questions about a root's last analysis. The graph stays in the worker: on a large workspace it is megabytes with
 * every acquisition chain, and copying it to the main thread after every edit would cost more than many analyses;
 * the narrowed answer is what crosses. `fixes` asks for the fixes of some findings of that analysis type-checked by
 * the engine's gate (only the worker holds the program): the findings come back with the fixes that pass, all of
 * them or, with `safeOnly`, the safe ones (what a fix-all applies). An edit newer than `generation` stops the check
 * through the cancellation word, as it stops an analysis, and the answer is then no findings: the request is moot.
 */
export type GraphQuery =
  | { kind: 'graph'; uris?: string[] }
  | { kind: 'hover'; uri: string; position: Position; word: string | undefined }
  | { kind: 'fixes'; findings: Finding[]; safeOnly: boolean; generation: number };

export type QueryResult = StaticLockGraph | Hover | Finding[] | null;

/** What the worker answers. `analyze` and `query` are answered; the other requests are applied in order, silently. */
export type WorkerResponse =
  | {
      type: 'analyzed';
      id: number;
      findings: Finding[];
      files: number;
      /** Root walks the engine ran and reused (see AnalysisResult.walks). */
      walks: { run: number; reused: number };
      elapsedMs: number;
      /** The findings came from a results cache (`deadbolt check --cache`'s) that nothing changed since. */
      cached?: string;
      /** The root's files, sent only when they changed since the root's previous answer (they rarely do). */
      rootFiles?: readonly string[];
    }
  | { type: 'cancelled'; id: number }
  | { type: 'failed'; id: number; message: string }
  | { type: 'answer'; id: number; result: QueryResult }
  | { type: 'log'; level: 'error' | 'info'; message: string };

/**
 * Index of the slot of the cancellation Int32Array that holds the newest edit generation of the root being analysed.
 * The main thread stores a generation there when an edit makes the running analysis stale; the worker loads it
 * from the engine's progress callback and abandons the run when it is newer than the run's own generation.
 * A plain message could not do this: the worker's event loop is busy inside the synchronous analysis.
 */
export const NEWEST_GENERATION = 0;
/** Slots in the cancellation buffer. */
export const CANCEL_SLOTS = 1;
