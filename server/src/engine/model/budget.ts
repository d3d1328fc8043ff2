/**
 * The bounds of model building, so that no input (a committed bundle, generated code, a function calling
 * thousands of helpers) can stall an analysis. Work is counted in walk steps (a statement or expression simulated,
 * inlined calls included) rather than time, so a budget cuts every run at the same place and an incremental
 * analysis still equals a fresh one.
 */

/** Steps one root walk may take before it is redone without following calls (typical functions take under 1,000). */
export const ROOT_STEPS = 100_000;
/**
 * Steps all the walks of one file may take together (about 4 s); its roots after that are walked without following
 * calls, until twice this, and then not at all.
 */
export const FILE_STEPS = 1_000_000;

/** How a root's walk was cut short: without following its calls, or not at all. */
export type Degraded = 'calls-not-followed' | 'not-analysed';

/** Thrown from inside a walk that used up its steps; the model catches it and degrades that root. */
export class WalkBudgetExceeded extends Error {
  constructor() {
    super('walk budget exceeded');
    this.name = 'WalkBudgetExceeded';
  }
}

/** What a walk may still spend: inlined calls and steps, shared by all the frames of one root walk. */
export interface WalkBudget {
  left: number;
  steps: number;
  /** A call that takes locks was not followed because no inlined call was left. */
  callsCut: boolean;
}

/** Takes one step of `budget`; throws WalkBudgetExceeded when none is left. */
export function step(budget: WalkBudget): void {
  if (--budget.steps < 0) throw new WalkBudgetExceeded();
}

/** Takes `count` steps of `budget` at once; throws WalkBudgetExceeded when they are more than are left. */
export function steps(budget: WalkBudget, count: number): void {
  budget.steps -= count;
  if (budget.steps < 0) throw new WalkBudgetExceeded();
}
