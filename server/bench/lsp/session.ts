/**
 * A bare LSP session for the benchmark: spawns any stdio language server, initializes it on a folder, and measures
 * how long after a `didChange` the server publishes diagnostics that reflect it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** Whether a publish (its diagnostics and the document version it names, if any) reflects the text just sent. */
export type Accept = (diagnostics: Diagnostic[], version: number | undefined) => boolean;

/** Bound on one wait, so a server that never answers ends the benchmark with an error rather than hanging it. */
const WAIT_MS = 120_000;

export class BenchSession {
  private listeners = new Set<(params: PublishDiagnosticsParams) => void>();
  private version = 0;
  /** Analysis times the server logged (deadbolt-lsp logs "analysed ...: ... in <ms> ms" per run), newest last. */
  readonly analysisMs: number[] = [];
  /** The diagnostics of the last publish a wait accepted. */
  lastDiagnostics: Diagnostic[] = [];

  private constructor(
    readonly child: ChildProcess,
    private readonly connection: MessageConnection,
  ) {}

  static async start(command: string[], folder: string, initializationOptions?: unknown, settings: unknown = {}): Promise<BenchSession> {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'ignore'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new BenchSession(child, connection);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      for (const listener of [...session.listeners]) listener(params);
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      const ms = /^analysed .* in ([\d.]+) ms$/.exec(params.message)?.[1];
      if (ms !== undefined) session.analysisMs.push(Number(ms));
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    const uri = pathToFileURL(folder).href;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, synchronization: { didSave: true } },
      },
      initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return session;
  }

  /** The version of the last text sent for the open document. */
  get documentVersion(): number {
    return this.version;
  }

  /** Resolves with the first publish for `uri` that `accept` takes, counting from now. */
  private next(uri: string, accept: Accept): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no matching diagnostics for ${uri} within ${WAIT_MS} ms`));
      }, WAIT_MS);
      const listener = (params: PublishDiagnosticsParams): void => {
        if (params.uri !== uri || !accept(params.diagnostics, params.version)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        this.lastDiagnostics = params.diagnostics;
        resolve(params.diagnostics);
      };
      this.listeners.add(listener);
    });
  }

  /** Opens a document and returns the milliseconds until diagnostics accepted by `accept` arrive. */
  async open(path: string, text: string, accept: Accept): Promise<number> {
    const uri = pathToFileURL(path).href;
    this.version = 1;
    const published = this.next(uri, accept);
    const started = performance.now();
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    await published;
    return performance.now() - started;
  }

  /** Replaces a document's text and returns the milliseconds until diagnostics accepted by `accept` arrive. */
  async edit(path: string, text: string, accept: Accept): Promise<number> {
    const uri = pathToFileURL(path).href;
    const published = this.next(uri, accept);
    const started = performance.now();
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++this.version }, contentChanges: [{ text }] });
    await published;
    return performance.now() - started;
  }

  /** Asks for the quick fixes of one diagnostic and returns the milliseconds until they arrive, and their titles. */
  async codeActions(path: string, diagnostic: Diagnostic): Promise<{ ms: number; titles: string[] }> {
    const uri = pathToFileURL(path).href;
    const started = performance.now();
    const actions = (await this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    })) as { title: string }[] | null;
    return { ms: performance.now() - started, titles: (actions ?? []).map((a) => a.title) };
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.child.exitCode !== null ? resolve() : this.child.once('exit', () => resolve())));
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    }
    await exited;
    clearTimeout(killer);
    this.connection.dispose();
  }
}
