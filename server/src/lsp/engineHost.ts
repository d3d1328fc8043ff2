/**
 * The main thread's handle on the analysis worker: it forwards roots and buffers, runs one analysis at a time,
 * cancels a stale run through a shared word, and restarts the worker (replaying what it knew) if it dies.
 * Only type imports of the engine appear on this side: the main thread never loads ts-morph or the rules, so an
 * engine that fails to load or runs out of memory takes down the worker, never the connection.
 */
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions, Finding } from '../engine/index.js';
import { CANCEL_SLOTS, NEWEST_GENERATION, type GraphQuery, type QueryResult, type WorkerRequest, type WorkerResponse } from './workerProtocol.js';

export type AnalysisOutcome =
  | { kind: 'analyzed'; findings: Finding[]; files: number; walks: { run: number; reused: number }; elapsedMs: number; cached?: string }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };

export interface EngineHostOptions {
  /** Heap limit of the worker: a workspace too large for it ends the worker, not the server. */
  maxMemoryMb: number;
  log(level: 'error' | 'info', message: string): void;
  /** Called once a replacement worker has been given every root and buffer: what failed should be analysed again. */
  restarted(): void;
}

/** After this many worker deaths the host stops restarting it, so a file that always kills it cannot loop forever. */
const MAX_RESTARTS = 5;

export class EngineHost {
  private worker: Worker;
  private readonly cancel = new Int32Array(new SharedArrayBuffer(CANCEL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private readonly roots = new Map<string, Omit<AnalyzeOptions, 'onProgress'>>();
  /** The last text sent per root and path, replayed into a restarted worker. */
  private readonly buffers = new Map<string, Map<string, string>>();
  /** Answers awaited by id; `undefined` when the worker died or the server is shutting down first. */
  private readonly pending = new Map<number, (response: WorkerResponse | undefined) => void>();
  /** Per root, the files its Workspace holds as of the last analysis (the worker reports them when they change). */
  private readonly files = new Map<string, ReadonlySet<string>>();
  /** Analyses wait here so only one runs at a time: the cancellation word then always refers to the running one. */
  private queue: Promise<unknown> = Promise.resolve();
  private running: { root: string; generation: number } | undefined;
  private nextId = 1;
  /** Fix checks awaited from the worker, by root and the edit generation their findings come from. */
  private readonly checking = new Set<{ root: string; generation: number }>();
  private restarts = 0;
  private disposed = false;

  constructor(private readonly options: EngineHostOptions) {
    this.worker = this.spawn();
  }

  openRoot(root: string, options: Omit<AnalyzeOptions, 'onProgress'>): void {
    this.roots.set(root, options);
    this.buffers.set(root, new Map());
    this.send({ type: 'open', root, options });
  }

  closeRoot(root: string): void {
    this.roots.delete(root);
    this.buffers.delete(root);
    this.files.delete(root);
    this.send({ type: 'close', root });
  }

  /**
   * Sends a file's text. `replay` marks an editor buffer, which a restarted worker must be given again;
   * text read from disk is not kept, since a new worker reads the disk itself.
   */
  setFile(root: string, path: string, text: string, generation: number, replay: boolean): void {
    if (replay) this.buffers.get(root)?.set(path, text);
    else this.buffers.get(root)?.delete(path);
    this.send({ type: 'setFile', root, path, text });
    this.markStale(root, generation);
  }

  removeFile(root: string, path: string, generation: number): void {
    this.buffers.get(root)?.delete(path);
    this.send({ type: 'removeFile', root, path });
    this.markStale(root, generation);
  }

  /**
   * Whether the root's Workspace already holds exactly `text` for `path` (the buffer last sent, or the disk text of
   * a file it loaded), so sending it again would only cause a redundant analysis.
   */
  holds(root: string, path: string, text: string, diskText: () => string | undefined): boolean {
    const buffer = this.buffers.get(root)?.get(path);
    if (buffer !== undefined) return buffer === text;
    return this.files.get(root)?.has(path) === true && diskText() === text;
  }

  /** Analyses `root` as of `generation`, after every analysis already asked for. */
  analyze(root: string, generation: number): Promise<AnalysisOutcome> {
    const run = this.queue.then(
      () =>
        new Promise<AnalysisOutcome>((resolve) => {
          if (this.disposed) return resolve({ kind: 'failed', message: 'the language server is shutting down' });
          // The root was closed (settings changed, a folder was removed) while this run waited: nothing to analyse.
          if (!this.roots.has(root)) return resolve({ kind: 'cancelled' });
          const id = this.nextId++;
          this.running = { root, generation };
          this.pending.set(id, (response) => {
            this.running = undefined;
            resolve(outcomeOf(response));
          });
          this.send({ type: 'analyze', root, id, generation });
        }),
    );
    this.queue = run;
    return run;
  }

  /** Asks about a root's last analysis; undefined when no worker can answer. */
  query(root: string, query: GraphQuery): Promise<QueryResult | undefined> {
    if (this.disposed) return Promise.resolve(undefined);
    const id = this.nextId++;
    // A fix check, like an analysis, gives way to a newer edit of its root (see markStale).
    const checking = query.kind === 'fixes' ? { root, generation: query.generation } : undefined;
    if (checking) this.checking.add(checking);
    return new Promise((resolve) => {
      this.pending.set(id, (response) => {
        if (checking) this.checking.delete(checking);
        resolve(response?.type === 'answer' ? response.result : undefined);
      });
      this.send({ type: 'query', root, id, query });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.settleAll();
    await this.worker.terminate();
  }

  /**
   * An edit of the root being analysed (or whose fixes are being checked) makes that work stale: publish the edit's
   * generation for the worker to see.
   */
  private markStale(root: string, generation: number): void {
    const checking = [...this.checking].some((c) => c.root === root && generation > c.generation);
    if ((this.running?.root === root && generation > this.running.generation) || checking) {
      // Release-store after the edit was posted: the worker abandons the run at its next progress report.
      Atomics.store(this.cancel, NEWEST_GENERATION, generation);
    }
  }

  private send(request: WorkerRequest): void {
    this.worker.postMessage(request);
  }

  private spawn(): Worker {
    Atomics.store(this.cancel, NEWEST_GENERATION, 0);
    const worker = new Worker(new URL('./analysisWorker.js', import.meta.url), {
      workerData: { cancel: this.cancel.buffer },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxMemoryMb },
      // The worker's stdout would otherwise share the LSP stdio channel and corrupt the protocol stream.
      stdout: true,
      stderr: true,
    });
    worker.stdout.on('data', (chunk: Buffer) => this.options.log('info', chunk.toString('utf8').trimEnd()));
    worker.stderr.on('data', (chunk: Buffer) => this.options.log('error', chunk.toString('utf8').trimEnd()));
    worker.on('message', (message: WorkerResponse) => this.receive(message));
    worker.on('error', (error) => this.options.log('error', `analysis worker failed: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.exited(worker, code));
    return worker;
  }

  private receive(message: WorkerResponse): void {
    if (message.type === 'log') {
      this.options.log(message.level, message.message);
      return;
    }
    const settle = this.pending.get(message.id);
    if (settle === undefined) return;
    this.pending.delete(message.id);
    if (message.type === 'analyzed' && message.rootFiles !== undefined && this.running !== undefined) {
      this.files.set(this.running.root, new Set(message.rootFiles));
    }
    settle(message);
  }

  private exited(worker: Worker, code: number): void {
    if (this.disposed || worker !== this.worker) return;
    this.settleAll();
    this.files.clear();
    if (this.restarts >= MAX_RESTARTS) {
      this.options.log('error', `the analysis worker exited (code ${code}) ${MAX_RESTARTS} times; analysis is off until the server restarts`);
      this.disposed = true;
      return;
    }
    this.restarts++;
    this.options.log('error', `the analysis worker exited (code ${code}); restarting it`);
    this.worker = this.spawn();
    for (const [root, options] of this.roots) {
      this.send({ type: 'open', root, options });
      for (const [path, text] of this.buffers.get(root) ?? []) this.send({ type: 'setFile', root, path, text });
    }
    this.options.restarted();
  }

  /** Gives every awaited answer up: the worker that would have sent it is gone. */
  private settleAll(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.running = undefined;
    for (const settle of waiting) settle(undefined);
  }
}

function outcomeOf(response: WorkerResponse | undefined): AnalysisOutcome {
  if (response === undefined) return { kind: 'failed', message: 'the analysis worker stopped before answering' };
  if (response.type === 'analyzed') {
    const { findings, files, walks, elapsedMs, cached } = response;
    return { kind: 'analyzed', findings, files, walks, elapsedMs, ...(cached === undefined ? {} : { cached }) };
  }
  if (response.type === 'cancelled') return { kind: 'cancelled' };
  if (response.type === 'failed') return { kind: 'failed', message: response.message };
  return { kind: 'failed', message: `unexpected answer ${response.type}` };
}
