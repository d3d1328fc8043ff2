/**
 * The `deadbolt` debug session: translates between DAP and the traced program. Launch starts the program under the
 * tracing preload; trace batches feed the trace monitor (trace-monitor.ts: the wait-for graph and the lock-order
 * graph); a confirmed cycle becomes a `stopped` event with reason 'deadlock', a cycle of lock orders an output line
 * (and, asked for, a stop with reason 'potential deadlock'); threads, stack traces and variables are views of the
 * graph. It runs no JavaScript debugger, so it says so rather than pretend: breakpoints are answered unverified with
 * the reason, and steps, evaluation and the like are refused with an error that points to the JavaScript debugger.
 */
import { DebugSession, Event, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TraceBatch } from '@deadbolt/runtime/trace';
import { lockGraphEvent } from '../protocol/index.js';
import { LaunchError, type LaunchArguments, validateLaunch, type ValidLaunch } from './launch-config.js';
import { dapThreadId, programThreadId } from './live-graph.js';
import { PreloadError, preloadFor } from './preload.js';
import { Throttle } from './throttle.js';
import { compileTypeScript, type CompiledProgram } from './typescript.js';
import { TracedProgram } from './traced-program.js';
import { holdFrames, scopesFor, threadOfFrame, variablesFor } from './thread-views.js';
import { TraceMonitor } from './trace-monitor.js';

/** The editor's lock-graph panel gets at most this many updates a second. */
const LOCK_GRAPH_EVENTS_PER_SECOND = 10;
const LAUNCH_ERROR_ID = 1001;
const UNSUPPORTED_ID = 1002;

/** Where a user who wants breakpoints and stepping with lock tracing goes instead. */
const JAVASCRIPT_DEBUGGER =
  'For breakpoints, stepping and evaluation with lock tracing, debug with the JavaScript debugger instead ' +
  '(in VS Code: a "node" launch configuration with "deadboltLockTracing": true, or the command "Deadbolt: Debug with Lock Tracing").';

/** Why deadbolt-dap verifies no breakpoint: the message each one carries back to the editor. */
export const BREAKPOINTS_UNSUPPORTED = `deadbolt-dap does not stop at breakpoints: it traces locks and stops on deadlocks, without a JavaScript debugger. ${JAVASCRIPT_DEBUGGER}`;

/** Requests deadbolt-dap refuses, with what each would have needed. */
const REFUSED: Record<string, string> = {
  next: 'cannot step', stepIn: 'cannot step in', stepOut: 'cannot step out', stepBack: 'cannot step back',
  reverseContinue: 'cannot run backwards', restartFrame: 'cannot restart a frame', goto: 'cannot jump to a line',
  stepInTargets: 'cannot step in', gotoTargets: 'cannot jump to a line', evaluate: 'cannot evaluate expressions',
  setVariable: 'cannot change variables', setExpression: 'cannot change values', completions: 'cannot complete expressions',
  exceptionInfo: 'cannot stop on exceptions', attach: 'cannot attach to a running program', restart: 'cannot restart a session',
  terminateThreads: 'cannot end a single thread', readMemory: 'cannot read memory', writeMemory: 'cannot write memory',
  disassemble: 'cannot disassemble', dataBreakpointInfo: 'has no data breakpoints',
};

interface StopState {
  reason: string;
}

export class DeadboltDebugSession extends DebugSession {
  private readonly monitor = new TraceMonitor();
  private launchConfig: ValidLaunch | undefined;
  private program: TracedProgram | undefined;
  private compiled: CompiledProgram | undefined;
  private stopped: StopState | undefined;
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
    // Only what works: no breakpoint kinds, no stepping, no evaluation (the base class leaves every other capability off).
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
      const message = error instanceof LaunchError || error instanceof PreloadError ? error.message : `Cannot launch: ${error instanceof Error ? error.message : String(error)}`;
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

  /** Refuses what needs a JavaScript debugger, with an error that says so, instead of a silent success. */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const what = REFUSED[request.command];
    if (what === undefined) {
      super.dispatchRequest(request);
      return;
    }
    const response: DebugProtocol.Response = { seq: 0, type: 'response', request_seq: request.seq, command: request.command, success: false };
    const deadlocked = this.stopped?.reason === 'deadlock' ? ' The threads of the deadlock can never run again; terminate the program to end it.' : '';
    const message = `deadbolt-dap ${what}: it traces locks without a JavaScript debugger, and its stops show the lock state without suspending the threads.${deadlocked} ${JAVASCRIPT_DEBUGGER}`;
    this.sendErrorResponse(response, { id: UNSUPPORTED_ID, format: '{_message}', variables: { _message: message }, showUser: true });
  }

  /** Every breakpoint is answered unverified, with the reason, so none shows as set and silently never hits. */
  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const lines = args.breakpoints?.map((b) => b.line) ?? args.lines ?? [];
    response.body = { breakpoints: lines.map((line) => ({ verified: false, line, message: BREAKPOINTS_UNSUPPORTED })) };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false, message: BREAKPOINTS_UNSUPPORTED })) };
    this.sendResponse(response);
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false, message: BREAKPOINTS_UNSUPPORTED })) };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    response.body = { breakpoints: args.breakpoints.map(() => ({ verified: false, message: BREAKPOINTS_UNSUPPORTED })) };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = {
      threads: this.monitor.graph
        .allThreads()
        .filter((t) => t.state !== 'exited')
        .map((t) => ({ id: dapThreadId(t.id), name: this.monitor.graph.threadLabel(t.id) })),
    };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const frames = holdFrames(this.monitor.graph, programThreadId(args.threadId), {
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
    response.body = { scopes: scopesFor(this.monitor.graph, threadOfFrame(args.frameId)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: variablesFor(this.monitor.graph, args.variablesReference, Date.now()) };
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
    this.reportStop('pause', 'Paused: showing each thread\'s locks as traced now', dapThreadId(0));
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
    const update = this.monitor.apply(batch);
    for (const id of update.started) this.sendEvent(new ThreadEvent('started', dapThreadId(id)));
    for (const id of update.exited) this.sendEvent(new ThreadEvent('exited', dapThreadId(id)));
    for (const text of update.abandoned) this.sendEvent(new OutputEvent(`${text}\n`, 'important'));
    for (const found of update.potentialDeadlocks) {
      this.sendEvent(new OutputEvent(`${this.monitor.potentialDeadlockReport(found)}\n`, 'important'));
      const closing = this.monitor.closingThread(found);
      if (this.launchConfig?.stopOnPotentialDeadlock === true && this.stopped === undefined && closing !== undefined) {
        this.reportStop('potential deadlock', this.monitor.potentialDeadlockSummary(found), dapThreadId(closing.id));
      }
    }
    this.checkDeadlock();
    this.graphEvents.request();
  }

  /** Stops on deadlock cycles not reported before (the panel shows every cycle, even with stopOnDeadlock off). */
  private checkDeadlock(): void {
    if (this.stopped !== undefined || this.launchConfig?.stopOnDeadlock === false) return;
    const fresh = this.monitor.takeNewDeadlocks();
    if (fresh.length === 0) return;
    this.reportStop('deadlock', this.monitor.describeDeadlock(fresh), dapThreadId(fresh[0]!.threads[0]!));
  }

  private checkLongWaits(): void {
    const threshold = this.launchConfig?.stopOnLongWait;
    if (threshold === undefined || this.stopped !== undefined) return;
    const long = this.monitor.takeLongWait(Date.now(), threshold);
    if (long !== undefined) this.reportStop('long wait', long.description, dapThreadId(long.thread));
  }

  private reportStop(reason: string, description: string, threadId: number): void {
    this.stopped = { reason };
    const event = new StoppedEvent(reason, threadId) as DebugProtocol.StoppedEvent;
    event.body.description = description;
    event.body.text = description;
    event.body.allThreadsStopped = true;
    this.sendEvent(event);
    this.graphEvents.flushNow();
  }

  private sendLockGraph(): void {
    if (this.finished) return;
    this.sendEvent(new Event(lockGraphEvent, this.monitor.liveGraph()));
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
