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
import { ThreadSessions } from './threadSessions.js';
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
  private readonly threads = new ThreadSessions<vscode.DebugSession>();
  private readonly backlog: TraceBatch[] = [];
  private readonly graphUpdates = new Throttle(1000 / GRAPH_UPDATES_PER_SECOND, () => this.publish());
  private readonly marker: WaitMarker;
  private stopping = false;
  /**
   * While a stop pauses, before it arms the mark's re-showing: the sessions `pauseLate` paused meanwhile, whose
   * frames come on top of the stop's own. Undefined otherwise (a late pause then adds to the armed re-showing).
   */
  private pausedBeforeReveal: number | undefined;
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
    if (this.threads.attach(workerThreadOfSession(session.name), session)) void this.pauseLate(session);
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
    this.pausedBeforeReveal = 0;
    this.graphUpdates.flushNow();
    const { sessions, unattached } = this.threads.forStop(threads);
    const paused = await Promise.allSettled(sessions.map((s) => pauseWithin(s, PAUSE_TIMEOUT_MS)));
    for (const result of paused) if (result.status === 'rejected') this.pauseFailed(result.reason);
    if (sessions.length === 0) this.console('Deadbolt: the debugger has no session for these threads yet; each is paused when its session starts.');
    const answered = paused.filter((r) => r.status === 'fulfilled').length;
    this.log.info(`Lock tracing: ${answered} of ${sessions.length} thread session(s) paused (${sessions.map((s) => `'${s.name}'`).join(', ')})` +
      (unattached.length === 0 ? '' : `; ${unattached.length} thread(s) without a session yet, paused when it starts`));
    try {
      if (where !== undefined) {
        // Armed as the line is first shown: VS Code may open a paused frame while that is under way.
        const shown = this.marker.show(where, note);
        this.marker.showAgainOver(this.runtimeRoot, REVEAL_WINDOW_MS, Math.max(1, sessions.length + (this.pausedBeforeReveal ?? 0)));
        this.pausedBeforeReveal = undefined;
        await shown;
      }
      void vscode.window.showWarningMessage(description);
    } catch (error) {
      this.log.error(`Lock tracing: the stop could not show where the threads wait: ${errorText(error)}`);
    } finally {
      this.stopping = false;
      this.pausedBeforeReveal = undefined;
    }
  }

  /** A thread of a stop whose session started after it: paused now, and the frame VS Code then opens is answered too. */
  private async pauseLate(session: vscode.DebugSession): Promise<void> {
    if (this.pausedBeforeReveal !== undefined) this.pausedBeforeReveal++;
    else this.marker.expectOneMoreFrame();
    try {
      await pauseWithin(session, PAUSE_TIMEOUT_MS);
      this.log.info(`Lock tracing: '${session.name}' started after the stop and was paused`);
    } catch (error) {
      this.pauseFailed(error);
    }
  }

  private pauseFailed(error: unknown): void {
    const reason = errorText(error);
    this.console(`Deadbolt: could not pause a thread: ${reason}`);
    this.log.warn(`Lock tracing: could not pause a thread: ${reason}`);
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

/** How often a session that lists no thread yet (it is still attaching to its target) is asked again. */
const THREADS_POLL_MS = 200;

/**
 * Pauses every thread js-debug lists for `session` (one per target), or rejects once `ms` have passed: a session that
 * has only just started may list no thread until it has attached, so an empty list is asked again until then.
 */
function pauseWithin(session: vscode.DebugSession, ms: number): Promise<void> {
  const until = Date.now() + ms;
  const pause = async (): Promise<void> => {
    for (;;) {
      const { threads } = (await session.customRequest('threads')) as { threads: { id: number }[] };
      if (threads.length > 0) {
        for (const thread of threads) await session.customRequest('pause', { threadId: thread.id });
        return;
      }
      if (Date.now() >= until) throw new Error(`'${session.name}' listed no thread to pause within ${ms / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, THREADS_POLL_MS));
    }
  };
  return withDeadline(pause(), ms, `'${session.name}' did not answer its pause within ${ms / 1000} s`);
}
