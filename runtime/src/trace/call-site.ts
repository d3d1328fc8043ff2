/**
 * Cheap-as-possible call sites: capture an Error now (the costly part is formatting, which waits until a site is
 * needed), then keep only the frames outside the runtime, so a site names the user's line, not Mutex internals.
 */
import { fileURLToPath } from 'node:url';
import type { TraceFrame } from './events.js';

/**
 * The runtime's compiled sources (dist/src/) and, when source maps rewrite frames, its TypeScript sources (src/):
 * frames in either are the runtime's own.
 */
const RUNTIME_DIRS = [fileURLToPath(new URL('../', import.meta.url)), fileURLToPath(new URL('../../../src/', import.meta.url))];
/** Frames kept per site; enough to see the path into a wait without bloating the trace. */
const MAX_FRAMES = 12;
/** Frames captured: the runtime's own frames come first and are dropped. */
const CAPTURE_LIMIT = MAX_FRAMES + 12;

export function captureStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = CAPTURE_LIMIT;
  const error = new Error();
  Error.stackTraceLimit = limit;
  return error;
}

/** Formats a captured stack into the site text the trace carries: one `name\tfile\tline\tcolumn` line per frame. */
export function siteText(error: Error): string {
  return encodeFrames(userFrames(parseStack(error.stack ?? '')));
}

/** Parses V8 stack text (as `--enable-source-maps` rewrites it, when on) into frames. */
export function parseStack(stack: string): TraceFrame[] {
  const frames: TraceFrame[] = [];
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const m = /^at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    let file = m[2]!;
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file);
      } catch {
        // Keep the URL text when it is not a valid file URL.
      }
    }
    frames.push({ name: m[1] ?? '<anonymous>', file, line: Number(m[3]), column: Number(m[4]) });
  }
  return frames;
}

/** Drops the runtime's frames and Node's internals, keeping the program's. */
export function userFrames(frames: TraceFrame[]): TraceFrame[] {
  return frames
    .filter((f) => !RUNTIME_DIRS.some((dir) => f.file.startsWith(dir)) && !f.file.startsWith('node:') && !f.file.startsWith('internal/'))
    .slice(0, MAX_FRAMES);
}

export function encodeFrames(frames: TraceFrame[]): string {
  return frames.map((f) => `${f.name}\t${f.file}\t${f.line}\t${f.column}`).join('\n');
}

export function decodeFrames(text: string): TraceFrame[] {
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const [name = '', file = '', l = '0', c = '0'] = line.split('\t');
    return { name, file, line: Number(l), column: Number(c) };
  });
}
