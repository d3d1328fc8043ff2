/**
 * What the debugger shows for one thread, as DAP bodies built from the wait-for graph: the stack (where it waits,
 * then one frame per lock it holds, at the line that took it), and the scopes and variables of its locks.
 */
import { basename } from 'node:path';
import { Scope, Source, StackFrame } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceFrame } from '@deadbolt/runtime/trace';
import type { WaitForGraph } from './wait-for-graph.js';

/** Frame ids and variable references pack the thread: thread slot * FRAMES_PER_THREAD + index. */
const FRAMES_PER_THREAD = 1000;
const WAIT_SCOPE = 1;
const HELD_SCOPE = 2;
const SCOPES_PER_THREAD = 10;

/** How the session converts positions and paths to the client's conventions. */
export interface ClientConventions {
  line(line: number): number;
  column(column: number): number;
  path(path: string): string;
}

export function threadOfFrame(frameId: number): number {
  return Math.floor(frameId / FRAMES_PER_THREAD) - 1;
}

export function holdFrames(graph: WaitForGraph, thread: number, client: ClientConventions): DebugProtocol.StackFrame[] {
  const info = graph.thread(thread);
  if (info === undefined) return [];
  const frames: DebugProtocol.StackFrame[] = [];
  const idBase = (thread + 1) * FRAMES_PER_THREAD;
  const frame = (name: string, site: TraceFrame | undefined): DebugProtocol.StackFrame => {
    const id = idBase + frames.length;
    if (site === undefined) return new StackFrame(id, name);
    return new StackFrame(id, name, new Source(basename(site.file), client.path(site.file)), client.line(site.line), client.column(site.column));
  };
  if (info.state === 'waiting' && info.wait !== undefined) {
    const lock = graph.lockLabel(info.wait.lock);
    const holders = graph.holders(info.wait.lock).filter((h) => h !== thread).map((h) => graph.threadLabel(h));
    const note = `waits for ${lock}${holders.length > 0 ? ` (held by ${holders.join(', ')})` : ''}`;
    if (info.wait.frames.length === 0) frames.push(frame(note, undefined));
    info.wait.frames.forEach((f, i) => frames.push(frame(i === 0 ? `${f.name}: ${note}` : f.name, f)));
  }
  // Most recent hold first, like a stack: the lock taken last sits nearest the wait.
  for (const held of [...info.held].reverse()) {
    const label = `holds ${graph.lockLabel(held.lock)}${held.site !== undefined && !held.exact ? ' (site sampled earlier)' : ''}`;
    const f = frame(label, held.site);
    f.presentationHint = 'label';
    frames.push(f);
  }
  if (frames.length === 0) {
    const f = frame(info.state === 'exited' ? 'exited' : 'running (holds no lock, waits for none)', undefined);
    f.presentationHint = 'label';
    frames.push(f);
  }
  return frames;
}

export function scopesFor(graph: WaitForGraph, thread: number): DebugProtocol.Scope[] {
  const info = graph.thread(thread);
  if (info === undefined) return [];
  const base = (thread + 1) * SCOPES_PER_THREAD;
  const scopes: DebugProtocol.Scope[] = [];
  if (info.wait !== undefined) scopes.push(new Scope('Waiting for', base + WAIT_SCOPE, false));
  scopes.push(new Scope(`Held locks (${info.held.length})`, base + HELD_SCOPE, false));
  return scopes;
}

export function variablesFor(graph: WaitForGraph, reference: number, now: number): DebugProtocol.Variable[] {
  const thread = Math.floor(reference / SCOPES_PER_THREAD) - 1;
  const info = graph.thread(thread);
  if (info === undefined) return [];
  const variable = (name: string, value: string): DebugProtocol.Variable => ({ name, value, variablesReference: 0 });
  if (reference % SCOPES_PER_THREAD === WAIT_SCOPE) {
    const wait = info.wait;
    if (wait === undefined) return [];
    const holders = graph.holders(wait.lock).map((h) => `${graph.threadLabel(h)} (threadId ${h})`);
    return [
      variable('lock', graph.lockLabel(wait.lock)),
      variable('kind', wait.kind),
      variable('held by', holders.length > 0 ? holders.join(', ') : 'nobody'),
      variable('waiting for', `${((now - wait.since) / 1000).toFixed(1)} s`),
      ...(wait.frames[0] !== undefined ? [variable('waits at', place(wait.frames[0]))] : []),
    ];
  }
  return info.held.map((h) =>
    variable(graph.lockLabel(h.lock), h.site === undefined ? 'taken (site not captured)' : `taken at ${place(h.site)}${h.exact ? '' : ' (sampled)'}`),
  );
}

function place(frame: TraceFrame): string {
  return `${basename(frame.file)}:${frame.line}:${frame.column}`;
}
