// Deadlines for the extension's tests: a wait on another process (the bundled adapter, code-server) is bounded and
// fails with an error naming what did not happen, so a hang is a red test, never a stuck run.

/** Settles as `promise` does, or rejects once `ms` have passed with the error "no `what` within `ms` ms". */
export async function withDeadline<T>(promise: Promise<T>, what: string, ms: number): Promise<T> {
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
