/**
 * Shared by the adapter tests: starts `deadbolt-dap` under a DebugClient, records every event from the start (so none
 * is missed between requests), locates fixture programs, and reads the line numbers their marker comments give.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { BoundedDebugClient, WITHIN_MS } from '../helpers/deadline.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ADAPTER = `${ROOT}server/bin/deadbolt-dap.js`;
/** Bound on anything the adapter must do (start node, spawn workers, detect, answer), generous for a loaded machine. */
export const EVENT_TIMEOUT_MS = WITHIN_MS;

/** The TypeScript source of a fixture program. */
export function fixtureSource(name: string): string {
  return `${ROOT}test-fixtures/programs/${name}.ts`;
}

/** The compiled JavaScript of a fixture program (source maps point back at the .ts). */
export function fixtureProgram(name: string): string {
  return `${ROOT}test-fixtures/dist/programs/${name}.js`;
}

/** The 1-based line of the fixture source carrying `// @marker`. */
export function markerLine(name: string, marker: string): number {
  const lines = readFileSync(fixtureSource(name), 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(`// @${marker}`));
  if (index < 0) throw new Error(`no // @${marker} in ${name}.ts`);
  return index + 1;
}

export interface Session {
  client: DebugClient;
  events: DebugProtocol.Event[];
  /** Resolves with the first recorded event (past or future) of `type` that satisfies `match`. */
  waitFor(type: string, match?: (e: DebugProtocol.Event) => boolean): Promise<DebugProtocol.Event>;
  /** All program output and adapter messages so far, by category. */
  output(category?: string): string;
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  // The adapter runs on the Node that runs the tests (and so do the programs it starts), so a suite run under another
  // Node (test/dap/run-on-node.sh) tests the adapter there.
  // Every request and event wait of this client is bounded by EVENT_TIMEOUT_MS.
  const client = new BoundedDebugClient(process.execPath, ADAPTER, 'deadbolt');
  client.defaultTimeout = EVENT_TIMEOUT_MS;
  const events: DebugProtocol.Event[] = [];
  const waiters: { type: string; match: (e: DebugProtocol.Event) => boolean; resolve: (e: DebugProtocol.Event) => void }[] = [];
  await client.start();
  for (const type of ['output', 'stopped', 'continued', 'terminated', 'exited', 'thread', 'deadbolt/lockGraph']) {
    client.on(type, (e: DebugProtocol.Event) => {
      events.push(e);
      for (const w of [...waiters]) {
        if (w.type === type && w.match(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    });
  }
  const output = (category?: string): string =>
    events
      .filter((e) => e.event === 'output' && (category === undefined || e.body.category === category))
      .map((e) => e.body.output as string)
      .join('');
  return {
    client,
    events,
    output,
    waitFor(type, match = () => true) {
      const seen = events.find((e) => e.event === type && match(e));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${type}' event within ${EVENT_TIMEOUT_MS} ms; output so far:\n${output()}`)), EVENT_TIMEOUT_MS);
        waiters.push({ type, match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    async close() {
      await client.stop();
    },
  };
}

/** The stack of the thread named `name`, as [frame name, source path, line] rows. */
export async function stackOf(client: DebugClient, name: string): Promise<{ id: number; rows: [string, string | undefined, number][] }> {
  const threads = await client.threadsRequest();
  const thread = threads.body.threads.find((t) => t.name === name);
  if (thread === undefined) throw new Error(`no thread '${name}' among ${threads.body.threads.map((t) => t.name).join(', ')}`);
  const stack = await client.stackTraceRequest({ threadId: thread.id });
  return { id: stack.body.stackFrames[0]!.id, rows: stack.body.stackFrames.map((f) => [f.name, f.source?.path, f.line]) };
}
