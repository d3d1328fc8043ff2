/**
 * What is held at each node of one file, merged over every walk that reached it (per thread, per path): held means
 * held on all of them, and a node is before any worker started only if it was on all of them. Walks record only
 * nodes of their own root's body, so a file's merge depends on its own walks alone and is kept with them.
 */
import type { Node } from 'ts-morph';
import type { Value } from './values.js';
import type { HeldRecord } from './walk-record.js';

export class FileHeld {
  /** Locks held on every walk reaching the node, by id. */
  readonly held = new Map<Node, Map<string, Value>>();
  /** Whether every walk reaching the node was on the main thread before it started a worker. */
  readonly preSpawn = new Map<Node, boolean>();

  add(records: readonly HeldRecord[]): void {
    for (const { node, locks, preSpawn } of records) {
      this.preSpawn.set(node, (this.preSpawn.get(node) ?? true) && preSpawn);
      const existing = this.held.get(node);
      if (!existing) {
        this.held.set(node, new Map(locks.map((lock) => [lock.id, lock])));
        continue;
      }
      const ids = new Set(locks.map((lock) => lock.id));
      for (const id of [...existing.keys()]) if (!ids.has(id)) existing.delete(id);
    }
  }
}
