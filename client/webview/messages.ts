/**
 * The messages between the extension host and the lock-graph webview, declared once and imported by both
 * sides (src/graphPanel and webview/main.ts), so a renamed field breaks the build instead of the panel.
 */
import type { LiveLockGraph, SourceLocation, StaticLockGraph } from '@deadbolt/server/protocol';

/**
 * Sent by the extension: a new static graph (from `deadbolt/lockGraph`), a live one (from a debug session), the
 * file the user is editing (for the "one file" view), a place whose cycle to focus (the "Show in Lock Graph" code
 * action of a lock-order diagnostic), or an error.
 */
export type ToWebview =
  | { type: 'static'; graph: StaticLockGraph }
  | { type: 'live'; graph: LiveLockGraph; session: string }
  | { type: 'liveEnded'; session: string }
  | { type: 'activeFile'; uri?: string }
  | { type: 'focusCycle'; place: SourceLocation }
  | { type: 'error'; message: string };

/** What a drawn graph contains; the webview reports it after every render so tests and logs can see the result. */
export interface RenderSummary {
  mode: 'static' | 'live';
  nodes: number;
  edges: number;
  cycles: number;
  cycleNodes: string[];
}

/** Sent by the webview: it is ready for data, the user wants a site opened or a refresh, or a render finished. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; location: SourceLocation }
  | { type: 'refresh' }
  | ({ type: 'rendered' } & RenderSummary);
