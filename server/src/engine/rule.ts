/**
 * The contract between the engine core and each rule: a rule reads the facts the core computed
 * (locks, held-lock sets, shared memory) and reports findings; it never walks other rules' state.
 */
import type { CallExpression, Node, Project, SourceFile } from 'ts-morph';
import type { DeadboltConfig, Finding, RuleId, Severity } from './types.js';
import type { AcquisitionFact, AwaitFact, CleanExitFact, ExitFact, ReleaseFact, WriteFact } from './model/facts.js';
import type { OrderGraph } from './model/lock-graph.js';

/** A lock as the core identifies it: by symbol, never by name. */
export interface LockRef {
  /** Stable id of the lock's identity (its declaration, or its declaration plus index for arrays of locks). */
  id: string;
  /** How the code at hand reaches it, as code: `this.accounts`, `forks[i]`, `lockA` (what a fix writes). */
  name: string;
  /** The one name the lock goes by in messages (model/lock-names.ts): its `name` option, else its declaration. */
  label: string;
  kind: 'Mutex' | 'RecursiveMutex' | 'Semaphore' | 'Condition' | 'Unknown';
}

/** A call of a method of a runtime object: `m.lock()`, `q.get()`, `ev.wait()`. */
export interface RuntimeCall {
  /** The runtime class of the receiver: Mutex, RecursiveMutex, Semaphore, Condition, Event, Barrier, SharedQueue, LockGuard. */
  className: string;
  method: string;
  receiver: Node;
}

/** The raw facts of the flow analysis, for the lock rules (see model/facts.ts for each shape). */
export interface LockFacts {
  acquisitions: AcquisitionFact[];
  exits: ExitFact[];
  cleanExits: CleanExitFact[];
  /** Releases of locks the releasing walk did not take: hand-offs between functions. */
  releases: ReleaseFact[];
  awaits: AwaitFact[];
  writes: WriteFact[];
}

/** Facts about the program computed once by the engine core and shared by every rule. */
export interface ProgramModel {
  /** Locks the current thread holds on every path reaching `node` (flow-sensitive, interprocedural through callers where known). */
  heldAt(node: Node): readonly LockRef[];
  /** The runtime lock an expression denotes (by symbol: aliases, fields, parameters, imports), if any. */
  lockOf(expression: Node): LockRef | undefined;
  /** The runtime object and method a call invokes, when its receiver is a runtime object (by symbol or type). */
  runtimeCall(call: Node): RuntimeCall | undefined;
  /** A typed array over a SharedArrayBuffer, or state declared `@guardedBy`. */
  isSharedMemory(expression: Node): boolean;
  /** The nearest enclosing function when it is a coroutine (async function or generator), else undefined. */
  enclosingCoroutine(node: Node): Node | undefined;
  /** Functions of the analysed files that `fn` calls directly (resolved by symbol); walk it for transitive summaries. */
  callees(fn: Node): readonly Node[];
  /** Calls of `fn` in the analysed files (resolved by symbol); empty for a function whose value escapes. */
  callers(fn: Node): readonly CallExpression[];
  /** The lock name declared by `/** @guardedBy name *\/` on a field or variable declaration. */
  guardedBy(declaration: Node): string | undefined;
  /**
   * Whether `node` runs only on the main thread before it has started any worker (top-level code or functions
   * reached only from there, up to the first `new Worker`): state written there is initialisation, not shared yet.
   */
  isInitialisation(node: Node): boolean;
  readonly facts: LockFacts;
  /** The lock-order graph of `facts.acquisitions` (built once per model: the rule and the graph view share it). */
  orderGraph(): OrderGraph;
}

export interface RuleContext {
  readonly project: Project;
  /** The files to report on (those that passed the syntactic prefilter). */
  readonly files: readonly SourceFile[];
  readonly config: DeadboltConfig;
  readonly model: ProgramModel;
  /** Report a finding; the engine applies severity from config and drops suppressed ones. */
  report(finding: Omit<Finding, 'severity'>): void;
}

export interface Rule {
  id: RuleId;
  /** One sentence; the structural test checks the rule's doc page repeats it. */
  description: string;
  defaultSeverity: Severity;
  /**
   * `'file'` when every finding lies in a file of `context.files` and depends only on that file, the files it
   * imports (at any depth) and the configuration: the engine then checks only the files an edit affected and keeps
   * the rest of the findings. A rule reading the model's cross-file facts (held sets from callers, the lock graph,
   * other threads' writes) is `'program'`, the default.
   */
  scope?: 'file' | 'program';
  check(context: RuleContext): void;
}
