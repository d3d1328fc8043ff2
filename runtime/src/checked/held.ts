/**
 * What the calling thread holds, in checked mode only, with the call site of each acquisition. Thread-local by
 * construction: module state is per thread (each worker has its own module instances).
 */

import { codeStartStack } from '../code-start.js';

export interface HeldEntry {
  id: number;
  label: string;
  rank: number | undefined;
  site: string;
}

/** Locks held by this thread, oldest first. */
export const held: HeldEntry[] = [];

/** Where a stack frame points: its file (URL or path), line and column. */
interface Place {
  file: string;
  line: number;
  column: number;
}

/** The place at the end of one stack line ("at f (file:1:2)" or "at file:1:2"), if it names a URL or path. */
function placeOf(frame: string): Place | undefined {
  const m = /((?:[a-z][a-z0-9+.-]*:\/\/|\/)[^\s()]*?):(\d+):(\d+)\)?$/.exec(frame);
  return m === null ? undefined : { file: m[1]!, line: Number(m[2]), column: Number(m[3]) };
}

/** The place of the first frame of a stack, i.e. the code that made it. */
function firstPlace(stack: string): Place | undefined {
  const frame = stack.split('\n').find((line) => line.trim().startsWith('at '));
  return frame === undefined ? undefined : placeOf(frame.trim());
}

const before = (a: Place, b: Place): boolean => a.line < b.line || (a.line === b.line && a.column <= b.column);

/**
 * Which frames are the runtime's own, skipped when naming a call site. Loaded as separate files (dist/src, or a
 * bundler's file holding only the runtime), that is every frame in the runtime's directory. Bundled into one file with
 * the program, the directory would match the program's frames too, so the runtime is the span of that file from
 * code-start.ts's top level to code-end.ts's (bundlers keep a module's code together, in the order modules run).
 * Found from stacks, not import.meta.url, which IIFE and CommonJS bundles lack.
 */
let isRuntimeFrame = inDirectoryOf(firstPlace(codeStartStack));

/** Frames in the directory of `place`'s file (nothing when no frame named a URL or path). */
function inDirectoryOf(place: Place | undefined): (frame: string) => boolean {
  if (place === undefined) return () => false;
  const dir = new URL('./', place.file.startsWith('/') ? `file://${place.file}` : place.file).href;
  const path = dir.startsWith('file://') ? decodeURIComponent(dir.slice('file://'.length)) : dir;
  return (frame) => frame.includes(dir) || frame.includes(path);
}

/** Called by code-end.ts, the runtime's last module, once every module of the runtime has run. */
export function markCodeEnd(endStack: string): void {
  const start = firstPlace(codeStartStack);
  const end = firstPlace(endStack);
  if (start === undefined || end === undefined || start.file !== end.file) return;
  isRuntimeFrame = (frame) => {
    const place = placeOf(frame);
    return place !== undefined && place.file === start.file && before(start, place) && before(place, end);
  };
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
    if (isRuntimeFrame(frame) || /(^|\()node:/.test(frame) || /(^|\()<anonymous>\)?$/.test(frame)) continue;
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
