/**
 * The checks of checked mode, run before an acquisition may block: the rank rule (ranked locks in
 * non-decreasing rank) and cycle detection in the shared lock-order graph (Linux lockdep's idea). Each new
 * "held -> taken" pair is checked once per thread and then remembered, so steady-state cost is a map lookup
 * per held lock.
 */

import { LockOrderViolation, type OrderStep } from '../errors.js';
import { threadLabel } from '../ids.js';
import { callSite, held, removeHeld, type HeldEntry } from './held.js';
import { describeOrderStep } from './order-path.js';
import { graph } from './state.js';

function stepOf(holding: HeldEntry, taking: HeldEntry): OrderStep {
  return { thread: threadLabel, held: holding.label, heldAt: holding.site, taken: taking.label, takenAt: taking.site };
}

/**
 * Checks that the calling thread may take lock `id` given what it holds; throws LockOrderViolation if not.
 * Returns the entry to pass to noteAcquired once the lock is taken.
 */
export function orderCheck(id: number, label: string, rank: number | undefined): HeldEntry {
  const entry: HeldEntry = { id, label, rank, site: callSite() };
  for (const holding of held) {
    if (holding.id === id) continue;
    if (holding.rank !== undefined && rank !== undefined && holding.rank > rank) {
      const attempted = stepOf(holding, entry);
      throw new LockOrderViolation(
        `Lock order violation: ${threadLabel} tries ${label} (rank ${rank}) at ${entry.site} while holding ` +
          `${holding.label} (rank ${holding.rank}, taken at ${holding.site}); ranked locks must be taken in increasing rank`,
        attempted,
        [],
      );
    }
    if (graph === undefined || graph.knows(holding.id, id)) continue;
    const attempted = stepOf(holding, entry);
    const recorded = graph.addUnlessCycle(holding.id, id, attempted);
    if (recorded !== undefined) {
      throw new LockOrderViolation(
        `Lock order violation (potential deadlock): ${threadLabel} tries ${label} at ${entry.site} while holding ` +
          `${holding.label} (taken at ${holding.site}), but the opposite order was recorded:\n` +
          recorded.map((step) => `  ${describeOrderStep(step)}`).join('\n'),
        attempted,
        recorded,
      );
    }
  }
  return entry;
}

export function noteAcquired(entry: HeldEntry): void {
  held.push(entry);
}

export function noteReleased(id: number): void {
  removeHeld(id);
}
