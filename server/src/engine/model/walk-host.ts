/**
 * What the walker needs from the program model: callee resolution, lock values, and sinks for the facts it finds.
 * Keeping this an interface lets the walker stay a pure traversal with no knowledge of roots or threads.
 */
import type { CallExpression, Node } from 'ts-morph';
import type { AcquisitionFact, AwaitFact, CleanExitFact, ExitFact, Held, ReleaseFact, WriteFact } from './facts.js';
import type { Env, Value, ValueResolver } from './values.js';
import type { LockCall } from './lock-models.js';

export interface WalkHost {
  readonly resolver: ValueResolver;
  /** The function-like declaration (with a body, in the analysed files) a call runs, if the analysis can tell. */
  calleeOf(call: CallExpression): Node | undefined;
  /**
   * The functions a method call may run on `receiver` (the walk's value of its object): the override of the
   * receiver's class, the declaration the name resolves to, or an abstract member's implementations.
   */
  callTargets(call: CallExpression, receiver: Value | undefined): readonly Node[];
  /** False when no function the walk inlines can be what a call runs, as far as names tell (see CallGraph.mayInline). */
  mayInline(call: CallExpression): boolean;
  /** The function a callback passed by name refers to (`reload`, `this.evict.bind(this)`), and its `this` expression. */
  referencedFunction(argument: Node): { target: Node; receiver?: Node } | undefined;
  /** Whether a call can throw (a program function that throws, or a built-in that throws on bad input). */
  mayThrow(call: CallExpression): boolean;
  /** Whether walking a function can change what is held (it or something it calls takes or releases a lock). */
  touchesLocks(fn: Node): boolean;
  /** Whether a function calls a callback it was handed, which may take locks where it is inlined. */
  callsParameters(fn: Node): boolean;
  /** The lock an expression denotes (syntactically, then by type), or undefined when it is no runtime lock. */
  lockValue(expression: Node, env: Env): Value | undefined;
  /** A call of a configured lock class's method (`lockModels`): the receiver's lock and what the method does. */
  customLock(receiver: Node, method: string, env: Env): { lock: Value; call: LockCall } | undefined;
  /**
   * What is held reaching `node` on one path of one walk (the model intersects the paths), and whether that path is
   * the main thread before it started any worker (`preSpawn`: writes there are initialisation, not races).
   */
  recordHeld(node: Node, held: readonly Held[], preSpawn: boolean): void;
  /** Whether running `call` may start a worker thread (the callee, or something it calls, does `new Worker`). */
  spawnsWorkers(call: CallExpression): boolean;
  acquired(fact: AcquisitionFact): void;
  exitHolding(fact: ExitFact): void;
  cleanExit(fact: CleanExitFact): void;
  released(fact: ReleaseFact): void;
  awaitReached(fact: AwaitFact): void;
  wrote(fact: WriteFact): void;
}
