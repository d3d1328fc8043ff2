/**
 * The `deadbolt` debug session: translates between DAP and the traced program. Launch starts the program under the
 * tracing preload; trace batches feed the wait-for graph; a confirmed cycle becomes a `stopped` event with reason
 * 'deadlock'; threads, stack traces and variables are views of the graph. The graph's logic lives in wait-for-graph.ts.
 */
import { DebugSession, Event, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceBatch } from '@deadbolt/runtime/trace';
import { lockGraphEvent } from '../protocol/index.js';
import { LaunchError, type LaunchArguments, preloadFor, validateLaunch, type ValidLaunch } from './launch-config.js';
import { dapThreadId, liveLockGraph, programThreadId } from './live-graph.js';
import { Throttle } from './throttle.js';
import { compileTypeScript, type CompiledProgram } from './typescript.js';
import { TracedProgram } from './traced-program.js';
import { holdFrames, scopesFor, threadOfFrame, variablesFor } from './thread-views.js';
import { type Cycle, WaitForGraph } from './wait-for-graph.js';

/** The editor's lock-graph panel gets at most this many updates a second. */
const LOCK_GRAPH_EVENTS_PER_SECOND = 10;
const LAUNCH_ERROR_ID = 1001;

interface StopState {
  reason: string;
  cycles: Cycle[];
}

export class DeadboltDebugSession extends DebugSession {
  private graph = new WaitForGraph();
  private launchConfig: ValidLaunch | undefined;
  private program: TracedProgram | undefined;
  private compiled: CompiledProgram | undefined;
  private stopped: StopState | undefined;
  /** The wait-for cycles confirmed by the latest batches: the program is deadlocked while this is not empty. */
  private deadlockCycles: Cycle[] = [];
  /** Cycles already reported, by signature, so a continued but still deadlocked program does not stop again and again. */
  private readonly reportedCycles = new Set<string>();
  /** Waits (by their sequence number) already reported as long. */
  private readonly reportedLongWaits = new Set<number>();
  private longWaitTimer: NodeJS.Timeout | undefined;
  private readonly graphEvents = new Throttle(1000 / LOCK_GRAPH_EVENTS_PER_SECOND, () => this.sendLockGraph());
  private finished = false;

  constructor() {
    super();
    // Trace frames are 1-based, like V8's; the base class converts to whatever the client asked for.
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchArguments): Promise<void> {
    let entry: string;
    let preload: string;
    try {
      this.launchConfig = validateLaunch(args);
      preload = preloadFor(this.launchConfig.program);
      if (this.launchConfig.typescript) {
        this.compiled = await compileTypeScript(this.launchConfig.program);
        entry = this.compiled.entry;
      } else {
        entry = this.launchConfig.program;
      }
    } catch (error) {
      const message = error instanceof LaunchError ? error.message : `Cannot launch: ${error instanceof Error ? error.message : String(error)}`;
      this.sendErrorResponse(response, { id: LAUNCH_ERROR_ID, format: '{_message}', variables: { _message: message }, showUser: true });
      return;
    }
    const launch = this.launchConfig;
    this.program = new TracedProgram(launch, entry, preload, {
      output: (text, category) => this.sendEvent(new OutputEvent(text, category)),
      batch: (batch) => this.onBatch(batch),
      exit: (code, signal) => this.onExit(code, signal),
      failure: (message) => this.sendEvent(new OutputEvent(`deadbolt-dap: ${message}\n`, 'important')),
    });
    if (launch.stopOnLongWait !== undefined) {
      const every = Math.max(10, Math.min(100, launch.stopOnLongWait / 2));
      this.longWaitTimer = setInterval(() => this.checkLongWaits(), every);
    }
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = {
      threads: this.graph
        .allThreads()
        .filter((t) => t.state !== 'exited')
        .map((t) => ({ id: dapThreadId(t.id), name: this.graph.threadLabel(t.id) })),
    };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames = holdFrames(this.graph, programThreadId(args.threadId), {
      line: (l) => this.convertDebuggerLineToClient(l),
      column: (c) => this.convertDebuggerColumnToClient(c),
      path: (p) => this.convertDebuggerPathToClient(p),
    });
    const start = args.startFrame ?? 0;
    const end = args.levels ? start + args.levels : frames.length;
    response.body = { stackFrames: frames.slice(start, end), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    response.body = { scopes: scopesFor(this.graph, threadOfFrame(args.frameId)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: variablesFor(this.graph, args.variablesReference, Date.now()) };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    const was = this.stopped;
    this.stopped = undefined;
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    if (was?.reason === 'deadlock') {
      // Nothing can un-deadlock the program; say so, keep tracing, and stop again only for a new cycle.
      this.sendEvent(new OutputEvent('The program is still deadlocked; tracing continues. Terminate to end it.\n', 'important'));
    }
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    // Threads are not really suspended: the stop shows the lock state at this moment.
    this.reportStop({ reason: 'pause', cycles: [] }, 'Paused: showing each thread\'s locks as traced now', dapThreadId(0));
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.program?.kill();
    this.sendResponse(response);
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.program?.kill();
    this.cleanUp();
    this.sendResponse(response);
  }

  private onBatch(batch: TraceBatch): void {
    const changes = this.graph.apply(batch);
    for (const id of changes.started) this.sendEvent(new ThreadEvent('started', dapThreadId(id)));
    for (const id of changes.exited) this.sendEvent(new ThreadEvent('exited', dapThreadId(id)));
    for (const { thread, held, code } of changes.exitedHolding) {
      const locks = held.map((h) => `${this.graph.lockLabel(h.lock)}${h.site ? ` (taken at ${h.site.file}:${h.site.line})` : ''}`).join(', ');
      this.sendEvent(
        new OutputEvent(
          `Worker '${this.graph.threadLabel(thread)}' exited (code ${code}) while holding ${locks}. Threads that wait for ${held.length > 1 ? 'them' : 'it'} will wait forever.\n`,
          'important',
        ),
      );
    }
    this.checkDeadlock();
    this.graphEvents.request();
  }

  /** Tracks the confirmed cycles (the panel shows them even with stopOnDeadlock off) and stops on new ones. */
  private checkDeadlock(): void {
    const confirmed = this.graph.confirmedCycles();
    if (confirmed.length > 0) this.deadlockCycles = confirmed;
    else if (this.graph.cycles().length === 0) this.deadlockCycles = [];
    if (this.stopped !== undefined || this.launchConfig?.stopOnDeadlock === false) return;
    const fresh = confirmed.filter((c) => !this.reportedCycles.has(signature(c)));
    if (fresh.length === 0) return;
    for (const c of fresh) this.reportedCycles.add(signature(c));
    const description = `Deadlock: ${fresh.map((c) => this.graph.describeCycle(c)).join(' | ')}`;
    this.reportStop({ reason: 'deadlock', cycles: fresh }, description, dapThreadId(fresh[0]!.threads[0]!));
  }

  private checkLongWaits(): void {
    const threshold = this.launchConfig?.stopOnLongWait;
    if (threshold === undefined || this.stopped !== undefined) return;
    const waiting = this.graph.longWaits(Date.now(), threshold).find((t) => !this.reportedLongWaits.has(t.wait!.seq));
    if (waiting === undefined) return;
    const wait = waiting.wait!;
    this.reportedLongWaits.add(wait.seq);
    const holders = this.graph.holders(wait.lock).map((h) => this.graph.threadLabel(h));
    const heldBy = holders.length > 0 ? `held by ${holders.join(', ')}` : 'which no thread holds';
    const seconds = ((Date.now() - wait.since) / 1000).toFixed(1);
    this.reportStop(
      { reason: 'long wait', cycles: [] },
      `${waiting.name} has waited ${seconds} s for ${this.graph.lockLabel(wait.lock)}, ${heldBy}`,
      dapThreadId(waiting.id),
    );
  }

  private reportStop(state: StopState, description: string, threadId: number): void {
    this.stopped = state;
    const event = new StoppedEvent(state.reason, threadId) as DebugProtocol.StoppedEvent;
    event.body.description = description;
    event.body.text = description;
    event.body.allThreadsStopped = true;
    this.sendEvent(event);
    this.graphEvents.flushNow();
  }

  private sendLockGraph(): void {
    if (this.finished) return;
    this.sendEvent(new Event(lockGraphEvent, liveLockGraph(this.graph, this.deadlockCycles, this.deadlockCycles.length > 0)));
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.graphEvents.flushNow();
    if (signal !== null && code === null) this.sendEvent(new OutputEvent(`Program ended by ${signal}.\n`, 'console'));
    this.sendEvent(new ExitedEvent(code ?? 1));
    this.cleanUp();
    this.sendEvent(new TerminatedEvent());
  }

  private cleanUp(): void {
    this.finished = true;
    this.graphEvents.cancel();
    if (this.longWaitTimer !== undefined) clearInterval(this.longWaitTimer);
    this.compiled?.dispose();
    this.compiled = undefined;
  }
}

function signature(cycle: Cycle): string {
  return `${cycle.threads.join(',')}/${cycle.locks.join(',')}`;
}
