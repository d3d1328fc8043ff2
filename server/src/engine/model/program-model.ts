/**
 * Builds the program model: finds the functions, the call graph, the roots (entry points, uncalled functions,
 * deferred callbacks, worker entries per spawn site), walks them, and answers the rules' questions
 * (`heldAt`, `lockOf`, ...) from the recorded facts.
 */
import { ThrowingCalls } from '../detect/throwing-calls.js';
import { enclosingCoroutine } from '../detect/coroutines.js';
import { Node, SyntaxKind, type CallExpression, type Project, type SourceFile } from 'ts-morph';
import type { StaticLockGraph } from '../../protocol/index.js';
import type { LockFacts, LockRef, ProgramModel, RuntimeCall } from '../rule.js';
import type { DeadboltConfig } from '../types.js';
import type { AcquisitionFact, AwaitFact, CleanExitFact, ExitFact, Held, ReleaseFact, WalkRoot, WriteFact } from './facts.js';
import { buildOrderGraph, orderContribution, toStaticGraph, type OrderGraph } from './lock-graph.js';
import { FileHeld } from './held-records.js';
import { ModelMemory } from './model-memory.js';
import { LOCK_KINDS, runtimeClassOfType, type RuntimeClass } from './runtime.js';
import { CallGraph } from './call-graph.js';
import { wrap } from '../detect/compiler-walk.js';
import { isFunctionLike } from './function-like.js';
import { CustomLockModels } from './custom-locks.js';
import type { LockCall } from './lock-models.js';
import { EMPTY_ENV, ValueResolver, classOfTypeAt, classOfValue, keyOf, type Env, type Value } from './values.js';
import { Dispatch, declaredMember } from './dispatch.js';
import { Walker } from './walker.js';
import { FILE_STEPS, ROOT_STEPS, WalkBudgetExceeded, type Degraded } from './budget.js';
import { emptyWalkRecord, type WalkRecord } from './walk-record.js';
import { scanWrites, sharedNames, writeTarget } from './writes.js';
import type { WalkHost } from './walk-host.js';
import { findWorkerSpawns, isMessageHandler, type WorkerSpawn } from './workers.js';
import { lockName } from './lock-names.js';
import { withSymbolCache } from './symbol-cache.js';

export interface EngineModel extends ProgramModel {
  lockGraph(): StaticLockGraph;
  /** Root walks this build ran, and those it took unchanged from its memory. */
  readonly walks: { run: number; reused: number };
  /** Files whose analysis may differ from the last build with the same memory (`'all'` when it cannot tell). */
  readonly affected: ReadonlySet<string> | 'all';
  /** Roots whose walk hit its budget, in walk order (see budget.ts). */
  readonly degraded: readonly DegradedRoot[];
}

/** A root (a function or a file's top level) whose analysis was cut short, and how. */
export interface DegradedRoot {
  node: Node;
  thread: string;
  how: Degraded;
}

export function toLockRef(value: Value): LockRef {
  const kind = value.kind && LOCK_KINDS.has(value.kind) ? (value.kind as LockRef['kind']) : 'Unknown';
  return { id: value.id, name: value.name, label: lockName(value), kind };
}

/**
 * Builds the model of `files`. With a `memory` kept from earlier analyses of the same Project, walks of files the
 * edits since cannot have affected are reused rather than redone (see ModelMemory).
 */
export function buildModel(
  project: Project,
  files: readonly SourceFile[],
  config: DeadboltConfig,
  onProgress?: (done: number, total: number, file: string) => void,
  memory: ModelMemory = new ModelMemory(),
): EngineModel {
  return withSymbolCache(() => new Model(project, files, config, memory, onProgress));
}

class Model implements EngineModel, WalkHost {
  readonly resolver = new ValueResolver();
  readonly facts: LockFacts = { acquisitions: [], exits: [], cleanExits: [], releases: [], awaits: [], writes: [] };
  private readonly calls: CallGraph;
  /** Held-at records of each analysed file, merged over its walks. */
  private readonly heldByFile = new Map<string, FileHeld>();
  private readonly initMemo = new Map<Node, boolean>();
  private spawners: Set<Node> | undefined;
  private readonly entryMemo = new Map<Node, readonly Value[]>();
  /** Where the walk in progress reports to. */
  private recording: WalkRecord | undefined;
  readonly walks = { run: 0, reused: 0 };
  readonly degraded: DegradedRoot[] = [];
  /** The records whose acquisitions are the lock graph's (`facts.acquisitions` is theirs, concatenated), in order. */
  private readonly graphRoots: WalkRecord[] = [];
  readonly affected: ReadonlySet<string> | 'all';
  private order: OrderGraph | undefined;
  /** Configured lock classes (`lockModels`). */
  readonly custom: CustomLockModels;
  private throwing: ThrowingCalls | undefined;
  private readonly dispatch: Dispatch;
  private graph: StaticLockGraph | undefined;

  constructor(
    project: Project,
    private readonly files: readonly SourceFile[],
    private readonly config: DeadboltConfig,
    memory: ModelMemory,
    onProgress?: (done: number, total: number, file: string) => void,
  ) {
    const spawns = findWorkerSpawns(files, this.resolver);
    this.affected = memory.refresh(project.getProgram().compilerObject, files, spawns);
    this.custom = CustomLockModels.of(config);
    this.calls = new CallGraph(files, memory.calls, this.custom);
    this.dispatch = new Dispatch(files);
    const walker = new Walker(this);
    const roots = this.walkRoots(files);
    // Functions that take or release no lock (directly or through calls) hold nothing of their own: they are not
    // walked, their held set comes from their callers, and only their writes to possibly shared names are scanned.
    files.forEach((file, index) => {
      const path = file.getFilePath();
      const functions = this.calls.lockingFunctionsOf(file);
      const known = memory.walks.get(path);
      const threads = new Map<string, Map<Node, WalkRecord>>();
      let reusedAll = known !== undefined;
      /** Walk steps this file's roots took so far: its budget (FILE_STEPS) bounds them together. */
      let spent = 0;
      for (const { thread, env } of workerEnvs(file, spawns)) {
        const before = known?.threads.get(thread);
        const kept = new Map<Node, WalkRecord>();
        threads.set(thread, kept);
        // Roots with callers are seen through them: their acquisitions are not the lock graph's.
        const take = (node: Node, counts: boolean, walkEnv: Env): void => {
          let record = before?.get(node);
          if (record === undefined) {
            record = this.walkWithin(walker, { thread, node, entry: counts }, walkEnv, spent);
            this.walks.run++;
            reusedAll = false;
          } else {
            this.walks.reused++;
          }
          spent += record.steps;
          kept.set(node, record);
          this.absorb(record, counts);
        };
        take(file, true, env);
        for (const fn of functions) take(fn, roots.has(fn), handlerEnv(fn, env));
        if (kept.size !== before?.size) reusedAll = false;
      }
      if (known !== undefined && threads.size !== known.threads.size) reusedAll = false;
      let held = known?.held;
      if (!reusedAll || held === undefined) {
        held = new FileHeld();
        for (const kept of threads.values()) for (const record of kept.values()) held.add(record.held);
      }
      memory.walks.set(path, { threads, held });
      this.heldByFile.set(path, held);
      onProgress?.(index + 1, files.length, path);
    });
    const names = sharedNames(files, this.facts.writes);
    if (names.size === 0) return;
    for (const file of files) {
      for (const fn of this.calls.lockFreeFunctionsOf(file)) {
        const found = scanWrites(file, fn, names, this.custom.runUnderMethods);
        if (found.length === 0) continue;
        const wrapped = wrap(file, fn);
        const root = { thread: 'main', node: wrapped, entry: this.calls.isRoot(wrapped) };
        for (const node of found) {
          const target = writeTarget(node);
          if (!target) continue;
          const base = target.base ? this.resolver.resolve(target.base, EMPTY_ENV) : undefined;
          this.facts.writes.push({ root, node, target: target.declaration, base, held: [] });
        }
      }
    }
  }

  /**
   * Walks one root within its budget: a walk that runs out of steps, or starts after its file spent its budget, is
   * done without following calls, and a root that cannot be walked even so is left out. Each cut is in `degraded`.
   */
  private walkWithin(walker: Walker, root: WalkRoot, env: Env, spent: number): WalkRecord {
    let wasted = 0;
    const attempt = (followCalls: boolean, limit: number): WalkRecord | undefined => {
      if (limit <= 0) return undefined;
      const record = emptyWalkRecord({ ...root });
      this.recording = record;
      try {
        const { steps, callsCut } = walker.walkRoot(root.node, record.root, env, limit, followCalls);
        record.steps = wasted + steps;
        if (callsCut) record.degraded = 'calls-not-followed';
        return record;
      } catch (error) {
        if (!(error instanceof WalkBudgetExceeded)) throw error;
        wasted += limit;
        return undefined;
      } finally {
        this.recording = undefined;
      }
    };
    return (
      attempt(true, Math.min(ROOT_STEPS, FILE_STEPS - spent)) ??
      attempt(false, Math.min(ROOT_STEPS, 2 * FILE_STEPS - spent - wasted)) ?? { ...emptyWalkRecord(root), steps: wasted, degraded: 'not-analysed' }
    );
  }

  /** Adds one walk's facts to the model's, as if the walk had just run; `counts` says whether it is a lock-graph root. */
  private absorb(record: WalkRecord, counts: boolean): void {
    record.root.entry = counts;
    if (record.degraded !== undefined) this.degraded.push({ node: record.root.node, thread: record.root.thread, how: record.degraded });
    if (counts) {
      this.facts.acquisitions.push(...record.acquisitions);
      this.graphRoots.push(record);
    }
    this.facts.exits.push(...record.exits);
    this.facts.cleanExits.push(...record.cleanExits);
    this.facts.releases.push(...record.releases);
    this.facts.awaits.push(...record.awaits);
    this.facts.writes.push(...record.writes);
  }

  /** The merged held-at records of the file `node` is in (empty for a file that was not analysed). */
  private heldOf(node: Node): FileHeld {
    return this.heldByFile.get(node.getSourceFile().getFilePath()) ?? NOTHING_HELD;
  }

  /** The record of the walk in progress: the walker reports only from inside `walkRoot`. */
  private get current(): WalkRecord {
    if (this.recording === undefined) throw new Error('a walk fact arrived outside a walk');
    return this.recording;
  }

  /**
   * The lock-touching functions whose walks count for the lock graph: the roots (no known caller, or escaping),
   * and, for each group of functions reached from neither a root nor top-level code (a call cycle nobody else
   * calls, such as exported `ping`/`pong` calling each other), its first function, whose walk inlines the rest.
   */
  private walkRoots(files: readonly SourceFile[]): Set<Node> {
    const locking = files.flatMap((file) => this.calls.lockingFunctionsOf(file));
    const roots = new Set<Node>();
    const reached = new Set<Node>();
    const reach = (start: Node): void => {
      const pending = [start];
      while (pending.length > 0) {
        const fn = pending.pop()!;
        if (reached.has(fn)) continue;
        reached.add(fn);
        // Only locking functions' reach matters: calls that cannot lead to one are not resolved.
        for (const callee of this.calls.calleesLeadingToLocks(fn)) if (!reached.has(callee)) pending.push(callee);
      }
    };
    for (const fn of locking) {
      const fromTopLevel = this.calls.callersOf(fn).some((call) => this.calls.callerOf(call) === undefined);
      if (this.calls.isRoot(fn)) roots.add(fn);
      if (this.calls.isRoot(fn) || fromTopLevel) reach(fn);
    }
    for (const fn of locking) {
      if (reached.has(fn)) continue;
      roots.add(fn);
      reach(fn);
    }
    return roots;
  }

  // ---- WalkHost ----

  calleeOf(call: CallExpression): Node | undefined {
    return this.calls.calleeOf(call);
  }

  callTargets(call: CallExpression, receiver: Value | undefined): readonly Node[] {
    const target = this.calls.calleeOf(call);
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return target ? [target] : [];
    const member = target ?? declaredMember(callee.getNameNode());
    const owner = member && (Node.isArrowFunction(member) || Node.isFunctionExpression(member) ? member.getParent()?.getParent() : member.getParent());
    const cls = receiver && classOfValue(receiver);
    // `this.runTx(fn)` walked for a subclass runs the subclass's override, when the name is a member of its hierarchy;
    // a member of an interface or object type (`back: { flush(): void }`) is whatever the bound object's class has.
    const structural = owner !== undefined && (Node.isInterfaceDeclaration(owner) || Node.isTypeLiteral(owner));
    if (cls && owner && (structural || (Node.isClassDeclaration(owner) && this.dispatch.isSelfOrBase(cls, owner)))) {
      const own = this.dispatch.methodOf(cls, callee.getName());
      if (own) return [own];
    }
    if (target) return [target];
    return member ? this.dispatch.implementationsOf(member) : [];
  }

  mayInline(call: CallExpression): boolean {
    return this.calls.mayInline(call);
  }

  referencedFunction(argument: Node): { target: Node; receiver?: Node } | undefined {
    return this.calls.referencedFunction(argument);
  }

  mayThrow(call: CallExpression): boolean {
    this.throwing ??= new ThrowingCalls((c) => this.calls.calleeOf(c));
    return this.throwing.mayThrow(call);
  }

  touchesLocks(fn: Node): boolean {
    return this.calls.touchesLocks(fn);
  }

  callsParameters(fn: Node): boolean {
    return this.calls.callsParameters(fn);
  }

  lockValue(expression: Node, env: Env): Value | undefined {
    const value = this.resolver.resolve(expression, env);
    if (value?.kind) return LOCK_KINDS.has(value.kind) ? value : undefined;
    const kind = classOfTypeAt(expression);
    if (!kind || !LOCK_KINDS.has(kind)) return undefined;
    return withKind(expression, value, kind);
  }

  customLock(receiver: Node, method: string, env: Env): { lock: Value; call: LockCall } | undefined {
    const found = this.custom.lockCallAt(receiver, method);
    if (!found) return undefined;
    const { model, call } = found;
    // Its identity is where it was made, as for any lock; its kind says whether a second take waits.
    return { lock: withKind(receiver, this.resolver.resolve(receiver, env), model.reentrant ? 'RecursiveMutex' : 'Mutex'), call };
  }

  acquired(fact: AcquisitionFact): void {
    this.current.acquisitions.push(fact);
  }

  exitHolding(fact: ExitFact): void {
    this.current.exits.push(fact);
  }

  cleanExit(fact: CleanExitFact): void {
    this.current.cleanExits.push(fact);
  }

  released(fact: ReleaseFact): void {
    this.current.releases.push(fact);
  }

  awaitReached(fact: AwaitFact): void {
    this.current.awaits.push(fact);
  }

  wrote(fact: WriteFact): void {
    this.current.writes.push(fact);
  }

  // ---- ProgramModel ----

  heldAt(node: Node): readonly LockRef[] {
    return this.heldValuesAt(node).map(toLockRef);
  }

  recordHeld(node: Node, held: readonly Held[], preSpawn: boolean): void {
    this.current.held.push({ node, locks: held.filter((h) => h.definite).map((h) => h.lock), preSpawn });
  }

  /** What is held reaching `node`: its own walk's record, plus what every caller of its function holds. */
  heldValuesAt(node: Node): readonly Value[] {
    const records = this.heldOf(node).held;
    let current: Node | undefined = node;
    let own: Map<string, Value> | undefined;
    while (current && !own) {
      own = records.get(current);
      if (own || isFunctionLike(current) && !this.calls.isInlineCallback(current) || Node.isSourceFile(current)) break;
      current = current.getParent();
    }
    const fn = this.calls.enclosingFunction(node);
    const fromCallers = fn ? this.entryHeld(fn) : [];
    const out = new Map<string, Value>(own ?? []);
    for (const value of fromCallers) if (!out.has(value.id)) out.set(value.id, value);
    return [...out.values()];
  }

  private entryHeld(fn: Node): readonly Value[] {
    const memo = this.entryMemo.get(fn);
    if (memo) return memo;
    this.entryMemo.set(fn, []); // recursion: a cycle of calls adds nothing
    const callers = this.calls.isRoot(fn) ? [] : this.calls.callersOf(fn);
    let result: Value[] | undefined;
    for (const call of callers) {
      const held = this.heldValuesAt(call);
      result = result ? result.filter((v) => held.some((h) => h.id === v.id)) : [...held];
    }
    this.entryMemo.set(fn, result ?? []);
    return result ?? [];
  }

  spawnsWorkers(call: CallExpression): boolean {
    const target = this.calleeOf(call);
    return target !== undefined && this.workerSpawners().has(target);
  }

  /** Functions that start a worker themselves or through a call (callers found by name: an over-approximation, which only makes fewer writes initialisation). */
  private workerSpawners(): Set<Node> {
    if (this.spawners) return this.spawners;
    const found = new Set<Node>();
    const pending: Node[] = [];
    for (const file of this.files) {
      if (!file.getFullText().includes('Worker')) continue;
      for (const expression of file.getDescendantsOfKind(SyntaxKind.NewExpression)) {
        if (expression.getExpression().getText() !== 'Worker') continue;
        const fn = this.calls.enclosingFunction(expression);
        if (fn && !found.has(fn)) found.add(fn), pending.push(fn);
      }
    }
    while (pending.length > 0) {
      for (const call of this.calls.callersOf(pending.pop()!)) {
        const fn = this.calls.callerOf(call);
        if (fn && !found.has(fn)) found.add(fn), pending.push(fn);
      }
    }
    this.spawners = found;
    return found;
  }

  isInitialisation(node: Node): boolean {
    const preSpawn = this.heldOf(node).preSpawn;
    let current: Node | undefined = node;
    while (current && !preSpawn.has(current)) {
      if (isFunctionLike(current) && !this.calls.isInlineCallback(current) || Node.isSourceFile(current)) break;
      current = current.getParent();
    }
    const own = current ? preSpawn.get(current) : undefined;
    if (own === false) return false;
    const fn = this.calls.enclosingFunction(node);
    // Top-level code: its own walk says whether a worker was started before it.
    if (!fn) return own === true;
    // A function that was not walked (it takes no lock) may still start a worker before this write.
    if (own === undefined && this.workerSpawners().has(fn)) return false;
    return this.entryBeforeSpawn(fn);
  }

  /** A function every caller of which is itself initialisation (and that no unknown code can call). */
  private entryBeforeSpawn(fn: Node): boolean {
    const memo = this.initMemo.get(fn);
    if (memo !== undefined) return memo;
    this.initMemo.set(fn, false); // a cycle of calls proves nothing
    const callers = this.calls.isEscaping(fn) ? [] : this.calls.callersOf(fn);
    const result = callers.length > 0 && callers.every((call) => this.isInitialisation(call));
    this.initMemo.set(fn, result);
    return result;
  }

  lockOf(expression: Node): LockRef | undefined {
    const value = this.lockValue(expression, EMPTY_ENV);
    return value && toLockRef(value);
  }

  runtimeCall(call: Node): RuntimeCall | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    const receiver = callee.getExpression();
    const className = this.resolver.resolve(receiver, EMPTY_ENV)?.kind ?? runtimeClassOfType(receiver.getType());
    return className ? { className, method: callee.getName(), receiver } : undefined;
  }

  isSharedMemory(expression: Node): boolean {
    const text = expression.getType().getText();
    if (/SharedArrayBuffer/.test(text)) return true;
    const symbol = (Node.isPropertyAccessExpression(expression) ? expression.getNameNode() : expression).getSymbol();
    return symbol?.getDeclarations().some((d) => guardedByName(d) !== undefined) ?? false;
  }

  enclosingCoroutine(node: Node): Node | undefined {
    return enclosingCoroutine(node);
  }

  callees(fn: Node): readonly Node[] {
    return this.calls.calleesOf(fn);
  }

  callers(fn: Node): readonly CallExpression[] {
    return this.calls.isEscaping(fn) ? [] : this.calls.callersOf(fn);
  }

  guardedBy(declaration: Node): string | undefined {
    return guardedByName(declaration);
  }

  orderGraph(): OrderGraph {
    this.order ??= buildOrderGraph(this.graphRoots.map((record) => (record.order ??= orderContribution(record.acquisitions))));
    return this.order;
  }

  lockGraph(): StaticLockGraph {
    this.graph ??= toStaticGraph(this.orderGraph(), this.config);
    return this.graph;
  }
}

const NOTHING_HELD = new FileHeld();

/** The lock name of a `/** @guardedBy name *\/` tag on a field or variable declaration. */
export function guardedByName(declaration: Node): string | undefined {
  const holder = Node.isVariableDeclaration(declaration) ? declaration.getVariableStatement() : declaration;
  if (!holder) return undefined;
  for (const range of holder.getLeadingCommentRanges()) {
    const match = /@guardedBy\s+([\w$.]+)/.exec(range.getText());
    if (match) return match[1]!.replace(/^this\./, '');
  }
  return undefined;
}

/** A worker's message handler gets its message parameter bound, so `Mutex.from(msg.m)` finds what was posted. */
function handlerEnv(fn: Node, env: Env): Env {
  const parameter = (fn as Node & { getParameters?(): Node[] }).getParameters?.()[0];
  if (!parameter || !env.messages || env.messages.size === 0 || !isMessageHandler(fn)) return env;
  return { ...env, bindings: new Map([...env.bindings, [parameter, { id: 'message', name: 'message' }]]) };
}

/** The contexts a file's code runs in: once per worker spawn site that starts it (with its workerData), else main. */
function workerEnvs(file: SourceFile, spawns: readonly WorkerSpawn[]): { thread: string; env: Env }[] {
  const mine = spawns.filter((s) => s.target === file);
  if (mine.length === 0) return [{ thread: 'main', env: EMPTY_ENV }];
  const workers = mine.map((spawn, index) => ({
    thread: `worker ${file.getBaseName()}${mine.length > 1 ? ` #${index + 1}` : ''}`,
    env: { bindings: new Map(), workerData: spawn.workerData, messages: spawn.messages } as Env,
  }));
  // A file that starts itself also runs as the main thread (its `isMainThread` branch).
  return mine.some((s) => s.site.getSourceFile() === file) ? [{ thread: 'main', env: EMPTY_ENV }, ...workers] : workers;
}

/** A lock known by its kind alone: its resolved identity when it has one, else the expression itself. */
function withKind(expression: Node, value: Value | undefined, kind: RuntimeClass): Value {
  return value ? { ...value, kind } : { id: `expr:${keyOf(expression)}`, name: expression.getText(), kind };
}
