/**
 * The facts the flow analysis records while it walks the program, and the held-lock state it walks with.
 * Rules read these facts; none of them re-walks code.
 */
import type { Node } from 'ts-morph';
import type { Value } from './values.js';
import type { LockApi } from './lock-models.js';

/** How a lock was taken: blocking (`lock`, `acquire`, `withLock`), a try (`tryLock`), or asynchronously (`lockAsync`). */
export type AcquireMode = 'blocking' | 'try' | 'async';

/** One lock the current thread holds at some point of a walk. */
export interface Held {
  lock: Value;
  mode: AcquireMode;
  /** The runtime method that took it: `lock`, `tryLock`, `withLock`, `lockAll`, ... */
  method: string;
  /** Call sites from the walk's root down to the acquisition; the last element is the acquisition itself. */
  stack: readonly Node[];
  /** False once only some paths reaching here hold it (after an `if` where one branch released it). */
  definite: boolean;
  /** The variable holding the guard (`const g = m.lock()`), released by `g.unlock()` or at scope end for `using`. */
  guard?: Node;
  /** Taken during this walk (not inherited from callers): only these can leak from the walk's function. */
  local: boolean;
  /** Locks taken together by one `lockAll` share a group and add no order edge between them. */
  group?: number;
  /**
   * Taken as one element of a collection (in a loop, or through a loop variable): a release loop over the same or a
   * copied collection may release it through a variable the analysis cannot match by identity.
   */
  element?: boolean;
  /** The lock API that took it, when not the runtime's (see lock-models.ts). */
  api?: LockApi;
  /** Taken in shared mode (`{ mode: 'shared' }`): it does not conflict with another shared hold. */
  shared?: boolean;
}

/** Where a walk runs: the thread (main or a worker entry) and the function or file it started from. */
export interface WalkRoot {
  thread: string;
  node: Node;
  /** True when the function runs from places the analysis cannot see (no known caller, or its value escapes). */
  entry: boolean;
}

/** A lock taken (or about to be waited for) while `heldBefore` were held. */
export interface AcquisitionFact {
  root: WalkRoot;
  lock: Value;
  mode: AcquireMode;
  method: string;
  stack: readonly Node[];
  heldBefore: readonly Held[];
  group?: number;
  /** The lock API of the call, when not the runtime's. */
  api?: LockApi;
  /** A shared-mode request. */
  shared?: boolean;
}

/** A walk of a function left it (`return`, `throw`, or the end) still holding a lock it took. */
export interface ExitFact {
  root: WalkRoot;
  held: Held;
  exit: Node;
  /**
   * `call`: a call that can throw (see detect/throwing-calls.ts), outside any try/finally, `using` or catch;
   * `reject`: an awaited call whose promise can reject, likewise.
   */
  how: 'return' | 'throw' | 'end' | 'call' | 'reject';
}

/** An exit of a walk's function that released everything it took (to tell "leaks on some path" from "acquire helper"). */
export interface CleanExitFact {
  root: WalkRoot;
  exit: Node;
}

/**
 * A release of a lock this walk did not take: another function of the program took it (a driver's
 * `acquireConnection()` paired with `releaseConnection()`), so a walk that returns holding it hands it over.
 * `guard` is set for a releaser kept in a field (`this.release = await m.acquire()`, later `this.release()`).
 */
export interface ReleaseFact {
  root: WalkRoot;
  lock?: Value;
  guard?: Node;
}

/** An `await` reached while holding `held`. */
export interface AwaitFact {
  root: WalkRoot;
  node: Node;
  held: readonly Held[];
}

/** A write to a field or module variable (`x = ...`, `x += ...`, `x++`, `delete x.y`, `x.push(...)`). */
export interface WriteFact {
  root: WalkRoot;
  /** The whole write expression. */
  node: Node;
  /** The written location's declaration (a field, property or variable). */
  target: Node;
  /** The object the location belongs to (`this`, `acct`), when it is a field. */
  base?: Value;
  held: readonly Held[];
}
