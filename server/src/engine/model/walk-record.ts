/**
 * Everything one root walk reported, in the order it was reported. The model assembles its facts from these
 * records, so a record kept from an earlier analysis (its file unaffected by the edits since) counts exactly as a
 * fresh walk would.
 */
import type { Node } from 'ts-morph';
import type { AcquisitionFact, AwaitFact, CleanExitFact, ExitFact, ReleaseFact, WalkRoot, WriteFact } from './facts.js';
import type { OrderContribution } from './lock-graph.js';
import type { Value } from './values.js';
import type { Degraded } from './budget.js';

/** What one path of the walk held reaching `node` (definitely held locks only), and whether no worker had started. */
export interface HeldRecord {
  node: Node;
  locks: readonly Value[];
  preSpawn: boolean;
}

export interface WalkRecord {
  /** Shared by all its facts; `entry` is set by the model on each analysis (it depends on callers elsewhere). */
  root: WalkRoot;
  acquisitions: AcquisitionFact[];
  exits: ExitFact[];
  cleanExits: CleanExitFact[];
  releases: ReleaseFact[];
  awaits: AwaitFact[];
  writes: WriteFact[];
  held: HeldRecord[];
  /** The order graph's share of `acquisitions`, made when the model first builds the graph with this record. */
  order?: OrderContribution;
  /** Walk steps spent on it (its file's budget counts them, reused or not). */
  steps: number;
  /** Set when the walk hit its budget (see budget.ts). */
  degraded?: Degraded;
}

export function emptyWalkRecord(root: WalkRoot): WalkRecord {
  return { root, acquisitions: [], exits: [], cleanExits: [], releases: [], awaits: [], writes: [], held: [], steps: 0 };
}
