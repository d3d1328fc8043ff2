/**
 * The contract between the engine core and each rule: a rule reads the facts the core computed
 * (locks, held-lock sets, shared memory) and reports findings; it never walks other rules' state.
 */
import type { Node, Project, SourceFile } from 'ts-morph';
import type { DeadboltConfig, Finding, RuleId, Severity } from './types.js';

/** A lock as the core identifies it: by symbol, never by name. */
export interface LockRef {
  /** Stable id of the lock's identity (its declaration, or its declaration plus index for arrays of locks). */
  id: string;
  /** The name a user would recognise: `this.accounts`, `forks[i]`, `lockA`. */
  name: string;
  kind: 'Mutex' | 'RecursiveMutex' | 'Semaphore' | 'Condition' | 'Unknown';
}

/** Facts about the program computed once by the engine core and shared by every rule. */
export interface ProgramModel {
  /** Locks the current thread holds on every path reaching `node` (flow-sensitive, interprocedural through callers where known). */
  heldAt(node: Node): readonly LockRef[];
}

export interface RuleContext {
  readonly project: Project;
  /** The files to report on (those that passed the syntactic prefilter). */
  readonly files: readonly SourceFile[];
  readonly config: DeadboltConfig;
  readonly model: ProgramModel;
  /** Report a finding; the engine applies severity from config and drops suppressed ones. */
  report(finding: Omit<Finding, 'severity'>): void;
}

export interface Rule {
  id: RuleId;
  /** One sentence; the structural test checks the rule's doc page repeats it. */
  description: string;
  defaultSeverity: Severity;
  check(context: RuleContext): void;
}
