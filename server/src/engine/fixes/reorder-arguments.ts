/**
 * The `lock-order` fix for a hand-written "lock all of these": a helper that takes the locks of the array it is
 * given, in the array's order (a loop or `forEach`), closes the cycle inside itself, but the order comes from the
 * call that passed the array. Swapping the two locks in that call's array literal makes the helper take them in the
 * consistent order; nothing else changes, since the helper takes each lock at the same call either way.
 */
import { Node } from 'ts-morph';
import type { Fix } from '../types.js';
import type { Value } from '../model/values.js';
import type { OrderChain } from '../model/lock-graph.js';

/** Whether `element` names the lock `value` by its variable: the variable's declaration is where the lock was made. */
function denotes(element: Node, value: Value): boolean {
  if (!Node.isIdentifier(element) || value.declaration === undefined) return false;
  const made = value.declaration;
  return (element.getSymbol()?.getDeclarations() ?? []).some(
    (declaration) => declaration.getSourceFile() === made.getSourceFile() && declaration.getStart() <= made.getStart() && made.getEnd() <= declaration.getEnd(),
  );
}

export function reorderArgumentsFix(chain: OrderChain): Fix | undefined {
  const heldStack = chain.held.stack;
  const takenStack = chain.acquisition.stack;
  const site = takenStack.at(-1);
  // Both locks taken by one call inside the helper: the loop's (or callback's) single acquisition.
  if (site === undefined || heldStack.length !== takenStack.length || heldStack.at(-1) !== site) return undefined;
  for (let i = takenStack.length - 2; i >= 0; i--) {
    const call = takenStack[i]!;
    if (heldStack[i] !== call || !Node.isCallExpression(call)) return undefined;
    for (const argument of call.getArguments()) {
      if (!Node.isArrayLiteralExpression(argument)) continue;
      const elements = argument.getElements();
      const first = elements.find((e) => denotes(e, chain.held.lock));
      const second = elements.find((e) => denotes(e, chain.acquisition.lock));
      if (first === undefined || second === undefined || first.getStart() > second.getStart()) continue;
      const file = argument.getSourceFile().getFilePath();
      return {
        title: `Pass \`${second.getText()}\` before \`${first.getText()}\`, the order used elsewhere`,
        edits: [
          { file, start: first.getStart(), end: first.getEnd(), newText: second.getText() },
          { file, start: second.getStart(), end: second.getEnd(), newText: first.getText() },
        ],
        safety: 'safe',
        preferred: true,
      };
    }
  }
  return undefined;
}
