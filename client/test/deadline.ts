// Deadlines for the extension's tests: a wait on another process (the bundled adapter, code-server) is bounded and
// fails with an error naming what did not happen, so a hang is a red test, never a stuck run.

/**
 * How long a test waits for something another process must do, as in the server's tests: far above what a two-core
 * machine shared with other busy processes needs (the bundled adapter's first esbuild-wasm compile has taken over a
 * minute there, at a load average of 30), far below the runner's per-file timeout. A bound on a hang, never a sleep.
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
