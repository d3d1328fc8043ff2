/**
 * Rule `lock-leak`: a lock taken and not released on some path out of the function (an early return, a throw,
 * the end). `using` guards and withLock-style callbacks release on every path; a function that always returns
 * holding what it took, and has callers, is an acquire helper and its callers are checked instead. A lock another
 * function releases without taking it (`acquireConnection()` / `releaseConnection()`, a releaser kept in a field)
 * is handed over, not leaked; and a leak inside a helper is reported there once, not again at each caller.
 */
import { Node } from 'ts-morph';
import type { Rule } from '../rule.js';
import { spanOf } from '../span.js';
import type { ExitFact, Held, ReleaseFact } from '../model/facts.js';
import { orderValue } from '../model/lock-graph.js';
import { lockLeakFixes } from '../fixes/lock-leak.js';
import { lockName } from '../model/lock-names.js';

/** Functions whose name says they return holding a lock: `lock`, `acquireBoth`, `enterCritical`, `takeSlot`. */
const ACQUIRER_NAME = /^(lock|acquire|enter|take|begin|grab|claim|reserve|open)/i;

function functionName(node: Node): string {
  if (Node.isFunctionDeclaration(node) || Node.isMethodDeclaration(node)) return node.getName() ?? '';
  const parent = node.getParent();
  return parent && Node.isVariableDeclaration(parent) ? parent.getName() : '';
}

function callee(node: Node): string {
  return Node.isCallExpression(node) ? node.getExpression().getText() : node.getText();
}

function describeExit(exit: ExitFact): string {
  const line = exit.exit.getEndLineNumber();
  if (exit.how === 'return') return `returns on line ${exit.exit.getStartLineNumber()}`;
  if (exit.how === 'throw') return `throws on line ${exit.exit.getStartLineNumber()}`;
  if (exit.how === 'call') return `exits by an exception from \`${callee(exit.exit)}\` on line ${exit.exit.getStartLineNumber()}`;
  if (exit.how === 'reject') return `exits when the promise of \`${callee(exit.exit)}\` rejects on line ${exit.exit.getStartLineNumber()}`;
  return `ends on line ${line}`;
}

/** How the code releases what `guard` holds: `release()` for a releaser, `lease.release()` for a lease object. */
function releaseCall(guard: Node & { getName(): string }): string {
  const type = guard.getType();
  const isLease = type.getCallSignatures().length === 0 && type.getProperty('release') !== undefined;
  return isLease ? `${guard.getName()}.release()` : `${guard.getName()}()`;
}

/** Locks (by their class-wide identity) and releaser fields that some function releases without taking them. */
function handOvers(releases: readonly ReleaseFact[]): { locks: Set<string>; guards: Set<Node> } {
  const locks = new Set<string>();
  const guards = new Set<Node>();
  for (const release of releases) {
    if (release.lock) locks.add(orderValue(release.lock).id);
    if (release.guard) guards.add(release.guard);
  }
  return { locks, guards };
}

function isHandedOver(held: Held, handedOver: { locks: Set<string>; guards: Set<Node> }): boolean {
  return (held.guard !== undefined && handedOver.guards.has(held.guard)) || handedOver.locks.has(orderValue(held.lock).id);
}

export const lockLeak: Rule = {
  id: 'lock-leak',
  description: 'Finds a lock taken and not released on some path out of the function, such as an early return or a throw.',
  defaultSeverity: 'error',
  check(context) {
    const { exits, cleanExits, releases } = context.model.facts;
    const cleanFunctions = new Set<Node>(cleanExits.map((e) => e.root.node));
    const handedOver = handOvers(releases);
    const byPlace = new Map<string, ExitFact[]>();
    for (const exit of exits) {
      if (isHandedOver(exit.held, handedOver)) continue;
      const site = exit.held.stack[0]!;
      const key = `${site.getSourceFile().getFilePath()}:${site.getStart()}:${exit.held.lock.id}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), exit]);
    }
    const reportable = [...byPlace.values()].filter((group) => {
      const first = group[0]!;
      // An acquire helper (never releases; has callers, or is named for acquiring): its callers are checked instead.
      return cleanFunctions.has(first.root.node) || (first.root.entry && !ACQUIRER_NAME.test(functionName(first.root.node)));
    });
    // A helper reported for its own leak is the one place to fix; its callers' walks see the same acquisition.
    const leakingSites = new Set(reportable.filter((g) => g[0]!.held.stack.length === 1).map((g) => g[0]!.held.stack[0]!));
    for (const group of reportable) {
      const first = group[0]!;
      if (first.held.stack.length > 1 && leakingSites.has(first.held.stack.at(-1)!)) continue;
      const unique = [...new Map(group.map((e) => [e.exit, e])).values()];
      const paths = unique.map(describeExit).join(', ');
      // The lock by its one name in the text, by its code in the advice (which is code to write).
      const label = lockName(first.held.lock);
      const name = first.held.lock.name;
      const guardNode = first.held.guard;
      const guard = guardNode && (Node.isVariableDeclaration(guardNode) || Node.isBindingElement(guardNode)) ? releaseCall(guardNode) : 'release()';
      const advice = first.held.api === 'custom'
        ? 'release it in a `finally` block, or run the work through a method of its class that releases it'
        : first.held.api === 'async-mutex'
        ? `call \`${guard}\` in a \`finally\` block, or run the work in \`${name}.runExclusive(...)\``
        : first.held.lock.kind === 'Semaphore'
        ? `\`try { ... } finally { ${name}.release(); }\` or \`${name}.withPermit(...)\``
        : `\`try { ... } finally { ${name}.unlock(); }\`, \`using _ = ${name}.lock()\`, or \`${name}.withLock(...)\``;
      context.report({
        rule: 'lock-leak',
        message: `\`${label}\` is taken here but still held when the function ${paths}. Release it on every path: ${advice}.`,
        span: spanOf(first.held.stack[0]!),
        related: unique.map((e) => ({ span: spanOf(e.exit), message: `leaves the function holding \`${label}\`` })),
        fixes: lockLeakFixes(first.held, context.config),
      });
    }
  },
};
