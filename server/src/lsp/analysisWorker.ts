/**
 * The analysis worker of `deadbolt-lsp`: it owns one engine Workspace per root, applies the main thread's
 * requests in order, keeps each root's last lock graph to answer graph and hover queries, and type-checks the fixes
 * a code action is about to offer. Running the engine here keeps the LSP thread answering during a long analysis,
 * lets an out-of-memory end only this thread, and lets a stale run (or fix check) be abandoned through shared memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isCancellation, Workspace, type Finding } from '../engine/index.js';
import { cacheFile, lookup, type CacheRequest } from '../engine/cache.js';
import { TsconfigError } from '../engine/project.js';
import type { StaticLockGraph } from '../protocol/index.js';
import { uriToPath } from './files.js';
import { hover } from './hover.js';
import { filterGraph } from './lockGraph.js';
import { NEWEST_GENERATION, type GraphQuery, type QueryResult, type WorkerRequest, type WorkerResponse } from './workerProtocol.js';

/** Thrown from the engine's progress callback to abandon a run whose input has changed. */
class Cancelled extends Error {}

const port = parentPort;
if (port === null) throw new Error('analysisWorker.js must run as a worker thread');
const cancel = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);

interface Root {
  workspace: Workspace;
  /** The generation of the run in progress; the progress callback compares the shared word against it. */
  runningGeneration: number;
  /** The root files last reported to the main thread. */
  reportedFiles: readonly string[] | undefined;
  /** The lock graph of the last completed analysis. */
  graph: StaticLockGraph;
  /** Editor buffers by path, for reading the identifier a lock is declared with. */
  buffers: Map<string, string>;
  /** Files set (text) or removed (null) since the last completed analysis. */
  unanalysed: Map<string, string | null>;
  /** What the root was opened with, to find its entry in a results cache; dropped once the first analysis ran. */
  cacheRequest: CacheRequest | undefined;
}
const roots = new Map<string, Root>();

function post(message: WorkerResponse): void {
  port!.postMessage(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function open(name: string, options: Extract<WorkerRequest, { type: 'open' }>['options']): void {
  const root: Root = {
    workspace: undefined as unknown as Workspace,
    runningGeneration: Number.MAX_SAFE_INTEGER,
    reportedFiles: undefined,
    graph: { nodes: [], edges: [], cycles: [] },
    buffers: new Map(),
    unanalysed: new Map(),
    cacheRequest: options.config === undefined ? undefined : { ...options, config: options.config },
  };
  const onProgress = (): void => {
    // Acquire-load: the main thread publishes a newer generation with Atomics.store after posting the edit,
    // so seeing it here means the run's input is already out of date and its findings would be discarded.
    if (Atomics.load(cancel, NEWEST_GENERATION) > root.runningGeneration) throw new Cancelled();
  };
  try {
    root.workspace = new Workspace({ ...options, onProgress });
  } catch (error) {
    if (options.tsconfig === undefined) throw error;
    // A tsconfig.json being edited is often invalid for a while; analyse the folder's files meanwhile.
    // A TsconfigError's message already names file, line and column; a stack would only hide it.
    const reason = error instanceof TsconfigError ? error.message : describe(error);
    post({ type: 'log', level: 'error', message: `cannot use ${options.tsconfig} (${reason}); analysing every source file below ${options.cwd} instead` });
    root.workspace = new Workspace({ ...options, tsconfig: undefined, paths: [options.cwd], onProgress });
  }
  roots.set(name, root);
}

function analyze(request: Extract<WorkerRequest, { type: 'analyze' }>): void {
  const root = roots.get(request.root);
  if (root === undefined) {
    post({ type: 'failed', id: request.id, message: `no workspace is open for ${request.root}` });
    return;
  }
  const started = performance.now();
  root.runningGeneration = request.generation;
  // Opening a workspace the CLI checked with --cache: its result answers at once, and the analysis that follows
  // (for the lock graph and the next edits, and equal to it) is not sent again.
  const cached = fromCache(root);
  const reportFiles = (): { rootFiles?: readonly string[] } => {
    const files = root.workspace.rootFiles;
    const changed = files !== root.reportedFiles && (files.length !== root.reportedFiles?.length || files.some((f, i) => f !== root.reportedFiles![i]));
    root.reportedFiles = files;
    return changed ? { rootFiles: files } : {};
  };
  if (cached !== undefined) {
    const { findings, files, from } = cached;
    post({ type: 'analyzed', id: request.id, findings, files, walks: { run: 0, reused: 0 }, elapsedMs: performance.now() - started, cached: from, ...reportFiles() });
  }
  try {
    const result = root.workspace.analyze();
    root.unanalysed.clear();
    if (cached === undefined) {
      post({
        type: 'analyzed',
        id: request.id,
        findings: result.findings,
        files: result.files,
        walks: result.walks,
        elapsedMs: performance.now() - started,
        ...reportFiles(),
      });
    }
    // The graph answers later queries; it is built after the findings are on their way, so an edit's
    // diagnostics never wait for it, and before the next message can change the Project under its nodes.
    try {
      root.graph = result.graph;
    } catch (error) {
      root.graph = { nodes: [], edges: [], cycles: [] };
      post({ type: 'log', level: 'error', message: `building the lock graph of ${request.root}: ${describe(error)}` });
    }
  } catch (error) {
    // The Workspace marks its changes as seen before it builds the model, so after an abandoned (or failed) run it
    // would reuse a result that predates them. Tell it again; setFile ignores a text it already has, hence the
    // detour through a text that differs by one newline (never analysed: both calls happen before the next run).
    for (const [path, text] of root.unanalysed) {
      if (text === null) {
        root.workspace.removeFile(path);
      } else {
        root.workspace.setFile(path, `${text}\n`);
        root.workspace.setFile(path, text);
      }
    }
    if (cached !== undefined) {
      // The request was answered from the cache; the next one analyses again.
      if (!(error instanceof Cancelled)) post({ type: 'log', level: 'error', message: `analysing ${request.root} after reading its cache: ${describe(error)}` });
    } else if (error instanceof Cancelled) post({ type: 'cancelled', id: request.id });
    else post({ type: 'failed', id: request.id, message: describe(error) });
  } finally {
    root.runningGeneration = Number.MAX_SAFE_INTEGER;
  }
}

/**
 * The root's result from the `.deadboltcache` in its folder, for its first analysis only, and only while every editor
 * buffer equals its file on disk (the cache knows the disk).
 */
function fromCache(root: Root): { findings: Finding[]; files: number; from: string } | undefined {
  const request = root.cacheRequest;
  root.cacheRequest = undefined;
  if (request === undefined) return undefined;
  const file = cacheFile(request.cwd, undefined);
  if (!existsSync(file)) return undefined;
  for (const [path, text] of root.buffers) {
    let disk: string | undefined;
    try {
      disk = readFileSync(path, 'utf8');
    } catch {
      disk = undefined;
    }
    if (disk !== text) return undefined;
  }
  const hit = lookup(file, request);
  return hit === undefined ? undefined : { findings: hit.findings, files: hit.files, from: file };
}

function answer(root: Root | undefined, query: GraphQuery): QueryResult {
  if (root === undefined) return query.kind === 'graph' ? { nodes: [], edges: [], cycles: [] } : query.kind === 'fixes' ? [] : null;
  if (query.kind === 'graph') return query.uris === undefined ? root.graph : filterGraph(root.graph, query.uris);
  if (query.kind === 'fixes') {
    // Acquire-load, as for an analysis: the main thread stores a newer edit's generation there after posting it.
    const cancelled = (): boolean => Atomics.load(cancel, NEWEST_GENERATION) > query.generation;
    try {
      return root.workspace.checkFixes(query.findings, (_, fix) => !query.safeOnly || fix.safety === 'safe', cancelled);
    } catch (error) {
      if (isCancellation(error)) return [];
      throw error;
    }
  }
  const textOf = (uri: string): string | undefined => {
    const path = uriToPath(uri);
    if (path === undefined) return undefined;
    const buffer = root.buffers.get(path);
    if (buffer !== undefined) return buffer;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  return hover(root.graph, query.uri, query.position, query.word, textOf);
}

function handle(request: WorkerRequest): void {
  switch (request.type) {
    case 'open':
      open(request.root, request.options);
      return;
    case 'close':
      roots.delete(request.root);
      return;
    case 'setFile': {
      const root = roots.get(request.root);
      root?.workspace.setFile(request.path, request.text);
      root?.buffers.set(request.path, request.text);
      root?.unanalysed.set(request.path, request.text);
      return;
    }
    case 'removeFile': {
      const root = roots.get(request.root);
      root?.workspace.removeFile(request.path);
      root?.buffers.delete(request.path);
      root?.unanalysed.set(request.path, null);
      return;
    }
    case 'analyze':
      analyze(request);
      return;
    case 'query':
      post({ type: 'answer', id: request.id, result: answer(roots.get(request.root), request.query) });
      return;
  }
}

port.on('message', (request: WorkerRequest) => {
  try {
    handle(request);
  } catch (error) {
    // A buffer the engine cannot take (or a root it cannot open) must not end the worker: log and carry on.
    post({ type: 'log', level: 'error', message: `${request.type} ${'path' in request ? request.path : request.root}: ${describe(error)}` });
    if (request.type === 'analyze') post({ type: 'failed', id: request.id, message: describe(error) });
    if (request.type === 'query') post({ type: 'answer', id: request.id, result: null });
  }
});
