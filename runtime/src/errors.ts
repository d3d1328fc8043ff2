/**
 * The errors every primitive throws. Each has a stable `name` so callers (and tests in other realms, where
 * `instanceof` fails) can tell them apart; messages name the lock and the thread involved.
 */

/** A blocking or async wait ran out of time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The calling thread would wait forever on a lock it holds itself (a plain Mutex locked twice). */
export class DeadlockError extends Error {
  override readonly name = 'DeadlockError';
}

/** A lock was released, or a Condition used, by a thread that does not hold the lock. */
export class LockNotHeldError extends Error {
  override readonly name = 'LockNotHeldError';
}

/**
 * A blocking method was called on a thread that may not block (a browser page's main thread, where Atomics.wait is not
 * allowed). Thrown on every such call, before anything is taken or counted; the message names the async method to use.
 */
export class BlockingNotAllowedError extends Error {
  override readonly name = 'BlockingNotAllowedError';
}

/**
 * The engine lacks what shared-memory locks need, SharedArrayBuffer (in browsers, only cross-origin isolated pages have
 * it): thrown when a primitive is created.
 */
export class SharedMemoryUnavailableError extends Error {
  override readonly name = 'SharedMemoryUnavailableError';
}

/** A Barrier was broken (a party timed out, or it was reset while parties waited); it stays broken until reset(). */
export class BrokenBarrierError extends Error {
  override readonly name = 'BrokenBarrierError';
}

/**
 * The lock was taken, but its previous holder's thread died holding it (terminated, crashed or exited), or a
 * thread that took it over from such a holder released it without markConsistent(). As with pthread's robust
 * mutexes (EOWNERDEAD), the caller now holds the lock: repair what it guards and call `markConsistent()`, then
 * unlock; unlocking without markConsistent() passes this error on to the next locker.
 */
export class OwnerDiedError extends Error {
  override readonly name = 'OwnerDiedError';
}

/** One acquisition in a lock-order chain: a lock taken while another was held, with both call sites. */
export interface OrderStep {
  /** The thread that took the locks, e.g. "main thread" or "worker 2". */
  thread: string;
  /** The lock already held, as "Mutex 'a' (#3)". */
  held: string;
  /** Where the held lock was taken (a stack frame, "file:line:column"). */
  heldAt: string;
  /** The lock taken (or about to be taken) while `held` was held. */
  taken: string;
  /** Where it was (or is being) taken. */
  takenAt: string;
}

/**
 * Checked mode found an acquisition that inverts an order seen before (a cycle in the lock-order graph) or
 * breaks the rank rule. Thrown before the acquisition blocks. `attempted` is the acquisition that failed;
 * `recorded` is the chain of earlier acquisitions (possibly from other threads) it conflicts with.
 */
export class LockOrderViolation extends Error {
  override readonly name = 'LockOrderViolation';
  readonly attempted: OrderStep;
  readonly recorded: OrderStep[];

  constructor(message: string, attempted: OrderStep, recorded: OrderStep[]) {
    super(message);
    this.attempted = attempted;
    this.recorded = recorded;
  }
}
