/**
 * Traces the promise-based locks programs use besides the runtime's: Web Locks (`navigator.locks` and
 * `worker_threads.locks`, Node 24+) and async-mutex (`Mutex`, `Semaphore`, and through them `withTimeout`/`tryAcquire`).
 * Installed in every traced thread by thread-setup.ts; it wraps their methods and records waits, grants and releases
 * through the same ring as the runtime's locks, with one difference: the node of the wait-for graph is an async task.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { encodeFrames, parseStack, userFrames } from './call-site.js';
import type { WaitKind } from './hooks.js';
import type { RingTracer } from './ring-tracer.js';

/**
 * One async task: the wait-for node for async locks. One thread runs many tasks, and two tasks of one thread can wait
 * for each other forever, so a thread is too coarse. A task is (1) the body of a lock callback (a Web Locks request's
 * or `runExclusive`'s callback, run under AsyncLocalStorage so everything it awaits is the same task), or (2) an async
 * function that called `acquire()` outside any callback (entered into its async context then), or (3) a one-off
 * waiter for a request made outside both (it holds nothing, so it can wait but never close a cycle).
 */
class Task {
  private id: number | undefined;
  /** Entered by `acquire()` in the current synchronous run; another acquire before it ends is another async function. */
  fresh = false;
  /** For a task entered by `acquire()`: the function that called it (name and file), the only one that continues it. */
  owner: string | undefined;

  constructor(
    private readonly tracer: RingTracer,
    private readonly name: string,
  ) {}

  /** The task's trace thread id, announced (named, under its thread) on first use. */
  get traceId(): number {
    this.id ??= this.tracer.newTask(this.name);
    return this.id;
  }

  /** Locks this task holds now: a wait while holding is the kind that can close a cycle. */
  holding = 0;
}

const tasks = new AsyncLocalStorage<Task>();

/** Lock ids of async locks are negative, so they never meet the runtime's (non-negative) ids. */
const WEB_LOCK_BASE = 2 ** 52;
const INSTANCE_BASE = 2 ** 32;

let tracer: RingTracer | undefined;
const namedHere = new Set<number>();

export async function traceAsyncLocks(next: RingTracer, entry: string | undefined): Promise<void> {
  tracer = next;
  patchWebLocks();
  let modules: AsyncMutexModule[] = [];
  try {
    modules = await loadAsyncMutex(entry);
  } catch (error) {
    // Tracing must never stop the program from starting: an async-mutex that does not load here goes untraced.
    process.emitWarning(`deadbolt: async-mutex not traced: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const module of modules) patchAsyncMutex(module);
}

/**
 * A task's name is the function it started in; the adapter numbers tasks by id. Names are interned strings in the
 * trace, so a name unique per task would make the string table (and the ring) grow with every lock callback.
 */
function taskName(site: string): string {
  const fn = site.split('\t', 1)[0] ?? '';
  return fn === '<anonymous>' ? '' : fn;
}

/** Frames captured per async acquisition: the wrapper, async-mutex's own (withTimeout adds a few) and the caller's. */
const ASYNC_CAPTURE_LIMIT = 10;

/** The user's frames at this point: the runtime's, Node's and async-mutex's own are dropped. */
function siteHere(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = ASYNC_CAPTURE_LIMIT;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = userFrames(parseStack(stack)).filter((f) => !f.file.includes('/node_modules/async-mutex/'));
  return encodeFrames(frames);
}

function announce(id: number, kind: string, name: string): void {
  if (namedHere.has(id)) return;
  namedHere.add(id);
  tracer!.created(id, kind, name);
}

/** The function a site's first frame is in, by name and file. */
function callerOf(site: string): string {
  const [name = '', file = ''] = site.split('\n', 1)[0]!.split('\t');
  return `${name}\t${file}`;
}

/**
 * The current task, if the code at `site` continues it. A callback task's context is exact (AsyncLocalStorage.run);
 * an entered task's context also leaks into its caller after the caller's await, so it is continued only by the
 * function that entered it, and not from a sibling call started in the same synchronous run (still `fresh`).
 */
function continuedTask(site: string): Task | undefined {
  const current = tasks.getStore();
  if (current === undefined || current.owner === undefined) return current;
  return !current.fresh && current.owner === callerOf(site) ? current : undefined;
}

/** The task a wait made here belongs to: the current one, or a one-off waiter. */
function waiterTask(site: string): Task {
  return continuedTask(site) ?? new Task(tracer!, taskName(site));
}

function begin(task: Task, id: number, kind: WaitKind, site: string): void {
  tracer!.taskWaitBegin(task.traceId, id, kind, task.holding > 0, site);
}

function hold(task: Task, id: number, site: string): void {
  task.holding++;
  tracer!.taskHeld(task.traceId, id, site);
}

function release(task: Task, id: number): void {
  task.holding--;
  tracer!.taskReleased(task.traceId, id);
}

/** Runs `callback` as a new task holding `id` until the promise it returns settles. */
function runHolding<T>(id: number, site: string, callback: () => T): T | Promise<Awaited<T>> {
  const task = new Task(tracer!, taskName(site));
  hold(task, id, site);
  let result: T;
  try {
    result = tasks.run(task, callback);
  } catch (error) {
    release(task, id);
    throw error;
  }
  return Promise.resolve(result).finally(() => release(task, id));
}

// ---- Web Locks ----

interface LockManagerLike {
  request(name: string, ...rest: unknown[]): Promise<unknown>;
}

function webLockId(name: string): number {
  // FNV-1a over UTF-16 units in two 32-bit lanes, folded into 51 bits: one id per name in every thread.
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    a = Math.imul(a ^ name.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ name.charCodeAt(i), 0x5bd1e995);
  }
  return -(WEB_LOCK_BASE + ((a >>> 0) % 2 ** 19) * 2 ** 32 + (b >>> 0));
}

function patchWebLocks(): void {
  const manager = (globalThis as { navigator?: { locks?: object } }).navigator?.locks;
  if (manager === undefined) return;
  const proto = Object.getPrototypeOf(manager) as LockManagerLike;
  const original = proto.request;
  proto.request = function request(this: LockManagerLike, name: string, ...rest: unknown[]): Promise<unknown> {
    const callback = rest[rest.length - 1];
    if (typeof callback !== 'function' || tracer === undefined) return original.call(this, name, ...rest);
    const options = (rest.length > 1 ? rest[0] : {}) as { ifAvailable?: boolean; steal?: boolean; mode?: string } | undefined;
    const id = webLockId(String(name));
    announce(id, 'web lock', String(name));
    const site = siteHere();
    const waiter = waiterTask(site);
    // ifAvailable and steal never wait: the callback runs at once, with null or with the stolen lock.
    const waits = options?.ifAvailable !== true && options?.steal !== true;
    if (waits) begin(waiter, id, 'lock', site);
    let settled = !waits;
    const traced = (lock: unknown): unknown => {
      if (!settled) tracer!.taskWaitEnd(waiter.traceId, id, lock !== null);
      settled = true;
      if (lock === null) return (callback as (l: unknown) => unknown)(lock);
      return runHolding(id, site, () => (callback as (l: unknown) => unknown)(lock));
    };
    const args = rest.length > 1 ? [rest[0], traced] : [traced];
    // A request aborted by its signal rejects without calling back: its wait ends then. The returned promise is a
    // new one, so the program's own handling (or not) of a rejection is what Node judges, as without tracing.
    return original.call(this, name, ...args).then(undefined, (error: unknown) => {
      if (!settled) tracer!.taskWaitEnd(waiter.traceId, id, false);
      settled = true;
      throw error;
    });
  };
}

// ---- async-mutex ----

type Releaser = () => void;
interface SemaphoreLike {
  acquire(...args: unknown[]): Promise<[number, Releaser]>;
  runExclusive(callback: (value: number) => unknown, ...args: unknown[]): Promise<unknown>;
  release(...args: unknown[]): void;
  isLocked(): boolean;
  getValue(): number;
}
interface MutexLike {
  _semaphore?: SemaphoreLike;
  acquire(...args: unknown[]): Promise<Releaser>;
  runExclusive(callback: () => unknown, ...args: unknown[]): Promise<unknown>;
  release(): void;
  isLocked(): boolean;
}
interface AsyncMutexModule {
  Mutex?: { prototype: MutexLike };
  Semaphore?: { prototype: SemaphoreLike };
}

/** Both builds of the package the program would load (its CommonJS `require` and its ESM `import` are two modules). */
async function loadAsyncMutex(entry: string | undefined): Promise<AsyncMutexModule[]> {
  const bases = [entry, join(process.cwd(), 'x.js')].filter((b): b is string => b !== undefined && b !== '');
  for (const base of bases) {
    let main: string;
    try {
      main = createRequire(base).resolve('async-mutex');
    } catch {
      continue;
    }
    const modules: AsyncMutexModule[] = [createRequire(base)('async-mutex') as AsyncMutexModule];
    const root = dirname(createRequire(base).resolve('async-mutex/package.json'));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: { '.'?: { import?: string } } };
    const esm = pkg.exports?.['.']?.import;
    if (esm !== undefined && join(root, esm) !== main) modules.push((await import(pathToFileURL(join(root, esm)).href)) as AsyncMutexModule);
    return modules;
  }
  return [];
}

const instanceIds = new WeakMap<object, number>();
/** The semaphore inside each Mutex: traced as the mutex, not a second time as a semaphore. */
const insideMutex = new WeakSet<object>();
/** Per instance, the tasks holding it, oldest first: `release()` without a releaser frees the oldest. */
const holders = new WeakMap<object, Task[]>();
const patched = new WeakSet<object>();
let instances = 0;

function instanceId(instance: object, kind: string, site: string): number {
  let id = instanceIds.get(instance);
  if (id === undefined) {
    id = -(threadId * INSTANCE_BASE + ++instances);
    instanceIds.set(instance, id);
    const [, file = '', line = ''] = site.split('\n', 1)[0]!.split('\t');
    announce(id, kind, `${kind} ${instances}${file !== '' ? ` (${basename(file)}:${line})` : ''}`);
  }
  return id;
}

/** The task that holds what `acquire()` returns: the current one, or this async function entered as a new task. */
function holderTask(site: string): Task {
  const current = continuedTask(site);
  if (current !== undefined) return current;
  const task = new Task(tracer!, taskName(site));
  task.fresh = true;
  task.owner = callerOf(site);
  tasks.enterWith(task);
  // Until the current synchronous run ends, the entered task may be inherited by a sibling async function started
  // from the same caller (Promise.all([a(), b()])): a second acquire() then sees `fresh` and becomes its own task.
  queueMicrotask(() => (task.fresh = false));
  return task;
}

function take(instance: object, task: Task, id: number, site: string): void {
  hold(task, id, site);
  let list = holders.get(instance);
  if (list === undefined) holders.set(instance, (list = []));
  list.push(task);
}

/** Records the release of `instance` by `task` (or by its oldest holder, for a bare `release()`). */
function give(instance: object, id: number, task?: Task): void {
  const list = holders.get(instance);
  if (list === undefined || list.length === 0) return;
  const index = task === undefined ? 0 : list.indexOf(task);
  if (index < 0) return;
  const [holder] = list.splice(index, 1);
  release(holder!, id);
}

function onceReleasing(instance: object, id: number, task: Task, releaser: Releaser): Releaser {
  let done = false;
  return () => {
    if (!done) give(instance, id, task);
    done = true;
    releaser();
  };
}

function patchAsyncMutex(module: AsyncMutexModule): void {
  const mutex = module.Mutex?.prototype;
  if (mutex !== undefined && !patched.has(mutex)) {
    patched.add(mutex);
    patchExclusive(mutex, 'Mutex', 'lock', true);
  }
  const semaphore = module.Semaphore?.prototype;
  if (semaphore !== undefined && !patched.has(semaphore)) {
    patched.add(semaphore);
    patchExclusive(semaphore, 'Semaphore', 'semaphore', false);
  }
}

/**
 * Wraps acquire, runExclusive and release of Mutex (`isMutex`: acquire resolves to the releaser) or Semaphore (to
 * `[value, releaser]`). Mutex waits are owned (they can close a cycle); semaphore waits are shown only, like the
 * runtime's semaphores.
 */
function patchExclusive(proto: MutexLike | SemaphoreLike, kind: string, waitKind: WaitKind, isMutex: boolean): void {
  const p = proto as unknown as Record<string, (...args: unknown[]) => unknown>;
  const acquire = p['acquire']!;
  const runExclusive = p['runExclusive']!;
  const releaseOriginal = p['release']!;
  const skip = (self: object): boolean => tracer === undefined || insideMutex.has(self);
  const mark = (self: MutexLike): void => {
    if (isMutex && self._semaphore !== undefined) insideMutex.add(self._semaphore);
  };
  const busy = (self: MutexLike | SemaphoreLike): boolean => (isMutex ? self.isLocked() : (self as SemaphoreLike).getValue() <= 0);

  p['acquire'] = function (this: MutexLike, ...args: unknown[]): unknown {
    if (skip(this)) return acquire.apply(this, args);
    mark(this);
    const site = siteHere();
    const id = instanceId(this, kind, site);
    const task = holderTask(site);
    const waits = busy(this);
    if (waits) begin(task, id, waitKind, site);
    return (acquire.apply(this, args) as Promise<unknown>).then(
      (result) => {
        if (waits) tracer!.taskWaitEnd(task.traceId, id, true);
        take(this, task, id, site);
        if (isMutex) return onceReleasing(this, id, task, result as Releaser);
        const [value, releaser] = result as [number, Releaser];
        return [value, onceReleasing(this, id, task, releaser)];
      },
      (error: unknown) => {
        if (waits) tracer!.taskWaitEnd(task.traceId, id, false);
        throw error;
      },
    );
  };

  p['runExclusive'] = function (this: MutexLike, callback: unknown, ...args: unknown[]): unknown {
    if (skip(this) || typeof callback !== 'function') return runExclusive.call(this, callback, ...args);
    mark(this);
    const site = siteHere();
    const id = instanceId(this, kind, site);
    const waiter = waiterTask(site);
    const waits = busy(this);
    if (waits) begin(waiter, id, waitKind, site);
    let granted = false;
    const traced = (...values: unknown[]): unknown => {
      if (waits) tracer!.taskWaitEnd(waiter.traceId, id, true);
      granted = true;
      const task = new Task(tracer!, taskName(site));
      take(this, task, id, site);
      let result: unknown;
      try {
        result = tasks.run(task, () => (callback as (...v: unknown[]) => unknown)(...values));
      } catch (error) {
        give(this, id, task);
        throw error;
      }
      return Promise.resolve(result).finally(() => give(this, id, task));
    };
    return (runExclusive.call(this, traced, ...args) as Promise<unknown>).then(undefined, (error: unknown) => {
      if (waits && !granted) tracer!.taskWaitEnd(waiter.traceId, id, false);
      throw error;
    });
  };

  p['release'] = function (this: MutexLike, ...args: unknown[]): unknown {
    if (!skip(this)) {
      const id = instanceIds.get(this);
      if (id !== undefined) give(this, id);
    }
    return releaseOriginal.apply(this, args);
  };
}
