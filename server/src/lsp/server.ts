/**
 * Wires the LSP connection to Deadbolt: document and configuration events go to the analysis roots, results
 * come back as diagnostics, and requests (code actions, hover, the lock graph) are answered from fresh findings.
 * This file only translates; what to analyse lives in roots.ts and when in scheduler.ts.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  RequestType,
  type Hover,
  type WorkDoneProgressServerReporter,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../engine/index.js';
import {
  analysisStateNotification,
  lockGraphRequest,
  type AnalysisStateParams,
  type LockGraphParams,
  type LockGraphResult,
  type StaticLockGraph,
} from '../protocol/index.js';
import { codeActions, fixesAsked, FIX_ALL_KIND } from './codeActions.js';
import { defaultRuleDocsBase } from './diagnostics.js';
import { EngineHost, type AnalysisOutcome } from './engineHost.js';
import { documentPath, isAnalysedPath, textDocumentOf, UriMap, uriToPath } from './files.js';
import { identifierAt } from './hover.js';
import { mergeGraphs } from './lockGraph.js';
import { Roots, type RootState } from './roots.js';
import { Publisher } from './publisher.js';
import { SettingsCache } from './settings.js';

/** Options an editor may pass in `initializationOptions`; every one has a default that suits an interactive editor. */
export interface DeadboltInitializationOptions {
  /** Edits closer together than this (ms) form a burst, analysed once it has been quiet this long. */
  debounceMs?: number;
  /** Heap limit of the analysis worker, in megabytes. */
  maxMemoryMb?: number;
  /** Base URL of the rule pages linked from diagnostics (`<base>/<rule-id>.md`). */
  ruleDocsBase?: string;
  /**
   * An editor command that shows the lock graph focused on the cycle at a place (its one argument, a
   * `SourceLocation`). When given, lock-order findings offer "Show in Lock Graph" running it; editors without
   * such a command leave it out and get no action they cannot run.
   */
  lockGraphCommand?: string;
}

const DEFAULT_DEBOUNCE_MS = 30;
/** Far above what a 1,000-module workspace needs (about 1.3 GB), yet a bound: beyond it the worker, not the editor, fails. */
const DEFAULT_MAX_MEMORY_MB = 4096;
const LockGraphRequestType = new RequestType<LockGraphParams, LockGraphResult, void>(lockGraphRequest);

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const uris = new UriMap();
  const log = (level: 'error' | 'info', message: string) =>
    level === 'error' ? connection.console.error(message) : connection.console.info(message);
  let generation = 0;
  let host: EngineHost;
  let roots: Roots;
  let settings: SettingsCache;
  let docsBase = defaultRuleDocsBase();
  let lockGraphCommand: string | undefined;
  let folders: string[] = [];
  let dynamicConfiguration = false;
  let dynamicWatchers = false;
  let folderEvents = false;
  /** Reconfigurations run one after another: two overlapping resets would each reopen the other's roots. */
  let reconfiguring: Promise<void> = Promise.resolve();
  const publisher = new Publisher(connection, documents, uris, () => docsBase, (document, root) => {
    const path = documentPath(document.uri, document.languageId);
    return path !== undefined && isAnalysedPath(path) && roots.rootNameOf(path) === root;
  });

  /** Progress shown in the editor while a root's first analysis runs (the long one: later ones are incremental). */
  const firstRuns = new Map<string, Promise<WorkDoneProgressServerReporter | undefined>>();
  const analysedRoots = new Set<string>();

  function startFirstRun(root: RootState): void {
    if (analysedRoots.has(root.name) || firstRuns.has(root.name)) return;
    const reporter = connection.window.createWorkDoneProgress().then(
      (progress) => {
        progress.begin('Deadbolt', undefined, `analysing ${basename(root.folder)}`);
        return progress;
      },
      () => undefined,
    );
    firstRuns.set(root.name, reporter);
  }

  function endFirstRun(root: RootState): void {
    analysedRoots.add(root.name);
    const reporter = firstRuns.get(root.name);
    firstRuns.delete(root.name);
    void reporter?.then((progress) => progress?.done());
  }

  /**
   * Roots with analysis work. The editor hears `analyzing` when the first one gets some and `idle` once none has any
   * (after the findings are published), so it never reports "no findings" while they are still being computed.
   */
  const busyRoots = new Set<string>();
  function busy(root: RootState, isBusy: boolean): void {
    const before = busyRoots.size;
    if (isBusy) busyRoots.add(root.name);
    else busyRoots.delete(root.name);
    if ((before === 0) === (busyRoots.size === 0)) return;
    const params: AnalysisStateParams = { state: busyRoots.size > 0 ? 'analyzing' : 'idle' };
    void connection.sendNotification(analysisStateNotification, params);
  }

  function failed(root: RootState, message: string): void {
    endFirstRun(root);
    log('error', `analysis of ${root.folder} failed: ${message}`);
  }

  function fresh(root: RootState, outcome: Extract<AnalysisOutcome, { kind: 'analyzed' }>): void {
    endFirstRun(root);
    const byPath = new Map<string, Finding[]>();
    for (const finding of outcome.findings) {
      const list = byPath.get(finding.span.file);
      if (list === undefined) byPath.set(finding.span.file, [finding]);
      else list.push(finding);
    }
    root.findings = byPath;
    root.versions = new Map(documents.all().map((d) => [d.uri, d.version]));
    // One line per analysis in the editor's log: what `deadbolt.trace.server` users and the benchmark read.
    const { run, reused } = outcome.walks;
    const how = outcome.cached !== undefined ? `read from ${outcome.cached}` : `${run} of ${run + reused} walks run (the rest reused)`;
    connection.console.log(`analysed ${root.folder}: ${outcome.files} files, ${outcome.findings.length} findings, ${how} in ${outcome.elapsedMs.toFixed(1)} ms`);
    publisher.root(root, byPath);
  }

  /** The root of an analysable document, or undefined for other schemes and languages. */
  async function rootOf(uri: string, languageId = documents.get(uri)?.languageId): Promise<{ root: RootState; path: string } | undefined> {
    const path = documentPath(uri, languageId);
    if (path === undefined || !isAnalysedPath(path)) return undefined;
    uris.remember(path, uri);
    return { root: await roots.get(roots.rootNameOf(path)), path };
  }

  function readDisk(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  async function edited(document: TextDocument): Promise<void> {
    const target = await rootOf(document.uri, document.languageId);
    if (target?.root.scheduler === undefined) return;
    const { root, path } = target;
    const current = documents.get(document.uri) ?? document;
    const text = current.getText();
    // Opening a file as it is on disk changes nothing for the engine: answer from the findings already known.
    if (host.holds(root.name, path, text, () => readDisk(path))) {
      if (root.scheduler!.idle()) {
        root.versions.set(current.uri, current.version);
        publisher.document(root, current, root.findings.get(path) ?? []);
      }
      return;
    }
    const edit = ++generation;
    host.setFile(root.name, path, text, edit, true);
    root.scheduler!.touched(edit);
    startFirstRun(root);
  }

  /** A file's text is back to what is on disk (buffer closed, or changed outside the editor). */
  async function fromDisk(uri: string, deleted: boolean, languageId?: string): Promise<void> {
    const target = await rootOf(uri, languageId);
    if (target?.root.scheduler === undefined) return;
    const { root, path } = target;
    const disk = deleted ? undefined : readDisk(path);
    const edit = ++generation;
    // Loose roots analyse open buffers only, so a closed loose file leaves the analysis.
    if (disk === undefined || root.name.startsWith('loose:')) host.removeFile(root.name, path, edit);
    else if (host.holds(root.name, path, disk, () => disk)) return; // closed unmodified: nothing to redo
    else host.setFile(root.name, path, disk, edit, false);
    root.scheduler!.touched(edit);
  }

  /** Settings or a config file changed: rebuild every root with the new configuration and re-send open buffers. */
  function reconfigure(): Promise<void> {
    reconfiguring = reconfiguring.then(reconfigureNow, reconfigureNow);
    return reconfiguring;
  }

  async function reconfigureNow(): Promise<void> {
    const old = await roots.reset();
    for (const previous of old) {
      // A folder removed from the workspace is no root any more: its files now belong elsewhere, or nowhere.
      if (!previous.name.startsWith('loose:') && !folders.includes(previous.name)) {
        publisher.clear(previous.name);
        busy(previous, false);
        continue;
      }
      const root = await roots.get(previous.name);
      if (root.scheduler === undefined) {
        publisher.clear(root.name);
        busy(root, false);
        continue;
      }
      const edit = ++generation;
      root.scheduler.touched(edit);
    }
    for (const document of documents.all()) await edited(document);
  }

  /** A root's findings, up to date with every edit so far. */
  async function freshRoot(uri: string): Promise<{ root: RootState; path: string } | undefined> {
    const target = await rootOf(uri);
    await target?.root.scheduler?.flush();
    return target;
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as DeadboltInitializationOptions;
    if (typeof options.ruleDocsBase === 'string') docsBase = options.ruleDocsBase;
    if (typeof options.lockGraphCommand === 'string') lockGraphCommand = options.lockGraphCommand;
    const workspace = params.capabilities.workspace;
    dynamicConfiguration = workspace?.didChangeConfiguration?.dynamicRegistration === true;
    dynamicWatchers = workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    folderEvents = workspace?.workspaceFolders === true;
    const folderUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = folderUris.map(uriToPath).filter((p): p is string => p !== undefined);

    host = new EngineHost({
      maxMemoryMb: options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB,
      log,
      // The runs the dead worker took with it failed; analyse every root again on the new one.
      restarted: () => void roots.all().then((all) => all.forEach((root) => root.scheduler?.touched(++generation))),
    });
    const fetch =
      workspace?.configuration === true
        ? (scopeUri: string) => connection.workspace.getConfiguration({ scopeUri, section: 'deadbolt' }) as Promise<unknown>
        : undefined;
    settings = new SettingsCache(fetch, (message) => log('error', message));
    roots = new Roots(host, settings, options.debounceMs ?? DEFAULT_DEBOUNCE_MS, { fresh, failed, busy, log });
    roots.setFolders(folders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'deadbolt-lsp' },
    };
  });

  connection.onInitialized(() => {
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'deadbolt' });
    if (dynamicWatchers) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}' }, { globPattern: '**/{deadbolt.config,tsconfig}.json' }],
      });
    }
    // The library throws when asked for folder events a client never sends.
    if (!folderEvents) return;
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
      folders = [...folders.filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined)];
      roots.setFolders(folders);
      void reconfigure();
    });
  });

  documents.onDidChangeContent((event) => void edited(event.document));
  documents.onDidSave((event) => void freshRoot(event.document.uri));
  documents.onDidClose((event) => void fromDisk(event.document.uri, false, event.document.languageId));

  connection.onDidChangeConfiguration(() => {
    settings.clear();
    void reconfigure();
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (path === undefined) continue;
      const name = basename(path);
      if (name === 'deadbolt.config.json' || name === 'tsconfig.json') {
        void reconfigure();
        return;
      }
      if (documents.get(change.uri) === undefined) void fromDisk(change.uri, change.type === FileChangeType.Deleted);
    }
  });

  connection.onCodeAction(async (params) => {
    const target = await freshRoot(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (target === undefined || document === undefined) return [];
    if (target.root.versions.get(document.uri) !== document.version) return []; // analysis failed on this text
    const findings = target.root.findings.get(target.path) ?? [];
    // Fixes are type-checked only now, and only those this request can show: the gate costs a program per fix.
    const asked = fixesAsked(params, findings);
    const asOf = generation;
    const checked = async (list: Finding[], safeOnly: boolean): Promise<Finding[]> =>
      list.length === 0 ? [] : (((await host.query(target.root.name, { kind: 'fixes', findings: list, safeOnly, generation: asOf })) as Finding[] | null | undefined) ?? []);
    const [quickFix, fixAll] = await Promise.all([checked(asked.quickFix, false), checked(asked.fixAll, true)]);
    const indexOf = new Map(asked.quickFix.map((f, i) => [f, i]));
    return codeActions({
      params,
      // Findings without fixes still get their suppression and graph actions.
      findings: findings.map((f) => (indexOf.has(f) ? (quickFix[indexOf.get(f)!] ?? { ...f, fixes: [] }) : { ...f, fixes: [] })),
      fixAllFindings: fixAll,
      uris,
      docsBase,
      lockGraphCommand,
      textOf: (path) => textDocumentOf(documents, uris, path),
    });
  });

  connection.onHover(async (params) => {
    const target = await freshRoot(params.textDocument.uri);
    const document = documents.get(params.textDocument.uri);
    if (target?.root.scheduler === undefined || document === undefined) return null;
    const word = identifierAt(document.getText(), document.offsetAt(params.position));
    const answer = await host.query(target.root.name, { kind: 'hover', uri: params.textDocument.uri, position: params.position, word });
    return (answer as Hover | null | undefined) ?? null;
  });

  connection.onRequest(LockGraphRequestType, async (params) => {
    // Every workspace folder is analysed for the graph, not only folders with an open document.
    const named = (params.uris ?? []).map((u) => uriToPath(u)).filter((p): p is string => p !== undefined);
    const names = new Set([...folders, ...named.map((p) => roots.rootNameOf(p))]);
    await Promise.all([...names].map((name) => roots.get(name)));
    const states = (await roots.all()).filter((root) => root.scheduler !== undefined);
    await Promise.all(states.map((root) => root.scheduler!.flush()));
    const query = params.uris === undefined ? { kind: 'graph' as const } : { kind: 'graph' as const, uris: params.uris };
    const graphs = await Promise.all(states.map((root) => host.query(root.name, query)));
    return mergeGraphs(graphs.filter((g): g is StaticLockGraph => g !== undefined && g !== null && 'nodes' in g));
  });

  connection.onShutdown(async () => {
    for (const root of await roots.all()) root.scheduler?.dispose();
    await host.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
