/**
 * The custom messages that cross between Deadbolt's server side and its editor side, declared once.
 * The language server, the debug adapter and the VS Code extension (client and webview) all import
 * these types, so a change here is a change to every sender and receiver at once.
 */

/** A place in a source file, shaped like an LSP `Location`: a file URI and a 0-based range. */
export interface SourceLocation {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

/** One step of an acquisition chain: "took `lock` here" or "called `fn` here while holding ...". */
export interface ChainStep {
  location: SourceLocation;
  message: string;
}

/** How one lock came to be taken while another was held: the calls from a root (a thread's entry) down to the acquisition. */
export interface AcquisitionChain {
  /** The thread (worker entry point or "main") on which this chain runs, when known. */
  thread?: string;
  steps: ChainStep[];
}

/** A lock in the static graph: one symbol-identified lock (a field, a module constant, a parameter bound at call sites). */
export interface LockNode {
  id: string;
  name: string;
  kind: 'Mutex' | 'RecursiveMutex' | 'Semaphore' | 'Condition' | 'Unknown';
  rank?: number;
  declaration?: SourceLocation;
}

/** "`to` was taken while `from` was held", with every chain that shows it. */
export interface LockEdge {
  from: string;
  to: string;
  chains: AcquisitionChain[];
}

/** The static lock-order graph of a workspace. `cycles` lists node ids; each cycle is a potential deadlock. */
export interface StaticLockGraph {
  nodes: LockNode[];
  edges: LockEdge[];
  cycles: string[][];
}

/** Sent by the client, answered by `deadbolt-lsp`: the static lock graph of the workspace (or of the folders given). */
export const lockGraphRequest = 'deadbolt/lockGraph' as const;
export interface LockGraphParams {
  /** Restrict the graph to these file or folder URIs; the whole workspace when absent. */
  uris?: string[];
}
export type LockGraphResult = StaticLockGraph;

/**
 * Sent by `deadbolt-lsp` when an analysis run starts (`analyzing`) and when its results are published (`idle`),
 * so the editor can show that findings are pending. Optional for the server: a client that never receives it
 * shows only whether the server runs and how many findings it reported.
 */
export const analysisStateNotification = 'deadbolt/analysisState' as const;
export interface AnalysisStateParams {
  state: 'analyzing' | 'idle';
  /** How many files the run covers, when known. */
  files?: number;
}

/** A thread of a running program as the debug adapter sees it. */
export interface LiveThread {
  id: number;
  name: string;
  state: 'running' | 'waiting' | 'exited';
  /** The lock id this thread waits for, when waiting. */
  waitingFor?: string;
  /** When the current wait began (ms since the epoch, the program's clock), when waiting. */
  waitingSince?: number;
  /** Where the current wait was made (the innermost frame of the program's own code), when known. */
  waitingAt?: SourceLocation;
}

/** A runtime lock of a running program with its current holders and waiters (thread ids). */
export interface LiveLock {
  id: string;
  name: string;
  kind: string;
  holders: number[];
  waiters: number[];
  /** Where the lock was last taken, per holding thread, when known. */
  heldAt?: Record<number, SourceLocation>;
}

/** One wait-for cycle: threads each waiting for a lock the next one holds. */
export interface LiveCycle {
  threads: number[];
  locks: string[];
  description: string;
}

/**
 * One observed lock order of a potential deadlock: `thread` took lock `taken` while holding lock `held`, with both
 * acquisition stacks, innermost frame first (each step's message is the frame's function).
 */
export interface LiveOrderStep {
  thread: string;
  held: string;
  taken: string;
  heldAt: ChainStep[];
  takenAt: ChainStep[];
}

/**
 * A cycle in the lock-order graph the trace observed (lockdep): the program took these locks in orders that can
 * deadlock, whether or not this run did. `steps[i]` took `locks[i + 1]` (cyclically) while holding `locks[i]`.
 */
export interface LivePotentialDeadlock {
  locks: string[];
  steps: LiveOrderStep[];
  /** One line naming the cycle: "lockA -> lockB -> lockA". */
  description: string;
}

/**
 * Sent by `deadbolt-dap` as a custom DAP event while the program runs (throttled), and once more on a deadlock stop;
 * built the same way by the VS Code extension for a JavaScript debugger session with lock tracing on.
 */
export const lockGraphEvent = 'deadbolt/lockGraph' as const;
export interface LiveLockGraph {
  threads: LiveThread[];
  locks: LiveLock[];
  cycles: LiveCycle[];
  deadlock: boolean;
  /** Potential deadlocks found so far; absent from senders that predate lock-order tracing. */
  potentialDeadlocks?: LivePotentialDeadlock[];
}
