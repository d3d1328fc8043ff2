/**
 * Rule `blocking-in-async`: a call that blocks the thread (Atomics.wait, the runtime's sync lock methods, Node's
 * `*Sync` I/O, busy-waits, configured functions, or a sync helper that does any of these) inside an async
 * function, where it stalls the whole event loop instead of one task. Fixes swap in the awaited async twin.
 */
import { Node, type SourceFile } from 'ts-morph';
import type { Rule, RuleContext } from '../rule.js';
import type { RelatedLocation } from '../types.js';
import type { BlockingCall } from '../detect/blocking-calls.js';
import { BlockingSummaries, forEachInlineNode, isFunctionLike, type BlockingStep, type FunctionLike } from '../detect/blocking-summary.js';
import { isBusyWait } from '../detect/blocking-calls.js';
import { asyncTwinFix } from '../fixes/async-twin.js';
import { spanOf } from '../span.js';
import { findNodesCached } from '../detect/compiler-walk.js';
import { isCoroutine, isCoroutineCandidate } from '../detect/coroutines.js';

export const blockingInAsync: Rule = {
  id: 'blocking-in-async',
  description: 'A call that blocks the thread (Atomics.wait, a sync lock, *Sync I/O, a busy-wait) inside an async function, stalling its whole event loop.',
  defaultSeverity: 'error',
  // A coroutine's findings follow from its own code and what it calls, found through the files it imports.
  scope: 'file',
  check(context) {
    const summaries = new BlockingSummaries(context.config);
    for (const file of context.files) checkFile(context, summaries, file);
  },
};

function checkFile(context: RuleContext, summaries: BlockingSummaries, file: SourceFile): void {
  for (const node of findNodesCached(file, isCoroutineCandidate)) {
    if (!isFunctionLike(node) || !isCoroutine(node)) continue;
    const body = node.getBody();
    if (body === undefined) continue;
    forEachInlineNode(body, (inner) => {
      if (Node.isCallExpression(inner)) {
        const found = summaries.classify(inner);
        if (found === undefined) return;
        // A generator coroutine suspends with `yield`, not `await`: the async twin's fix does not fit it.
        const fix = found.direct === undefined || !isAsync(node) ? undefined : asyncTwinFix(inner, found.direct, node);
        context.report({
          rule: 'blocking-in-async',
          message: messageFor(node, found.chain, found.direct),
          span: spanOf(inner),
          related: relatedFor(found.chain),
          fixes: fix === undefined ? [] : [fix],
        });
      } else if (isBusyWait(inner)) {
        context.report({
          rule: 'blocking-in-async',
          message: `A busy-wait loop spins inside ${describeCoroutine(node)}: no other task on this event loop runs until it ends. Await a timer or Atomics.waitAsync instead.`,
          span: spanOf(inner),
          related: [],
          fixes: [],
        });
      }
    });
  }
}

function isAsync(node: FunctionLike): boolean {
  return (Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node) || Node.isArrowFunction(node)) && node.isAsync();
}

function describeCoroutine(node: FunctionLike): string {
  const name = Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node) ? node.getName() : undefined;
  const generator = (Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node)) && node.isGenerator();
  const kind = generator ? (isAsync(node) ? 'async generator' : 'generator coroutine') : 'async function';
  if (Node.isMethodDeclaration(node)) return `${generator ? kind : 'async method'} \`${name}\``;
  if (name !== undefined) return `${kind} \`${name}\``;
  const holder = node.getParent();
  if (holder !== undefined && (Node.isVariableDeclaration(holder) || Node.isPropertyDeclaration(holder) || Node.isPropertyAssignment(holder))) {
    return `${kind} \`${holder.getName()}\``;
  }
  return `${kind.startsWith('async') ? 'an' : 'a'} ${kind}`;
}

function messageFor(coroutine: FunctionLike, chain: BlockingStep[], direct: BlockingCall | undefined): string {
  const where = describeCoroutine(coroutine);
  if (direct === undefined) {
    const path = chain.map((step) => step.description).join(' → ');
    return `${chain[0]!.description} blocks the thread inside ${where} through sync calls: ${path}. No other task on this event loop runs meanwhile; make the chain async.`;
  }
  return `${direct.description} blocks the thread inside ${where}: no other task on this event loop runs until it returns. ${adviceFor(direct)}`;
}

function adviceFor(blocking: BlockingCall): string {
  switch (blocking.kind) {
    case 'atomics-wait':
      return 'Use `await Atomics.waitAsync(...).value`.';
    case 'runtime':
      return `Use \`await ${blocking.receiver}.${blocking.twin}()\`.`;
    case 'runtime-function':
      return `Use \`await ${blocking.twin}()\`.`;
    case 'node-sync':
      return blocking.module === 'fs' ? 'Use the fs/promises twin.' : `Use the asynchronous ${blocking.module} API.`;
    case 'configured':
      return 'Use an asynchronous alternative.';
  }
}

/** Each step after the call in the coroutine, so an editor can walk the chain down to what blocks. */
function relatedFor(chain: BlockingStep[]): RelatedLocation[] {
  return chain.slice(1).map((step, index) => ({
    span: spanOf(step.node),
    message: index === chain.length - 2 ? `${step.description} blocks here` : `which calls ${step.description}`,
  }));
}
