/**
 * Lock tracing for one JavaScript debugger (js-debug) session: the trace arrives on its own channel, the trace
 * monitor (the adapter's engine, `@deadbolt/server/dap/trace-monitor`) turns it into the live graph and reports, and
 * this class does what the standalone adapter would do through DAP, through js-debug instead: it pauses the threads of
 * a deadlock (each thread is a js-debug child session: the main thread's, and one "[worker <id>] ..." per worker),
 * shows where they wait, and writes reports to the Debug Console. Breakpoints, stepping, watch and the call stack
 * stay js-debug's.
 */
import * as vscode from 'vscode';
import type { TraceBatch } from '@deadbolt/runtime/trace';
import type { SourceLocation } from '@deadbolt/server/protocol';
import { locationOf } from '@deadbolt/server/dap/live-graph';
import { Throttle } from '@deadbolt/server/dap/throttle';
import { TraceMonitor } from '@deadbolt/server/dap/trace-monitor';
import type { Cycle } from '@deadbolt/server/dap/wait-for-graph';
import type { LiveGraphs } from './liveGraphs.js';
import { type TracingOptions, workerThreadOfSession } from './lockTracingConfig.js';
import { WaitMarker } from './waitMarker.js';
import { errorText } from '../errorText.js';

/** The panel and the Locks view get at most this many updates a second, as from the adapter. */
const GRAPH_UPDATES_PER_SECOND = 10;
/**
 * After pausing, VS Code opens a paused frame's source (the runtime's wait) on its own, once per paused session, when
 * it gets to it (seconds later on a busy machine); within this time, each time a file of the runtime comes to the front
 * (at most once per paused session) the waiting line is shown again, so the stop ends on the user's line.
 */
const REVEAL_WINDOW_MS = 60_000;
/**
 * A thread session that has not answered its pause within this time is reported in the Debug Console and left
 * running: the stop goes on to show where the threads wait instead of waiting on that session for ever.
 */
const PAUSE_TIMEOUT_MS = 10_000;

export class TracedJsSession implements vscode.Disposable {
  private readonly monitor = new TraceMonitor();
  private root: vscode.DebugSession | undefined;
  /** Program thread id -> the js-debug session that debugs that thread. */
  private readonly threads = new Map<number, vscode.DebugSession>();
  private readonly backlog: TraceBatch[] = [];
  private readonly graphUpdates = new Throttle(1000 / GRAPH_UPDATES_PER_SECOND, () => this.publish());
  private readonly marker: WaitMarker;
  private stopping = false;
  private ended = false;

  constructor(
    private readonly options: TracingOptions,
    private readonly graphs: LiveGraphs,
    /** The folder of the @deadbolt/runtime the program runs (a paused thread's top frames are in its wait). */
    private readonly runtimeRoot: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.marker = new WaitMarker(log);
  }

  /** The session started from the traced configuration (js-debug's launcher): the one the graph is shown for. */
  bind(root: vscode.DebugSession): void {
    this.root = root;
    this.graphs.began(root);
    for (const batch of this.backlog.splice(0)) this.onBatch(batch);
  }

  /** The session of one of the program's threads (js-debug starts one per target, under the root). */
  addThreadSession(session: vscode.DebugSession): void {
    const worker = workerThreadOfSession(session.name);
    // The first target that is not a worker is the program's process, whose session debugs the main thread.
    if (worker !== undefined) this.threads.set(worker, session);
    else if (!this.threads.has(0)) this.threads.set(0, session);
  }

  owns(session: vscode.DebugSession): boolean {
    for (let s: vscode.DebugSession | undefined = session; s !== undefined; s = s.parentSession) if (s === this.root) return true;
    return false;
  }

  onBatch(batch: TraceBatch): void {
    if (this.root === undefined) {
      // The program can report before VS Code announces the session that started it.
      this.backlog.push(batch);
      return;
    }
    const update = this.monitor.apply(batch);
    for (const text of update.abandoned) this.console(text);
    for (const found of update.potentialDeadlocks) {
      this.console(this.monitor.potentialDeadlockReport(found));
      const closing = this.monitor.closingThread(found);
      const at = found.edges[0]!.takenAt[0];
      if (this.options.stopOnPotentialDeadlock && !this.stopping && closing !== undefined) {
        void this.stop([closing.parent ?? closing.id], this.monitor.potentialDeadlockSummary(found), at && locationOf(at), 'closes the cycle');
      }
    }
    if (this.options.stopOnDeadlock && !this.stopping) {
      const fresh = this.monitor.takeNewDeadlocks();
      if (fresh.length > 0) void this.stopOnDeadlock(fresh);
    }
    this.graphUpdates.request();
  }

  /** The program ended or closed its channel: a last graph, and the panel and view say the session is over. */
  onEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.graphUpdates.flushNow();
    if (this.root !== undefined) this.graphs.ended(this.root);
  }

  failure(message: string): void {
    this.console(`Deadbolt lock tracing: ${message}`);
  }

  dispose(): void {
    this.onEnded();
    this.graphUpdates.cancel();
    this.marker.dispose();
  }

  private async stopOnDeadlock(cycles: Cycle[]): Promise<void> {
    const graph = this.monitor.graph;
    const description = this.monitor.describeDeadlock(cycles);
    this.console(description);
    const first = graph.thread(cycles[0]!.threads[0]!);
    const waitsAt = first?.wait?.frames[0];
    const holders = first?.wait === undefined ? [] : graph.holders(first.wait.lock).map((h) => graph.threadLabel(h));
    const note = first?.wait === undefined ? 'deadlocked' : `waits for ${graph.lockLabel(first.wait.lock)}, held by ${holders.join(', ')}`;
    // Async tasks run on a thread: pausing means pausing that thread.
    const threads = cycles.flatMap((c) => c.threads.map((t) => graph.thread(t)?.parent ?? t));
    await this.stop(threads, description, waitsAt && locationOf(waitsAt), note);
  }

  /**
   * Pauses the sessions of `threads` through js-debug (a thread blocked in Atomics.wait pauses there: V8 serves the
   * request from inside the wait), then shows `where` with `note` once VS Code has shown the paused frame.
   */
  private async stop(threads: number[], description: string, where: SourceLocation | undefined, note: string): Promise<void> {
    this.stopping = true;
    this.graphUpdates.flushNow();
    const sessions = [...new Set(threads.map((t) => this.threads.get(t)).filter((s): s is vscode.DebugSession => s !== undefined))];
    const paused = await Promise.allSettled(sessions.map((s) => withDeadline(pause(s), PAUSE_TIMEOUT_MS, `'${s.name}' did not answer its pause within ${PAUSE_TIMEOUT_MS / 1000} s`)));
    for (const result of paused) {
      if (result.status === 'fulfilled') continue;
      const reason = errorText(result.reason);
      this.console(`Deadbolt: could not pause a thread: ${reason}`);
      this.log.warn(`Lock tracing: could not pause a thread: ${reason}`);
    }
    if (sessions.length === 0) this.console('Deadbolt: the debugger has no session for these threads, so they were not paused.');
    const answered = paused.filter((r) => r.status === 'fulfilled').length;
    this.log.info(`Lock tracing: ${answered} of ${sessions.length} thread session(s) paused (${sessions.map((s) => `'${s.name}'`).join(', ')})`);
    try {
      if (where !== undefined) {
        await this.marker.show(where, note);
        this.marker.showAgainOver(this.runtimeRoot, REVEAL_WINDOW_MS, Math.max(1, sessions.length));
      }
      void vscode.window.showWarningMessage(description);
    } catch (error) {
      this.log.error(`Lock tracing: the stop could not show where the threads wait: ${errorText(error)}`);
    } finally {
      this.stopping = false;
    }
  }

  private publish(): void {
    if (this.root !== undefined) this.graphs.show(this.monitor.liveGraph(), this.root);
  }

  private console(text: string): void {
    vscode.debug.activeDebugConsole.appendLine(text);
  }
}

/** `promise`, or a rejection with `message` once `ms` have passed without it settling. */
function withDeadline<T>(promise: Thenable<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([Promise.resolve(promise), deadline]).finally(() => clearTimeout(timer));
}

/** Pauses every thread js-debug lists for `session` (one per target). */
async function pause(session: vscode.DebugSession): Promise<void> {
  const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
  for (const thread of threads) await session.customRequest('pause', { threadId: thread.id });
}
