/**
 * Expressions an inlined walk can pass through without looking: no call, `new`, `await`, `yield` or conditional
 * anywhere in them (outside nested functions and classes, which run nothing where they are written). Walking one
 * changes no state and, inside an inlined callee, records nothing; it only takes one step per node it visits. The
 * walk takes those steps at once, so a budget cuts every walk exactly where it did when it visited each node.
 */
import { ts } from 'ts-morph';

/** Steps of each inert expression (the nodes the walk would visit), or NOT_INERT; filled on first use. */
const STEPS = new WeakMap<ts.Node, number>();
const NOT_INERT = -1;

/** Kinds whose walk can change the state or starts a worker: an expression holding one is walked node by node. */
const ACTIVE = new Set([ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression, ts.SyntaxKind.AwaitExpression, ts.SyntaxKind.YieldExpression, ts.SyntaxKind.ConditionalExpression]);

/** Kinds the walk steps on without entering (their bodies are walked as their own roots or where they are called). */
const OPAQUE = new Set([ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.ClassExpression]);

/** The steps walking `node` takes when it is inert, else undefined. */
export function inertSteps(node: ts.Node): number | undefined {
  const steps = stepsOf(node);
  return steps === NOT_INERT ? undefined : steps;
}

function stepsOf(node: ts.Node): number {
  const known = STEPS.get(node);
  if (known !== undefined) return known;
  let steps = 1;
  if (ACTIVE.has(node.kind)) steps = NOT_INERT;
  else if (!OPAQUE.has(node.kind)) {
    // The walk visits children in ts.forEachChild's order, as ts-morph's forEachChild does.
    ts.forEachChild(node, (child) => {
      const inner = stepsOf(child);
      if (inner === NOT_INERT) {
        steps = NOT_INERT;
        return true;
      }
      steps += inner;
      return undefined;
    });
  }
  STEPS.set(node, steps);
  return steps;
}
