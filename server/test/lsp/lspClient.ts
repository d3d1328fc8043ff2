/**
 * A minimal LSP client for the language-server tests: it spawns `deadbolt-lsp --stdio`, speaks the real protocol
 * over vscode-jsonrpc streams, answers the server's configuration requests, and lets tests wait for the
 * diagnostics notifications they expect (never for a fixed time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type MessageConnection,
  type Position,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lockGraphRequest, type LockGraphParams, type LockGraphResult } from '../../src/protocol/index.js';
import { closed, withDeadline, WITHIN_MS } from '../helpers/deadline.js';

export const SERVER_BIN = fileURLToPath(new URL('../../../bin/deadbolt-lsp.js', import.meta.url));
export const LSP_FIXTURES = fileURLToPath(new URL('../../../../test-fixtures/lsp/', import.meta.url));

/** Bound on any single wait, so a broken server fails the test instead of hanging it. */
const WAIT_MS = WITHIN_MS;

export interface StartOptions {
  /** Workspace folders, as paths. */
  folders: string[];
  /** The value returned for the "deadbolt" configuration section. */
  settings?: unknown;
  initializationOptions?: unknown;
}

export class LspClient {
  readonly logs: string[] = [];
  /** Every publishDiagnostics received, in order. */
  readonly publishes: PublishDiagnosticsParams[] = [];
  /** Every `$/progress` value received, in order. */
  readonly progress: { kind: string; title?: string; message?: string }[] = [];
  settings: unknown;
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly listeners = new Set<(params: PublishDiagnosticsParams) => void>();
  private readonly logListeners = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  private constructor(
    readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER_BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection);
    client.settings = options.settings ?? {};
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.latest.set(params.uri, params);
      client.publishes.push(params);
      for (const listener of [...client.listeners]) listener(params);
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
      for (const listener of [...client.logListeners]) listener();
    });
    connection.onNotification('$/progress', (params: { value: { kind: string; title?: string; message?: string } }) => {
      client.progress.push(params.value);
      for (const listener of [...client.logListeners]) listener();
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'deadbolt' ? client.settings : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    await client.request('initialize', {
      processId: process.pid,
      rootUri: options.folders[0] === undefined ? null : pathToFileURL(options.folders[0]).href,
      workspaceFolders: options.folders.map((folder) => ({ uri: pathToFileURL(folder).href, name: folder })),
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true } },
        window: { workDoneProgress: true },
      },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Opens `path` with `text` (by default its content on disk) and returns its URI. */
  async open(path: string, text?: string): Promise<string> {
    const uri = pathToFileURL(path).href;
    const content = text ?? readFileSync(path, 'utf8');
    this.versions.set(uri, 1);
    this.texts.set(uri, content);
    const languageId = /\.[cm]?jsx?$/.test(path) ? 'javascript' : 'typescript';
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: content } });
    return uri;
  }

  /** Replaces the whole buffer; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(uri: string): string {
    const text = this.texts.get(uri);
    if (text === undefined) throw new Error(`${uri} is not open`);
    return text;
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /**
   * The first diagnostics for `uri` (already received or to come) that satisfy `accept`. For an open document the
   * default accepts only a publish for its current version, so a test never reads findings of an older text.
   */
  diagnostics(uri: string, accept?: (diagnostics: Diagnostic[], params: PublishDiagnosticsParams) => boolean): Promise<Diagnostic[]> {
    const test = accept ?? ((_d: Diagnostic[], params: PublishDiagnosticsParams) => params.version === this.versions.get(uri));
    const current = this.latest.get(uri);
    if (current !== undefined && test(current.diagnostics, current)) return Promise.resolve(current.diagnostics);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const last = this.latest.get(uri);
        reject(new Error(`no matching diagnostics for ${uri} within ${WAIT_MS} ms; last: ${JSON.stringify(last)}`));
      }, WAIT_MS);
      const listener = (params: PublishDiagnosticsParams): void => {
        if (params.uri !== uri || !test(params.diagnostics, params)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(params.diagnostics);
      };
      this.listeners.add(listener);
    });
  }

  /** Resolves once the server has logged a message matching `pattern` (already or later). */
  logged(pattern: RegExp): Promise<string> {
    return this.until(() => this.logs.find((message) => pattern.test(message)), `a log matching ${pattern}`);
  }

  /** Resolves once a `$/progress` of `kind` ('begin', 'end') has arrived. */
  progressed(kind: string): Promise<string> {
    return this.until(() => (this.progress.some((p) => p.kind === kind) ? kind : undefined), `$/progress ${kind}`);
  }

  /** Resolves with `find()`'s first defined answer, re-asked after every log or progress notification. */
  private until(find: () => string | undefined, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = find();
        if (found === undefined) return false;
        clearTimeout(timer);
        this.logListeners.delete(listener);
        resolve(found);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        this.logListeners.delete(listener);
        reject(new Error(`no ${what} within ${WAIT_MS} ms; logs:\n${this.logs.join('\n')}`));
      }, WAIT_MS);
      if (!check()) this.logListeners.add(listener);
    });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    return this.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position });
  }

  lockGraph(params: LockGraphParams = {}): Promise<LockGraphResult> {
    return this.request(lockGraphRequest, params);
  }

  async changeSettings(settings: unknown): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  }

  /** Sends a request and waits for its response at most WAIT_MS, failing with the method's name. */
  request<R>(method: string, params?: unknown): Promise<R> {
    return withDeadline(this.connection.sendRequest<R>(method, params), `response to '${method}' from the server`, WAIT_MS);
  }

  /** Shuts the server down politely; fails, killing it, if it does not exit within the wait bound. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = closed(this.child, 'the language server after shutdown', WAIT_MS);
    try {
      await this.request('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill('SIGKILL');
    }
    try {
      await exited;
    } finally {
      this.connection.dispose();
    }
  }
}

/** The text of `uri` after applying the edits a WorkspaceEdit makes to it. */
export function applyWorkspaceEdit(edit: WorkspaceEdit | undefined, uri: string, text: string): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 0, text), edits);
}

/** The zero-based position of the first occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${JSON.stringify(needle)} not found`);
  return TextDocument.create('x', 'typescript', 0, text).positionAt(offset + delta);
}
