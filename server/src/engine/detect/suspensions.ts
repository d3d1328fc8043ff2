/**
 * Where a coroutine can be suspended while it holds a lock: an `await`, a `yield` or a `for await` reached with
 * the lock held, in the walked code itself or in a function its callers call under the lock. A lock of a
 * single-threaded async API (async-mutex, Web Locks) whose every locked section runs without suspending cannot be
 * interleaved with by other code of its thread, so a write made without it cannot race with what it guards.
 */
import { ts, type SourceFile } from 'ts-morph';
import type { ProgramModel } from '../rule.js';
import { isAwaitableApi } from '../model/lock-models.js';
import { findNodesCached } from './compiler-walk.js';

function isSuspension(node: ts.Node): boolean {
  return ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined);
}

export class Suspensions {
  private heldAcross: Set<string> | undefined;
  private asyncOnly: Map<string, boolean> | undefined;

  constructor(
    private readonly model: ProgramModel,
    private readonly files: readonly SourceFile[],
  ) {}

  /**
   * Whether other code of the thread can run in the middle of a section holding `lockId`: true unless the lock is
   * only ever taken through async-mutex or Web Locks and no suspension is reached while it is held.
   */
  mayInterleave(lockId: string): boolean {
    if (this.asyncOnly === undefined) {
      this.asyncOnly = new Map();
      for (const fact of this.model.facts.acquisitions) {
        this.asyncOnly.set(fact.lock.id, (this.asyncOnly.get(fact.lock.id) ?? true) && isAwaitableApi(fact.api));
      }
    }
    if (this.asyncOnly.get(lockId) !== true) return true;
    return this.locksHeldAcross().has(lockId);
  }

  private locksHeldAcross(): Set<string> {
    if (this.heldAcross !== undefined) return this.heldAcross;
    const ids = new Set<string>();
    for (const fact of this.model.facts.awaits) {
      for (const held of fact.held) {
        // `await this.#mutex.acquire()` suspends before the lock is held: the wait for it is not a suspension inside it.
        const site = held.stack[held.stack.length - 1];
        if (site !== undefined && site.getStart() >= fact.node.getStart() && site.getEnd() <= fact.node.getEnd()) continue;
        ids.add(held.lock.id);
      }
    }
    for (const file of this.files) {
      for (const node of findNodesCached(file, isSuspension)) for (const lock of this.model.heldAt(node)) ids.add(lock.id);
    }
    this.heldAcross = ids;
    return ids;
  }
}
