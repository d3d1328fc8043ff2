/**
 * What the calling thread holds, in checked mode only, with the call site of each acquisition. Thread-local by
 * construction: module state is per thread (each worker has its own module instances).
 */

export interface HeldEntry {
  id: number;
  label: string;
  rank: number | undefined;
  site: string;
}

/** Locks held by this thread, oldest first. */
export const held: HeldEntry[] = [];

/**
 * Frames inside the runtime's own compiled sources are skipped when naming a call site. Where this module lives is
 * read from a stack trace taken at load rather than import.meta.url, which IIFE and CommonJS bundles lack (esbuild
 * empties import.meta there, and warns); if no frame names a URL or path, nothing is skipped by directory.
 */
const RUNTIME_DIR = runtimeDir();

function runtimeDir(): string | undefined {
  const frame = /((?:file|https?):\/\/[^\s()]+?|\/[^\s()]+?):\d+:\d+/.exec(new Error().stack?.split('\n').slice(1).join('\n') ?? '');
  if (frame === null) return undefined;
  const url = frame[1]!.startsWith('/') ? `file://${frame[1]}` : frame[1]!;
  return new URL('../', url).href;
}

/** The first stack frame outside the runtime: where user code asked for the lock. */
export function callSite(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const line of stack.split('\n').slice(1)) {
    const frame = line.trim().replace(/^at /, '');
    // Skip the runtime's own frames, Node's (node:...), and native ones such as "new Promise (<anonymous>)".
    if ((RUNTIME_DIR !== undefined && frame.includes(RUNTIME_DIR)) || /(^|\()node:/.test(frame) || /(^|\()<anonymous>\)?$/.test(frame)) continue;
    return frame;
  }
  return 'unknown location';
}

export function removeHeld(id: number): void {
  for (let i = held.length - 1; i >= 0; i--) {
    if (held[i]!.id === id) {
      held.splice(i, 1);
      return;
    }
  }
}
