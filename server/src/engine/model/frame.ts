/**
 * One frame of a walk: the function (or callback) being walked, its bindings, the calls that led to it, and the
 * control-flow bookkeeping (pending finally blocks, `using` scopes, catch and loop exits) of that function.
 */
import type { Node } from 'ts-morph';
import type { Held, WalkRoot } from './facts.js';
import type { TryCondition } from './lock-calls.js';
import type { State } from './state.js';
import type { Env } from './values.js';
import type { WalkBudget } from './budget.js';

export interface Frame {
  root: WalkRoot;
  env: Env;
  stack: readonly Node[];
  depth: number;
  /** Functions on the inline stack, each with the locks held when it was entered. */
  active: ReadonlySet<string>;
  /** States at `return`s of an inlined function or callback; the walk merges them after the body. */
  returns: State[];
  finallies: Node[];
  usings: Held[][];
  catches: State[][];
  loops: State[][];
  /** A callback walked in place: its returns end the callback, not the function. */
  callback: boolean;
  /**
   * Try-acquisitions kept in a variable (`const g = m.tryLock()`), by the variable's declaration: the lock is taken in
   * the branch where a later test finds `g` truthy. `scope` is the `using` scope of a `using` declaration.
   */
  tries: Map<Node, PendingTry>;
  /** Inside a loop unrolled over known elements: what it takes is a collection's element (see Held.element). */
  unrolling?: boolean;
  /** Inlined calls and steps left for this root walk, shared by all its frames. */
  budget: WalkBudget;
}

export interface PendingTry extends TryCondition {
  scope?: Held[];
}
