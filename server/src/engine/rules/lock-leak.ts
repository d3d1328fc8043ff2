/**
 * Rule `lock-leak`: a lock taken and not released on some path out of the function (an early return, a throw,
 * the end). `using` guards and withLock-style callbacks release on every path; a function that always returns
 * holding what it took, and has callers, is an acquire helper and its callers are checked instead.
 */
import { Node } from 'ts-morph';
import type { Rule } from '../rule.js';
import { spanOf } from '../span.js';
import type { ExitFact } from '../model/facts.js';
import { lockLeakFixes } from '../fixes/lock-leak.js';

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
  return `ends on line ${line}`;
}

export const lockLeak: Rule = {
  id: 'lock-leak',
  description: 'Finds a lock taken and not released on some path out of the function, such as an early return or a throw.',
  defaultSeverity: 'error',
  check(context) {
    const { exits, cleanExits } = context.model.facts;
    const cleanFunctions = new Set<Node>(cleanExits.map((e) => e.root.node));
    const byPlace = new Map<string, ExitFact[]>();
    for (const exit of exits) {
      const site = exit.held.stack[0]!;
      const key = `${site.getSourceFile().getFilePath()}:${site.getStart()}:${exit.held.lock.id}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), exit]);
    }
    for (const group of byPlace.values()) {
      const first = group[0]!;
      // An acquire helper (never releases; has callers, or is named for acquiring): its callers are checked instead.
      if (!cleanFunctions.has(first.root.node) && (!first.root.entry || ACQUIRER_NAME.test(functionName(first.root.node)))) continue;
      const unique = [...new Map(group.map((e) => [e.exit, e])).values()];
      const paths = unique.map(describeExit).join(', ');
      const name = first.held.lock.name;
      const guardNode = first.held.guard;
      const guard = guardNode && (Node.isVariableDeclaration(guardNode) || Node.isBindingElement(guardNode)) ? guardNode.getName() : 'release';
      const advice = first.held.api === 'custom'
        ? 'release it in a `finally` block, or run the work through a method of its class that releases it'
        : first.held.api === 'async-mutex'
        ? `call \`${guard}()\` in a \`finally\` block, or run the work in \`${name}.runExclusive(...)\``
        : first.held.lock.kind === 'Semaphore'
        ? `\`try { ... } finally { ${name}.release(); }\` or \`${name}.withPermit(...)\``
        : `\`try { ... } finally { ${name}.unlock(); }\`, \`using _ = ${name}.lock()\`, or \`${name}.withLock(...)\``;
      context.report({
        rule: 'lock-leak',
        message: `\`${name}\` is taken here but still held when the function ${paths}. Release it on every path: ${advice}.`,
        span: spanOf(first.held.stack[0]!),
        related: unique.map((e) => ({ span: spanOf(e.exit), message: `leaves the function holding \`${name}\`` })),
        fixes: lockLeakFixes(first.held, context.config),
      });
    }
  },
};
