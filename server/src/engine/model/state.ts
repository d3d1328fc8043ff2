/**
 * The held-lock state of one path of a walk, and how paths join: a lock held on every joining path stays
 * definitely held; one held on some paths only is kept as possibly held (a leak candidate, never a certainty).
 */
import type { Held } from './facts.js';
import type { Value } from './values.js';

export class State {
  held: Held[] = [];
  /** The path ended (return, throw, break): nothing after it on this path runs. */
  dead = false;
  /**
   * Locks released on this path without being taken on it: the caller's, lent to code such as a condition
   * wait that unlocks and re-locks. Taking one again gives it back; it is not a new lock that could leak.
   */
  borrowed = new Set<string>();
  /** Set on the state a `break` leaves a loop with (a `continue` goes on with the next iteration). */
  broke = false;
  /** A worker may have been started on this path: from here on, the main thread's writes can race with it. */
  spawned = false;

  clone(): State {
    const copy = new State();
    copy.held = this.held.map((h) => ({ ...h }));
    copy.dead = this.dead;
    copy.borrowed = new Set(this.borrowed);
    copy.spawned = this.spawned;
    return copy;
  }

  become(other: State): void {
    this.held = other.held;
    this.dead = other.dead;
    this.borrowed = other.borrowed;
    this.spawned = other.spawned;
  }

  /**
   * Releases the most recently taken hold of `lock` (by identity). A release that matches nothing by identity releases
   * the most recent hold taken as a collection's element, if any: what a loop took is released through variables the
   * analysis cannot match by name (`taken.pop()!.unlock()`, or `b.unlock()` after a loop locked `[a, b]` sorted).
   * Returns false when the lock was not taken on this path (it is borrowed: another function took it).
   */
  release(lock: Value): boolean {
    for (let i = this.held.length - 1; i >= 0; i--) {
      if (this.held[i]!.lock.id === lock.id) {
        this.held.splice(i, 1);
        return true;
      }
    }
    for (let i = this.held.length - 1; i >= 0; i--) {
      const held = this.held[i]!;
      // `locks[0].unlock()` after locking every `locks[i]` names one element of many: it releases no other.
      if (held.element && !(held.lock.index !== undefined && lock.id.startsWith(held.lock.id.slice(0, -3) + '['))) {
        this.held.splice(i, 1);
        return true;
      }
    }
    this.borrowed.add(lock.id);
    return false;
  }

  /** Releases one particular hold (a guard, a `using` binding, the end of a withLock callback). */
  releaseHeld(held: Held): void {
    const index = this.held.findIndex((h) => h.stack === held.stack && h.lock.id === held.lock.id);
    if (index >= 0) this.held.splice(index, 1);
    else this.release(held.lock);
  }

  /** Releases one particular hold if this path has it; otherwise nothing (a try guard that was never taken here). */
  releaseIfHeld(held: Held): void {
    const index = this.held.findIndex((h) => h.stack === held.stack && h.lock.id === held.lock.id);
    if (index >= 0) this.held.splice(index, 1);
  }
}

/**
 * After a loop (or an array method's callback) that released collection elements, one walk of the body released one
 * of them, but the loop releases each it reaches: every element hold goes.
 */
export function releaseElementsIfReleasing(before: State, after: State): void {
  const count = (s: State): number => s.held.filter((h) => h.element).length;
  if (!after.dead && count(after) < count(before)) after.held = after.held.filter((h) => !h.element);
}

function holdKey(h: Held): string {
  return `${h.lock.id}\0${h.stack.map((n) => n.getStart()).join(',')}`;
}

/** Joins the live paths of a branch point (dead paths contribute nothing; all dead makes the result dead). */
export function merge(states: readonly State[]): State {
  const live = states.filter((s) => !s.dead);
  const out = new State();
  if (live.length === 0) {
    out.dead = true;
    return out;
  }
  for (const state of live) for (const id of state.borrowed) out.borrowed.add(id);
  out.spawned = live.some((s) => s.spawned);
  const seen = new Map<string, Held>();
  const counts = new Map<string, number>();
  for (const state of live) {
    for (const held of state.held) {
      const key = holdKey(held);
      const existing = seen.get(key);
      if (!existing) seen.set(key, { ...held });
      else existing.definite &&= held.definite;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  for (const [key, held] of seen) {
    if (counts.get(key)! < live.length) held.definite = false;
    out.held.push(held);
  }
  return out;
}
