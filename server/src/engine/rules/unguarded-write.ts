/**
 * Rule `unguarded-write`: a write to shared state without the lock that guards it. The guard is declared with
 * `/** @guardedBy lockName *\/` on the field or variable, or inferred: a location written under one lock at
 * most of its writes (at least two), and under no lock at all of them, is reported where it is written without
 * it. Constructors and methods only called on an instance just built are exempt, and top-level module code does not
 * count towards (or against) an inferred guard. An async-mutex or Web Locks lock whose sections never suspend cannot
 * be interleaved with on its thread, so it guards nothing a write could race with.
 */
import { Node } from 'ts-morph';
import type { LockRef, Rule, RuleContext } from '../rule.js';
import { spanOf } from '../span.js';
import type { WriteFact } from '../model/facts.js';
import { keyOf } from '../model/values.js';
import { Suspensions } from '../detect/suspensions.js';
import { calledOnlyOnNewInstances } from '../detect/new-instances.js';
import { guardWriteFix, writeStatement } from '../fixes/guard-write.js';
import type { Finding, Fix } from '../types.js';

interface Write {
  fact: WriteFact;
  held: readonly LockRef[];
}

/** A finding waiting for its fix, which depends on the other writes that miss the same guard. */
interface Pending {
  finding: Omit<Finding, 'severity' | 'fixes'>;
  write: Write;
  /**
   * The one missing guard, when there is one: as code (what the fix writes), by name (its title), and its lock id when
   * it is not a field of the written object (then other code of the file may reach it by another name).
   */
  guard?: { code: string; label: string; id?: string };
}

/** How one file's code reaches a lock: the receivers of its acquisitions there (`accountsLock` of `accountsLock.lock()`). */
function receiversIn(context: RuleContext, file: Node, id: string): string[] {
  const receivers = new Set<string>();
  for (const acquisition of context.model.facts.acquisitions) {
    const call = acquisition.stack.at(-1);
    if (acquisition.lock.id !== id || call === undefined || call.getSourceFile() !== file || !Node.isCallExpression(call)) continue;
    const callee = call.getExpression();
    if (Node.isPropertyAccessExpression(callee)) receivers.add(callee.getExpression().getText());
  }
  return [...receivers];
}

/** A write to `this` in a method only ever called on an instance its caller just built: initialisation. */
function initialisesNewInstance(context: RuleContext, fact: WriteFact): boolean {
  return fact.base?.id.startsWith('this:') === true && calledOnlyOnNewInstances(context.model, fact.root.node);
}

function inConstructor(node: Node): boolean {
  const fn = node.getFirstAncestor((a) => Node.isConstructorDeclaration(a) || Node.isFunctionDeclaration(a) || Node.isMethodDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a));
  return fn !== undefined && Node.isConstructorDeclaration(fn);
}

function targetName(write: WriteFact): string {
  const name = Node.hasName(write.target) ? write.target.getName() : write.target.getText();
  return write.base ? `${write.base.name}.${name}` : name;
}

/**
 * The lock id a `@guardedBy name` denotes for one write: a field of the written object when its class has one
 * so named, else a module variable of the declaring file, declared there or imported.
 */
function declaredGuardId(write: WriteFact, guard: string): string | undefined {
  const owner = write.target.getParent();
  const isSiblingField = owner !== undefined && Node.isClassDeclaration(owner) && (owner.getProperty(guard) !== undefined || owner.getConstructors().some((c) => c.getParameter(guard)?.isParameterProperty()));
  if (write.base && isSiblingField) return `${write.base.id}.${guard}`;
  const file = write.target.getSourceFile();
  const variable = file.getVariableDeclaration(guard);
  if (variable) return keyOf(variable);
  for (const declaration of file.getImportDeclarations()) {
    const specifier = declaration.getNamedImports().find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === guard);
    const symbol = specifier?.getNameNode().getSymbol();
    const target = (symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol)?.getDeclarations()[0];
    if (target) return keyOf(target);
  }
  return write.base ? `${write.base.id}.${guard}` : undefined;
}

/** A held lock as seen from one write: relative to the written object (`.mutex`) when it is one of its fields. */
function relativeGuard(write: WriteFact, lock: LockRef): string {
  return write.base && lock.id.startsWith(`${write.base.id}.`) ? `rel:${lock.id.slice(write.base.id.length)}` : `abs:${lock.id}`;
}

export const unguardedWrite: Rule = {
  id: 'unguarded-write',
  description: 'Finds a write to shared state without the lock that guards it, declared with @guardedBy or inferred from the other writes.',
  defaultSeverity: 'error',
  check(context) {
    const writes = new Map<Node, Write>();
    for (const fact of context.model.facts.writes) {
      // Constructors and the main thread's writes before it starts any worker initialise state nobody shares yet.
      if (writes.has(fact.node) || inConstructor(fact.node) || initialisesNewInstance(context, fact) || context.model.isInitialisation(fact.node)) continue;
      writes.set(fact.node, { fact, held: context.model.heldAt(fact.node) });
    }
    const byTarget = new Map<Node, Write[]>();
    const pending: Pending[] = [];
    for (const write of writes.values()) {
      const guard = context.model.guardedBy(write.fact.target);
      if (guard !== undefined) checkDeclared(pending, write, guard);
      // The main thread's module initialisation runs once, before any worker it starts can share the state: not
      // evidence either way. A worker's top level is its body, running beside the main thread and other workers.
      else if (!Node.isSourceFile(write.fact.root.node) || write.fact.root.thread !== 'main') byTarget.set(write.fact.target, [...(byTarget.get(write.fact.target) ?? []), write]);
    }
    const suspensions = new Suspensions(context.model, context.files);
    for (const group of byTarget.values()) checkInferred(pending, group, suspensions);
    // Writes of one file missing the same guard, by statement: adjacent ones are fixed as one section, one update.
    const together = new Map<string, Set<Node>>();
    const keyOfGuard = (p: Pending) => `${p.write.fact.node.getSourceFile().getFilePath()}\0${p.guard!.code}`;
    for (const p of pending) {
      const statement = p.guard && writeStatement(p.write.fact.node);
      if (statement) (together.get(keyOfGuard(p)) ?? together.set(keyOfGuard(p), new Set()).get(keyOfGuard(p))!).add(statement);
    }
    for (const p of pending) {
      // The guard as this file reaches it: the code its name gives, else how the file's own acquisitions take it
      // (a worker rebuilds a lock under a name of its own).
      const node = p.write.fact.node;
      const codes = p.guard === undefined ? [] : [p.guard.code, ...(p.guard.id === undefined ? [] : receiversIn(context, node.getSourceFile(), p.guard.id))];
      let fix: Fix | undefined;
      for (const code of codes) fix ??= guardWriteFix(node, code, p.write.held, context.model, context.config, p.guard!.label, together.get(keyOfGuard(p)));
      context.report({ ...p.finding, fixes: fix ? [fix] : [] });
    }
  },
};

function checkDeclared(pending: Pending[], write: Write, guard: string): void {
  const id = declaredGuardId(write.fact, guard);
  if (id === undefined || write.held.some((l) => l.id === id)) return;
  const name = targetName(write.fact);
  const lock = write.fact.base ? `${write.fact.base.name}.${guard}` : guard;
  // The guard as code: the written object's field, or the module variable (declared there or imported) it names.
  const code = write.fact.base && id.startsWith(`${write.fact.base.id}.`) ? lock : guard;
  pending.push({
    finding: {
      rule: 'unguarded-write',
      message: `\`${name}\` is written without holding \`${lock}\`, which guards it (@guardedBy ${guard}). Take \`${lock}\` around this write.`,
      span: spanOf(write.fact.node),
      related: [{ span: spanOf(write.fact.target), message: `declared @guardedBy ${guard} here` }],
    },
    write,
    guard: { code, label: lock },
  });
}

function checkInferred(pending: Pending[], group: readonly Write[], suspensions: Suspensions): void {
  if (group.length < 3) return;
  const counts = new Map<string, { count: number; name: string; label: string; id: string }>();
  for (const write of group) {
    for (const key of new Set(write.held.map((l) => relativeGuard(write.fact, l)))) {
      const lock = write.held.find((l) => relativeGuard(write.fact, l) === key)!;
      const entry = counts.get(key) ?? { count: 0, name: lock.name, label: lock.label, id: lock.id };
      entry.count++;
      counts.set(key, entry);
    }
  }
  // A lock held at every write already guards the location: another, held at fewer of them, is not its guard.
  const most = Math.max(0, ...[...counts.values()].map((e) => e.count));
  if (most === group.length) return;
  const guards = [...counts].filter(([, { count, id }]) => count >= 2 && count * 2 > group.length && suspensions.mayInterleave(id));
  const holds = (write: Write, key: string): boolean => write.held.some((l) => relativeGuard(write.fact, l) === key);
  // Two locks always held together (lockAll, or nested) both qualify: one finding per write names every missing one.
  for (const write of group) {
    const missing = guards.filter(([key]) => !holds(write, key));
    if (missing.length === 0) continue;
    // As code for the fix (the written object's field, reached the way this write reaches the object), by name in the text.
    const plain = missing.map(([key, { name }]) => (key.startsWith('rel:') && write.fact.base ? `${write.fact.base.name}${key.slice(4)}` : name));
    const names = missing.map(([, { label }]) => `\`${label}\``);
    const lockNames = names.join(' and ');
    const count = Math.min(...missing.map(([, entry]) => entry.count));
    const guarded = group.filter((w) => missing.every(([key]) => holds(w, key)));
    const which = missing.length === 1 ? 'which is' : 'which are';
    pending.push({
      finding: {
        rule: 'unguarded-write',
        message: `\`${targetName(write.fact)}\` is written without holding ${lockNames}, ${which} held at ${count} of its ${group.length} writes. Take ${lockNames} here too, or declare the intended guard with @guardedBy.`,
        span: spanOf(write.fact.node),
        related: guarded.slice(0, 5).map((w) => ({ span: spanOf(w.fact.node), message: `written holding ${lockNames}` })),
      },
      write,
      ...(plain.length === 1 ? { guard: { code: plain[0]!, label: missing[0]![1].label, ...(missing[0]![0].startsWith('abs:') ? { id: missing[0]![0].slice(4) } : {}) } } : {}),
    });
  }
}
