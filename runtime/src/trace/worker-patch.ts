/**
 * Wraps `worker_threads.Worker` so every worker the program creates starts traced: Node 20 runs `--import`
 * preloads in the main thread only, so the worker runs our bootstrap first, which installs the tracer and then
 * imports the real entry. The wrapper also names the worker (its `name` option, else "worker #<threadId>": a file
 * name would call every worker started from worker.ts "worker") and reports its exit.
 * For a TypeScript program the adapter has compiled, it also runs the compiled module of a worker named by its
 * `.ts` source (or by the `.js` path NodeNext style gives that source), since Node 20 cannot run `.ts` itself.
 */
import { existsSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as workerThreads from 'node:worker_threads';
import { WORKER_ENTRY_KEY } from './thread-setup.js';
import type { RingTracer } from './ring-tracer.js';

/** What the bootstrap needs to know about the worker it starts. */
export interface WorkerEntry {
  entry: string;
  /** The program asked for the worker's stdout/stderr as streams, so the bootstrap must not redirect them. */
  stdout: boolean;
  stderr: boolean;
}

/**
 * environmentData key under which the adapter's compiled entry publishes its {@link TypeScriptOutputs} (cloned into
 * every worker, so nested workers see it too). The adapter (server/src/dap/typescript.ts) spells the same string.
 */
export const TYPESCRIPT_OUTPUTS_KEY = 'deadbolt:typescript-outputs';

/** The TypeScript files of a program the adapter compiled, mirrored from `sourceRoot` into `outputRoot`. */
export interface TypeScriptOutputs {
  sourceRoot: string;
  outputRoot: string;
  /** Source path -> compiled module path, both relative to their roots, with '/' separators. */
  outputs: Record<string, string>;
  /** Source path -> why it did not compile (reported when a worker is started from it). */
  errors: Record<string, string>;
}

export function patchWorker(tracer: RingTracer, bootstrap: URL): void {
  const Original = workerThreads.Worker;
  class Worker extends Original {
    constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
      const entry = options.eval === true ? undefined : entryHref(filename);
      if (entry !== undefined) {
        const info: WorkerEntry = { entry, stdout: options.stdout === true, stderr: options.stderr === true };
        // environmentData is cloned at construction, so setting it just before and clearing it just after scopes it to this worker.
        workerThreads.setEnvironmentData(WORKER_ENTRY_KEY, JSON.stringify(info));
      }
      super(entry === undefined ? filename : bootstrap, options);
      if (entry !== undefined) workerThreads.setEnvironmentData(WORKER_ENTRY_KEY, undefined);
      const child = this.threadId;
      tracer.threadName(child, threadName(options.name, child));
      // An 'exit' listener only observes; ('error' would not be safe: listening to it stops the error from crashing the program).
      this.on('exit', (code: number) => tracer.threadExit(child, code));
    }
  }
  // The CommonJS exports object is the writable one; syncing makes the ESM named export follow it.
  const cjs = createRequire(import.meta.url)('node:worker_threads') as { Worker: typeof Original };
  cjs.Worker = Worker;
  syncBuiltinESMExports();
}

function entryHref(filename: string | URL): string {
  const href = filename instanceof URL ? filename.href : pathToFileURL(filename).href;
  const outputs = workerThreads.getEnvironmentData(TYPESCRIPT_OUTPUTS_KEY) as string | undefined;
  if (outputs === undefined || !href.startsWith('file:')) return href;
  const compiled = compiledModule(fileURLToPath(href), JSON.parse(outputs) as TypeScriptOutputs);
  return compiled === undefined ? href : pathToFileURL(compiled).href;
}

const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

/**
 * The compiled module to run for a worker file, or undefined to run the file as named. A path inside the output
 * tree that is not a compiled module (`new URL('./worker.ts', import.meta.url)` seen from the compiled entry) stands
 * for the same path in the source tree; there a `.ts` source, or a missing `.js` whose `.ts` sibling exists, maps
 * to its compiled module.
 */
export function compiledModule(path: string, ts: TypeScriptOutputs): string | undefined {
  let source = path;
  const inOutput = within(ts.outputRoot, path);
  if (inOutput !== undefined) {
    if (Object.values(ts.outputs).includes(inOutput)) return undefined;
    source = join(ts.sourceRoot, inOutput);
  }
  const rel = within(ts.sourceRoot, source);
  if (rel === undefined) return undefined;
  const candidates = [rel];
  const ext = /\.[cm]?js$/.exec(rel)?.[0];
  if (ext !== undefined && !existsSync(source)) {
    for (const tsExt of JS_TO_TS[ext]!) candidates.push(rel.slice(0, -ext.length) + tsExt);
  }
  for (const candidate of candidates) {
    const output = ts.outputs[candidate];
    if (output !== undefined) return join(ts.outputRoot, output);
    const error = ts.errors[candidate];
    if (error !== undefined) throw new Error(`Cannot start a worker from '${join(ts.sourceRoot, candidate)}': ${error}`);
  }
  // A file of the output tree with no source counterpart that compiled: the source tree's file is what exists.
  return inOutput !== undefined && existsSync(source) ? source : undefined;
}

/** `path` relative to `root` with '/' separators, or undefined when it lies outside. */
function within(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** The name the debugger shows for a worker: its `name` option when it has a non-blank one, else its thread id. */
export function threadName(name: string | undefined, threadId: number): string {
  return typeof name === 'string' && name.trim() !== '' ? name : `worker #${threadId}`;
}
