/**
 * Local, syntactic evidence that code runs under mutual exclusion, used by rules on top of the core's held-lock
 * model: callbacks of `withLock`-style helpers, hand-rolled Atomics spin locks, and lock calls of libraries the
 * model does not know (async-mutex's `acquire`, for example). Each one errs towards "guarded" to avoid noise.
 */
import { Node, SyntaxKind } from 'ts-morph';
import { runsInline } from './blocking-calls.js';

/** Helpers that run their function argument while holding a lock: the runtime's and common libraries'. */
const LOCKING_HELPERS = new Set(['withLock', 'withLockAsync', 'withPermit', 'lockAll', 'lockAllAsync', 'runExclusive', 'withLockRunExclusive']);
/**
 * Home-grown helpers named for what they do (`synchronize(arr, fn)`, `withMutex`, `runLocked`, `critical`):
 * a name is weak evidence, but reporting every update inside them buries the real races.
 */
const LOCKING_HELPER_NAME = /^(with|run|do)?_?(lock|locked|mutex|exclusive|critical|a?synchroni[sz]ed?|guarded)[a-z0-9_]*$/;
const ACQUIRE_NAMES = new Set(['lock', 'lockAsync', 'acquire', 'acquireAsync', 'tryLock', 'tryAcquire']);
const RELEASE_NAMES = new Set(['unlock', 'release']);

/** True when `node` sits inside a function passed to a locking helper such as `m.withLock(() => ...)`. */
export function isGuardedByLockCallback(node: Node): boolean {
  for (let current: Node | undefined = node.getParent(); current !== undefined; current = current.getParent()) {
    if (!Node.isArrowFunction(current) && !Node.isFunctionExpression(current)) continue;
    const call = current.getParent();
    if (call !== undefined && Node.isCallExpression(call) && call.getArguments().includes(current)) {
      const name = calleeName(call.getExpression()) ?? '';
      if (LOCKING_HELPERS.has(name) || LOCKING_HELPER_NAME.test(name.toLowerCase())) return true;
    }
  }
  return false;
}

/**
 * True when, earlier in the same function, the code takes a lock by hand: an `Atomics.compareExchange`/`exchange`
 * spin lock, or a `lock()`/`acquire()` call not yet matched by an `unlock()`/`release()` before `node`.
 */
export function isInsideHandRolledLock(node: Node): boolean {
  const body = node.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isSourceFile(n));
  if (body === undefined) return false;
  // A callback that runs at once (`items.forEach(() => x[0]++)`) runs under whatever its caller holds there.
  if (!Node.isSourceFile(body) && runsInline(body) && isInsideHandRolledLock(body)) return true;
  const position = node.getStart();
  let open = 0;
  let spin = false;
  for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getStart() >= position) break;
    // Calls inside nested functions run at some other time; they say nothing about this point.
    if (call.getFirstAncestor((n) => Node.isFunctionLikeDeclaration(n) || Node.isSourceFile(n)) !== body) continue;
    const callee = call.getExpression().getText();
    if (callee === 'Atomics.compareExchange' || callee === 'Atomics.exchange') spin = true;
    const name = calleeName(call.getExpression());
    if (name !== undefined && ACQUIRE_NAMES.has(name)) open += 1;
    else if (name !== undefined && RELEASE_NAMES.has(name)) open = Math.max(0, open - 1);
  }
  return spin || open > 0;
}

function calleeName(callee: Node): string | undefined {
  if (Node.isIdentifier(callee)) return callee.getText();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName();
  return undefined;
}
