/**
 * What the program model keeps between analyses of one Workspace, so an edit re-walks only what it can change.
 *
 * A walk of a root in file F reads F, the functions it inlines and the declarations its values resolve to: all in
 * F's forward closure under module dependencies (see dependencies.ts), plus the subclasses of F's classes (a call on
 * `this` dispatches to their overrides) and, for a worker script, the spawn sites that start it (they bind its
 * `workerData`). So when a file changes, the files affected are the changed ones and
 * everything that reaches them backwards along those edges; every other file's walks and resolved call targets
 * are still exactly what a fresh analysis would compute, and are reused.
 *
 * Changes are found by identity: ts-morph keeps a file's compiler node until its text is replaced, and a program
 * rebuilt after an edit shares the unchanged files' nodes. Anything the edges cannot vouch for (a script or a
 * global augmentation changing, a different set of analysed files, a new file an unresolved import may now name)
 * forgets everything.
 */
import type { Node, SourceFile, ts } from 'ts-morph';
import { getOrInsert } from '../maps.js';
import { emptyCallGraphMemory, type CallGraphMemory } from './call-graph.js';
import { dependenciesOf, type FileDependencies } from './dependencies.js';
import type { FileHeld } from './held-records.js';
import type { WalkRecord } from './walk-record.js';
import type { WorkerSpawn } from './workers.js';

/** Walk records of one file (by thread, then by the walked root: the file itself or one of its functions), and their merge. */
export interface FileWalks {
  threads: Map<string, Map<Node, WalkRecord>>;
  held: FileHeld;
}

export class ModelMemory {
  calls: CallGraphMemory = emptyCallGraphMemory();
  /** Walk records by file path. */
  walks = new Map<string, FileWalks>();
  /** The compiler node each program file had when last seen. */
  private readonly versions = new Map<string, ts.SourceFile>();
  private readonly dependencies = new Map<string, FileDependencies>();
  /** Worker scripts started from each file, as of the last analysis. */
  private spawned = new Map<string, Set<string>>();
  /** The analysed files of the last analysis, one path per line. */
  private analysed: string | undefined;
  /** Files affected since the last `settle()`: what a consumer of whole results (the rules) has not yet seen. */
  private unsettled: Set<string> | 'all' = 'all';

  /** Forgets every walk and call target (what `refresh` does when it cannot tell what an edit affects). */
  forget(): void {
    this.calls = emptyCallGraphMemory();
    this.walks = new Map();
  }

  /**
   * Compares `program` with the last one seen and forgets what the changes can have altered. Returns the files
   * affected since the last `settle()` (a run abandoned after its refresh leaves its files affected), or `'all'`.
   */
  refresh(program: ts.Program, files: readonly SourceFile[], spawns: readonly WorkerSpawn[]): ReadonlySet<string> | 'all' {
    let everything = false;
    const analysed = files.map((f) => f.getFilePath()).join('\n');
    if (analysed !== this.analysed) {
      this.analysed = analysed;
      everything = true;
    }
    const current = new Map<string, ts.SourceFile>();
    for (const file of program.getSourceFiles()) if (!file.fileName.includes('/node_modules/')) current.set(file.fileName, file);
    const changed = new Set<string>();
    for (const [name, file] of current) if (this.versions.get(name) !== file) changed.add(name);
    for (const name of this.versions.keys()) if (!current.has(name)) changed.add(name);

    // Edges as they were and as they are: a dependency just removed still explains what the change altered.
    const edges: [from: string, on: string][] = [];
    const checker = changed.size > 0 ? program.getTypeChecker() : undefined;
    const added = [...changed].some((name) => !this.versions.has(name));
    for (const name of changed) {
      const before = this.dependencies.get(name);
      if (before?.global) everything = true;
      for (const on of before?.files ?? []) edges.push([name, on]);
      for (const base of before?.bases ?? []) edges.push([base, name]);
      const file = current.get(name);
      if (file === undefined) {
        this.versions.delete(name);
        this.dependencies.delete(name);
        continue;
      }
      const now = dependenciesOf(file, checker!);
      if (now.global) everything = true;
      this.versions.set(name, file);
      this.dependencies.set(name, now);
    }
    for (const [name, dependencies] of this.dependencies) {
      for (const on of dependencies.files) edges.push([name, on]);
      for (const base of dependencies.bases) edges.push([base, name]);
      if (added && dependencies.unresolved) changed.add(name);
    }
    const spawned = new Map<string, Set<string>>();
    for (const spawn of spawns) {
      getOrInsert(spawned, spawn.site.getSourceFile().getFilePath() as string, () => new Set<string>()).add(spawn.target.getFilePath());
    }
    for (const map of [this.spawned, spawned]) for (const [site, targets] of map) for (const target of targets) edges.push([target, site]);
    this.spawned = spawned;

    if (everything) {
      this.forget();
      this.unsettled = 'all';
      return 'all';
    }
    const affected = dependents(changed, edges);
    for (const name of affected) {
      this.walks.delete(name);
      this.calls.targets.delete(name);
      this.calls.callees.delete(name);
      if (!current.has(name)) this.calls.indexes.delete(name);
      if (this.unsettled !== 'all') this.unsettled.add(name);
    }
    return this.unsettled;
  }

  /** The results of the last refresh were used in full: later refreshes report only what changes after this. */
  settle(): void {
    this.unsettled = new Set();
  }
}

/** `changed` and every file that depends on one of them, directly or through others. */
function dependents(changed: ReadonlySet<string>, edges: readonly [from: string, on: string][]): Set<string> {
  const users = new Map<string, string[]>();
  for (const [from, on] of edges) getOrInsert(users, on, () => []).push(from);
  const affected = new Set(changed);
  const pending = [...changed];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    for (const user of users.get(name) ?? []) {
      if (affected.has(user)) continue;
      affected.add(user);
      pending.push(user);
    }
  }
  return affected;
}
