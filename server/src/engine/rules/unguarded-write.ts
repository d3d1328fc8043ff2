/**
 * Rule `unguarded-write`: a write to shared state without the lock that guards it. The guard is declared with
 * `/** @guardedBy lockName *\/` on the field or variable, or inferred: a location written under one lock at
 * most of its writes (at least two) is reported where it is written without it. Constructors are exempt, and
 * top-level module code does not count towards (or against) an inferred guard.
 */
import { Node } from 'ts-morph';
import type { LockRef, Rule, RuleContext } from '../rule.js';
import { spanOf } from '../span.js';
import type { WriteFact } from '../model/facts.js';
import { keyOf } from '../model/values.js';
import { guardWriteFix } from '../fixes/guard-write.js';

interface Write {
  fact: WriteFact;
  held: readonly LockRef[];
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
      if (writes.has(fact.node) || inConstructor(fact.node) || context.model.isInitialisation(fact.node)) continue;
      writes.set(fact.node, { fact, held: context.model.heldAt(fact.node) });
    }
    const byTarget = new Map<Node, Write[]>();
    for (const write of writes.values()) {
      const guard = context.model.guardedBy(write.fact.target);
      if (guard !== undefined) checkDeclared(context, write, guard);
      // Module initialisation runs once, before any worker it starts can share the state: not evidence either way.
      else if (!Node.isSourceFile(write.fact.root.node)) byTarget.set(write.fact.target, [...(byTarget.get(write.fact.target) ?? []), write]);
    }
    for (const group of byTarget.values()) checkInferred(context, group);
  },
};

function checkDeclared(context: RuleContext, write: Write, guard: string): void {
  const id = declaredGuardId(write.fact, guard);
  if (id === undefined || write.held.some((l) => l.id === id)) return;
  const name = targetName(write.fact);
  const lock = write.fact.base ? `${write.fact.base.name}.${guard}` : guard;
  context.report({
    rule: 'unguarded-write',
    message: `\`${name}\` is written without holding \`${lock}\`, which guards it (@guardedBy ${guard}). Take \`${lock}\` around this write.`,
    span: spanOf(write.fact.node),
    related: [{ span: spanOf(write.fact.target), message: `declared @guardedBy ${guard} here` }],
    // The guard as code: the written object's field, or the module variable (declared there or imported) it names.
    fixes: [guardWriteFix(write.fact.node, write.fact.base && id.startsWith(`${write.fact.base.id}.`) ? lock : guard, write.held, context.model, context.config)].filter((f) => f !== undefined),
  });
}

function checkInferred(context: RuleContext, group: readonly Write[]): void {
  if (group.length < 3) return;
  const counts = new Map<string, { count: number; name: string }>();
  for (const write of group) {
    for (const key of new Set(write.held.map((l) => relativeGuard(write.fact, l)))) {
      const lock = write.held.find((l) => relativeGuard(write.fact, l) === key)!;
      const entry = counts.get(key) ?? { count: 0, name: lock.name };
      entry.count++;
      counts.set(key, entry);
    }
  }
  const guards = [...counts].filter(([, { count }]) => count >= 2 && count * 2 > group.length && count < group.length);
  const holds = (write: Write, key: string): boolean => write.held.some((l) => relativeGuard(write.fact, l) === key);
  // Two locks always held together (lockAll, or nested) both qualify: one finding per write names every missing one.
  for (const write of group) {
    const missing = guards.filter(([key]) => !holds(write, key));
    if (missing.length === 0) continue;
    const plain = missing.map(([key, { name }]) => (key.startsWith('rel:') && write.fact.base ? `${write.fact.base.name}${key.slice(4)}` : name));
    const names = plain.map((name) => `\`${name}\``);
    const lockNames = names.join(' and ');
    const count = Math.min(...missing.map(([, entry]) => entry.count));
    const guarded = group.filter((w) => missing.every(([key]) => holds(w, key)));
    const which = missing.length === 1 ? 'which is' : 'which are';
    context.report({
      rule: 'unguarded-write',
      message: `\`${targetName(write.fact)}\` is written without holding ${lockNames}, ${which} held at ${count} of its ${group.length} writes. Take ${lockNames} here too, or declare the intended guard with @guardedBy.`,
      span: spanOf(write.fact.node),
      related: guarded.slice(0, 5).map((w) => ({ span: spanOf(w.fact.node), message: `written holding ${lockNames}` })),
      fixes: plain.length === 1 ? [guardWriteFix(write.fact.node, plain[0]!, write.held, context.model, context.config)].filter((f) => f !== undefined) : [],
    });
  }
}
