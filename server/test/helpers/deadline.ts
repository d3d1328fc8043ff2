/**
 * Deadlines for the server's tests: every wait on another process (a child's exit, a protocol response, a
 * notification or an event) is bounded and fails with an error naming what did not happen, so a hang is a red
 * test, never a stuck run.
 */
import type { ChildProcess } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';

/**
 * How long a test waits for something another process must do: far above what a two-core machine shared with
 * other busy processes needs to start node, analyse a fixture or answer a request (a CLI run has been seen to
 * take a minute there), far below the runner's per-file timeout. A bound on a hang, never a sleep a test relies on.
 */
export const WITHIN_MS = 120_000;

/** Settles as `promise` does, or rejects once `ms` have passed with the error "no `what` within `ms` ms". */
export async function withDeadline<T>(promise: Promise<T>, what: string, ms = WITHIN_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The exit of `child` (once its output streams are closed too), or, if it has not exited within `ms`, an error
 * naming `what`; the child is then killed, so it outlives neither the test nor the run.
 */
export async function closed(child: ChildProcess, what: string, ms = WITHIN_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  try {
    return await withDeadline(done, `exit of ${what}`, ms);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/**
 * A DebugClient whose every request has a deadline: the library bounds its event waits by `defaultTimeout` but not
 * its requests, so an adapter that never answers would hang `launch`, `threads` or the `disconnect` of `stop()`.
 */
export class BoundedDebugClient extends DebugClient {
  override send(command: string, args?: unknown): Promise<any> {
    return withDeadline(super.send(command, args), `response to '${command}' from the adapter`, this.defaultTimeout);
  }
}
