/**
 * Lock tracing inside VS Code's JavaScript debugger (js-debug). A configuration provider for `node` and `pwa-node`
 * adds, to a launch with `"deadboltLockTracing": true`, the trace preload (`--import`) and a trace channel: a local
 * socket this extension listens on, named to the program in DEADBOLT_TRACE. The session that starts from that
 * configuration, and the child sessions js-debug starts under it for the program's process and each worker, are
 * bound to one TracedJsSession. Also the command "Deadbolt: Debug with Lock Tracing".
 */
import { randomUUID } from 'node:crypto';
import { basename, dirname, join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import { PreloadError, preloadFor } from '@deadbolt/server/dap/preload';
import { TraceListener } from '@deadbolt/server/dap/trace-listener';
import type { LiveGraphs } from './liveGraphs.js';
import { runnableFile } from './launchConfig.js';
import {
  lockTracingLaunch,
  type NodeLaunchConfig,
  NODE_DEBUG_TYPES,
  TRACE_TOKEN_ATTRIBUTE,
  tracingOptions,
  wantsLockTracing,
  withLockTracing,
} from './lockTracingConfig.js';
import { TracedJsSession } from './tracedJsSession.js';

/** A traced configuration whose session has not started this long after it was resolved was abandoned. */
const UNCLAIMED_TRACE_MS = 120_000;

interface Trace {
  traced: TracedJsSession;
  listener: TraceListener;
}

export class LockTracing implements vscode.DebugConfigurationProvider, vscode.Disposable {
  /** Resolved configurations whose session has not started yet, by token. */
  private readonly pending = new Map<string, Trace & { timer: NodeJS.Timeout }>();
  /** Traced sessions, by the id of the session started from the configuration. */
  private readonly active = new Map<string, Trace>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly graphs: LiveGraphs,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      ...NODE_DEBUG_TYPES.map((type) => vscode.debug.registerDebugConfigurationProvider(type, this)),
      vscode.debug.onDidStartDebugSession((session) => this.started(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.terminated(session)),
      vscode.commands.registerCommand('deadbolt.debugWithLockTracing', () => debugActiveFile()),
    );
  }

  /**
   * Runs after js-debug's own resolution and variable substitution (so `program` and `cwd` are paths), once per type
   * the configuration passes through; the token makes the second pass a no-op.
   */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (!wantsLockTracing(config) || config[TRACE_TOKEN_ATTRIBUTE] !== undefined) return config;
    const launch = config as NodeLaunchConfig;
    const options = tracingOptions(launch);
    if ('error' in options) return refuse(options.error);
    let preloadPath: string;
    try {
      preloadPath = preloadFor(programOf(launch, folder));
    } catch (error) {
      return refuse(error instanceof PreloadError ? `Deadbolt: ${error.message}` : String(error));
    }
    const preload = pathToFileURL(preloadPath).href;
    // The preload is <runtime>/dist/src/trace/preload.js (or <extension>/dist/trace/preload.js): its package is what the program's locks run.
    const traced = new TracedJsSession(options, this.graphs, runtimeRootOf(preloadPath), this.log);
    const listener = await TraceListener.open({
      connected: () => this.log.info(`Lock tracing: '${launch.name}' connected its trace`),
      batch: (batch) => {
        try {
          traced.onBatch(batch);
        } catch (error) {
          this.log.error(`Lock tracing: a trace batch failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      },
      failure: (message) => {
        this.log.warn(`Lock tracing: ${message}`);
        traced.failure(message);
      },
      ended: () => {
        this.log.info(`Lock tracing: '${launch.name}' closed its trace`);
        traced.onEnded();
      },
    });
    this.log.info(`Lock tracing: '${launch.name}' runs with ${preload}, trace channel ${listener.spec}`);
    const token = randomUUID();
    const timer = setTimeout(() => this.forget(token), UNCLAIMED_TRACE_MS);
    this.pending.set(token, { traced, listener, timer });
    return withLockTracing(launch, { preload, env: listener.environment(), token });
  }

  dispose(): void {
    for (const token of [...this.pending.keys()]) this.forget(token);
    for (const { traced, listener } of this.active.values()) {
      traced.dispose();
      listener.close();
    }
    this.active.clear();
    for (const d of this.disposables) d.dispose();
  }

  private started(session: vscode.DebugSession): void {
    const token = session.configuration[TRACE_TOKEN_ATTRIBUTE] as string | undefined;
    const pending = token === undefined ? undefined : this.pending.get(token);
    if (pending !== undefined) {
      clearTimeout(pending.timer);
      this.pending.delete(token!);
      this.active.set(session.id, pending);
      this.log.info(`Lock tracing: session '${session.name}' (${session.type}) started`);
      pending.traced.bind(session);
      return;
    }
    for (const { traced } of this.active.values()) {
      if (session.parentSession !== undefined && traced.owns(session.parentSession)) {
        this.log.info(`Lock tracing: thread session '${session.name}'`);
        traced.addThreadSession(session);
      }
    }
  }

  private terminated(session: vscode.DebugSession): void {
    const trace = this.active.get(session.id);
    if (trace === undefined) return;
    this.active.delete(session.id);
    trace.traced.dispose();
    trace.listener.close();
  }

  private forget(token: string): void {
    const trace = this.pending.get(token);
    if (trace === undefined) return;
    clearTimeout(trace.timer);
    this.pending.delete(token);
    trace.traced.dispose();
    trace.listener.close();
  }
}

/** The file the preload is looked up from: the program, else a file in the working directory. */
function programOf(config: NodeLaunchConfig, folder: vscode.WorkspaceFolder | undefined): string {
  if (typeof config.program === 'string' && config.program !== '') return config.program;
  const cwd = typeof config.cwd === 'string' && config.cwd !== '' ? config.cwd : (folder?.uri.fsPath ?? process.cwd());
  return join(cwd, 'index.js');
}

/** The package folder of a preload, with a trailing separator. */
function runtimeRootOf(preload: string): string {
  const trace = dirname(preload);
  const dist = basename(dirname(trace)) === 'src' ? dirname(dirname(trace)) : dirname(trace);
  return `${dirname(dist)}${sep}`;
}

function refuse(message: string): undefined {
  void vscode.window.showErrorMessage(message);
  // Returning undefined cancels the launch; the message says why.
  return undefined;
}

/** "Deadbolt: Debug with Lock Tracing": the active file under the JavaScript debugger with lock tracing on. */
async function debugActiveFile(): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined || document.uri.scheme !== 'file' || !runnableFile.test(document.fileName)) {
    void vscode.window.showErrorMessage('Deadbolt: open the .js or .ts file to debug with lock tracing.');
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  await vscode.debug.startDebugging(folder, lockTracingLaunch(document.fileName, folder?.uri.fsPath));
}
