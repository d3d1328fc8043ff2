/**
 * A scriptable worker for tests: it rebuilds the primitives whose handles it receives in workerData, then runs
 * each message `{ target, method, args }` as `primitives[target][method](...args)` and replies
 * `{ ok: true, value }` (value only if cloneable as a primitive) or `{ ok: false, error: { name, message } }`.
 * Async methods run concurrently with later messages, so a test can start a wait and then do something else.
 */

import { parentPort, threadId, workerData } from 'node:worker_threads';
import { Mutex } from '../../src/index.js';
import { reportError } from '../harness.js';
import { rebuildAll } from './rebuild.js';

export interface Command {
  target: string;
  method: string;
  args?: unknown[];
  /** Optional tag echoed in the reply, to match replies of concurrent async commands. */
  tag?: string;
}

export interface Reply {
  ok: boolean;
  tag?: string | undefined;
  value?: unknown;
  error?: { name: string; message: string };
}

function cloneable(value: unknown): unknown {
  return value === null || ['number', 'string', 'boolean', 'undefined'].includes(typeof value) ? value : undefined;
}

/** Commands about the worker itself rather than a primitive. */
function threadCommand(command: Command): unknown {
  if (command.method === 'newIds') return Array.from({ length: command.args![0] as number }, () => new Mutex().id);
  return threadId;
}

if (parentPort !== null) {
  const port = parentPort;
  const primitives = rebuildAll((workerData as { handles: Record<string, { kind: string }> }).handles) as unknown as Record<
    string,
    Record<string, (...args: unknown[]) => unknown>
  >;
  port.on('message', (command: Command) => {
    const reply = (r: Reply): void => port.postMessage({ ...r, tag: command.tag });
    try {
      if (command.target === 'thread') return reply({ ok: true, value: threadCommand(command) });
      const target = primitives[command.target]!;
      const result = target[command.method]!.apply(target, command.args ?? []);
      if (result instanceof Promise) {
        result.then(
          (value: unknown) => reply({ ok: true, value: cloneable(value) }),
          (error: unknown) => reply({ ok: false, error: reportError(error) }),
        );
      } else {
        reply({ ok: true, value: cloneable(result) });
      }
    } catch (error) {
      reply({ ok: false, error: reportError(error) });
    }
  });
  port.postMessage({ ok: true, value: 'ready' });
}
