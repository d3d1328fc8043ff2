/**
 * Helpers for the runtime's worker tests: start a worker script from ./workers, read its messages in order
 * (buffered, so none is lost between two awaits), and make sure every worker a test started is gone when the
 * test ends. The test runner also executes this file on its own when it scans dist/test; it does nothing then.
 */

import { Worker } from 'node:worker_threads';

/** A started worker with its messages queued for `next()`. */
export class TestWorker {
  readonly worker: Worker;
  readonly #queue: unknown[] = [];
  readonly #waiting: { resolve(message: unknown): void; reject(error: Error): void }[] = [];
  #failure: Error | undefined;

  constructor(name: string, workerData: unknown) {
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
    this.worker.on('exit', (code: number) => this.#fail(crash ?? new Error(`worker ${name} exited with code ${code}`)));
  }

  /** The next message; rejects if the worker fails or exits before sending one. */
  next<T>(): Promise<T> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift() as T);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => this.#waiting.push({ resolve: resolve as (m: unknown) => void, reject }));
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
    await Promise.all(started.map((w) => w.worker.terminate()));
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
  return agent.next();
}

/** Starts an agent holding rebuilt copies of `handles`, once it reports ready. */
export async function startAgent(start: (name: string, data: unknown) => TestWorker, handles: Record<string, unknown>): Promise<TestWorker> {
  const agent = start('agent', { handles });
  await agent.next();
  return agent;
}

/** How long a test waits for something that must happen: far above the runtime's recheck interval, far below a hang. */
export const WITHIN_MS = 5_000;

/** The next message with this event, failing after WITHIN_MS (a bound on a hang, not a sleep the test relies on). */
export async function expectEvent(worker: TestWorker, event: string, what: string): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no '${event}' within ${WITHIN_MS} ms`)), WITHIN_MS);
  });
  try {
    for (;;) {
      const message = await Promise.race([worker.next<Record<string, unknown>>(), deadline]);
      if (message['event'] === event) return message;
      if (message['event'] === 'failed') throw new Error(`${what}: ${JSON.stringify(message['error'])}`);
    }
  } finally {
    clearTimeout(timer);
  }
}
