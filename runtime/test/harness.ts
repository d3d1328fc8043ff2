/**
 * Helpers for the runtime's worker tests: start a worker script from ./workers, read its messages in order
 * (buffered, so none is lost between two awaits), bound every wait on another thread with a deadline that names
 * what did not happen, and make sure every worker a test started is gone when the test ends. The test runner also
 * executes this file on its own when it scans dist/test; it does nothing then.
 */

import { Worker } from 'node:worker_threads';

/**
 * How long a test waits for something that must happen: far above the runtime's recheck interval and anything a
 * two-core machine shared with other busy processes needs to start a worker, far below the runner's per-file
 * timeout. A bound on a hang, never a sleep a test relies on.
 */
export const WITHIN_MS = 60_000;

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

/** For a polling loop: a check that throws "no `what` within `ms` ms" once `ms` have passed since this call. */
export function pollingDeadline(what: string, ms = WITHIN_MS): () => void {
  const end = performance.now() + ms;
  return () => {
    if (performance.now() > end) throw new Error(`no ${what} within ${ms} ms`);
  };
}

/**
 * Resolves once `view[index]` no longer holds `value`. Atomics.waitAsync answers at once, with `async: false`
 * and no promise, when the word has already changed (another thread may store before this one gets to wait),
 * so both answers are read; the loop also rides out a wake-up that left the value as it was.
 */
export async function untilChanged(view: Int32Array, index: number, value: number): Promise<void> {
  while (Atomics.load(view, index) === value) {
    const result = Atomics.waitAsync(view, index, value);
    if (result.async) await result.value;
  }
}

/** A started worker with its messages queued for `next()`. */
export class TestWorker {
  readonly worker: Worker;
  /** Settles with the exit code; listened for from the start, so an exit is never missed. */
  readonly exit: Promise<number>;
  readonly #name: string;
  readonly #queue: unknown[] = [];
  readonly #waiting: { resolve(message: unknown): void; reject(error: Error): void }[] = [];
  #failure: Error | undefined;

  constructor(name: string, workerData: unknown) {
    this.#name = name;
    this.worker = new Worker(new URL(`./workers/${name}.js`, import.meta.url), { workerData });
    this.worker.on('message', (message: unknown) => {
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter.resolve(message);
      else this.#queue.push(message);
    });
    // A crash is reported on a channel of its own and can overtake the messages posted before it; Node delivers
    // those before 'exit', so waiters fail only then, and a crash right after a message never hides that message.
    let crash: Error | undefined;
    this.worker.on('error', (error: Error) => (crash ??= error));
    this.exit = new Promise((resolve) =>
      this.worker.on('exit', (code: number) => {
        this.#fail(crash ?? new Error(`worker ${name} exited with code ${code}`));
        resolve(code);
      }),
    );
  }

  /**
   * The next message; rejects if the worker fails or exits before sending one, or if none comes within `ms`
   * (the error then names the worker and `what` was expected).
   */
  next<T>(what = 'a message', ms = WITHIN_MS): Promise<T> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift() as T);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        resolve: (message: unknown) => (clearTimeout(timer), resolve(message as T)),
        reject: (error: Error) => (clearTimeout(timer), reject(error)),
      };
      // On the deadline the waiter leaves the line, so a message that comes later stays queued for the next reader.
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new Error(`worker ${this.#name}: no ${what} within ${ms} ms`));
      }, ms);
      this.#waiting.push(waiter);
    });
  }

  /** Waits for the worker to exit; if it does not within `ms`, the error names `what` and the unread messages. */
  async exited(what: string, ms = WITHIN_MS): Promise<number> {
    try {
      return await withDeadline(this.exit, `exit of worker ${this.#name} (${what})`, ms);
    } catch (error) {
      throw new Error(`${(error as Error).message}; unread messages: ${JSON.stringify(this.#queue)}`);
    }
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
  }
}

/** Runs `fn`, terminating every worker it started afterwards, even when `fn` fails. */
export async function withWorkers<T>(fn: (start: (name: string, data: unknown) => TestWorker) => Promise<T>): Promise<T> {
  const started: TestWorker[] = [];
  try {
    return await fn((name, data) => {
      const worker = new TestWorker(name, data);
      started.push(worker);
      return worker;
    });
  } finally {
    await withDeadline(Promise.all(started.map((w) => w.worker.terminate())), "termination of the test's workers");
  }
}

/** What a worker reports when an operation threw, so tests can assert on errors raised in other threads. */
export interface ReportedError {
  name: string;
  message: string;
}

export function reportError(error: unknown): ReportedError {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'non-Error', message: String(error) };
}

/** Sends one command to an agent worker (see workers/agent.ts) and returns its reply. */
export async function call(agent: TestWorker, target: string, method: string, ...args: unknown[]): Promise<{ ok: boolean; value?: unknown; error?: ReportedError }> {
  agent.post({ target, method, args });
  return agent.next(`the reply to ${target}.${method}()`);
}

/** Starts an agent holding rebuilt copies of `handles`, once it reports ready. */
export async function startAgent(start: (name: string, data: unknown) => TestWorker, handles: Record<string, unknown>): Promise<TestWorker> {
  const agent = start('agent', { handles });
  await agent.next("the agent's ready");
  return agent;
}

/** The next message with this event, failing after `ms` (a bound on a hang, not a sleep the test relies on). */
export async function expectEvent(worker: TestWorker, event: string, what: string, ms = WITHIN_MS): Promise<Record<string, unknown>> {
  const end = performance.now() + ms;
  for (;;) {
    const left = Math.max(0, Math.ceil(end - performance.now()));
    const message = await worker.next<Record<string, unknown>>(`'${event}' from the ${what}`, left);
    if (message['event'] === event) return message;
    if (message['event'] === 'failed') throw new Error(`${what}: ${JSON.stringify(message['error'])}`);
  }
}
