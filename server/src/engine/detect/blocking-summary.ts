/**
 * Which sync functions block, transitively: a memoised summary per function declaration and kind of blocking, so
 * an async function that calls `helper()` which calls `sleep()` which calls `Atomics.wait` is reported at its call
 * with the chain. Computed here because the core's model does not summarise blocking; only called functions are
 * summarised. Waits (`blocking-in-async`) and sync I/O (`sync-io-in-async`) are summarised apart, so a helper that
 * does both is reported by both rules and a first `readFileSync` cannot hide a later `Atomics.wait`.
 */
import { Node, ts, type CallExpression } from 'ts-morph';
import type { DeadboltConfig } from '../types.js';
import { blockingCallOf, isBusyWait, runsInline, type BlockingCall } from './blocking-calls.js';
import { mayNameOwnFunction } from './callee-names.js';
import { wrap } from './compiler-walk.js';
import { isCompilerFunctionLike } from '../model/function-like.js';

/** One step of a blocking chain: a call into a helper, or the blocking operation itself (always last). */
export interface BlockingStep {
  node: Node;
  description: string;
}

export type FunctionLike = Node & { getBody(): Node | undefined };

/**
 * `wait`: what holds the thread until another thread acts or time passes (Atomics.wait, the runtime's sync
 * methods, busy-waits, configured functions). `io`: Node's `*Sync` file, process, zlib and crypto calls, which
 * block only as long as the operation takes and are harmless in scripts and tests.
 */
export type BlockingCategory = 'wait' | 'io';

export function categoryOf(blocking: BlockingCall): BlockingCategory {
  return blocking.kind === 'node-sync' ? 'io' : 'wait';
}

export class BlockingSummaries {
  /** undefined while a function is being summarised, so recursion ends; null when it does not block. */
  private readonly memo = new Map<Node, BlockingStep[] | null | undefined>();

  constructor(
    private readonly config: DeadboltConfig,
    private readonly category: BlockingCategory,
  ) {}

  /** The blocking chain of this category started by `call`, with the direct classification when the call itself blocks. */
  classify(call: CallExpression): { chain: BlockingStep[]; direct: BlockingCall | undefined } | undefined {
    const direct = blockingCallOf(call, this.config);
    if (direct !== undefined) {
      // A direct call of the other category is that rule's business, but a helper of this one may still be called.
      return categoryOf(direct) === this.category ? { chain: [{ node: call, description: direct.description }], direct } : undefined;
    }
    const callee = resolveSyncCallee(call);
    if (callee === undefined) return undefined;
    const rest = this.summary(callee);
    if (rest === undefined) return undefined;
    return { chain: [{ node: call, description: `\`${call.getExpression().getText()}()\`` }, ...rest], direct: undefined };
  }

  /** The first blocking chain inside `fn` (which must be sync), or undefined when it never blocks. */
  summary(fn: FunctionLike): BlockingStep[] | undefined {
    if (this.memo.has(fn)) return this.memo.get(fn) ?? undefined;
    this.memo.set(fn, undefined);
    let found: BlockingStep[] | undefined;
    const body = fn.getBody();
    if (body !== undefined) {
      forEachInlineNode(body, (node) => {
        if (found !== undefined) return;
        if (Node.isCallExpression(node)) found = this.classify(node)?.chain;
        else if (this.category === 'wait' && isBusyWait(node)) found = [{ node, description: 'a busy-wait loop' }];
      });
    }
    this.memo.set(fn, found ?? null);
    return found;
  }
}

/**
 * Visits the nodes of `body` that run as part of it and can block: its calls, and its loops (which may busy-wait).
 * Nested functions are skipped unless they run inline and are sync. An arrow's expression body is itself visited,
 * since `async () => readFileSync(p)` runs that call as its body. The compiler's nodes are walked and only these
 * wrapped: wrapping every node of every coroutine cost more than the checks made on them.
 */
export function forEachInlineNode(body: Node, visit: (node: Node) => void): void {
  const file = body.getSourceFile();
  const walk = (node: ts.Node): void => {
    if (isCompilerFunctionLike(node) && skipsNested(wrap(file, node))) return;
    if (ts.isCallExpression(node) || ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node)) visit(wrap(file, node));
    ts.forEachChild(node, walk);
  };
  if (Node.isBlock(body)) ts.forEachChild(body.compilerNode, walk);
  else walk(body.compilerNode);
}

/** A nested function that does not run as part of its enclosing body (deferred, or async and so its own coroutine). */
function skipsNested(node: Node): boolean {
  return isFunctionLike(node) && !(runsInline(node) && !isAsyncOrGenerator(node));
}

export function isFunctionLike(node: Node): node is FunctionLike {
  return (
    Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isArrowFunction(node) ||
    Node.isMethodDeclaration(node) || Node.isConstructorDeclaration(node) || Node.isGetAccessorDeclaration(node) ||
    Node.isSetAccessorDeclaration(node)
  );
}

export function isAsyncOrGenerator(node: Node): boolean {
  if (Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node)) {
    return node.isAsync() || node.isGenerator();
  }
  return Node.isArrowFunction(node) && node.isAsync();
}

/** The declaration of a user-written sync function that `call` invokes, when the checker can resolve it to source. */
export function resolveSyncCallee(call: CallExpression): FunctionLike | undefined {
  const callee = call.getExpression();
  const nameNode = Node.isIdentifier(callee) ? callee : Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : undefined;
  // A method name no function of the program's own files goes by (`view.setInt32()`) needs no symbol; a plain
  // name is cheap to resolve and may be any import's local name, so it is always asked.
  if (nameNode !== undefined && nameNode !== callee && !mayNameOwnFunction(nameNode.getText(), call.getSourceFile())) return undefined;
  let symbol = nameNode?.getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  for (const declaration of symbol?.getDeclarations() ?? []) {
    const file = declaration.getSourceFile();
    if (file.isDeclarationFile() || file.isInNodeModules()) return undefined;
    let fn: Node | undefined = declaration;
    if (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration)) fn = declaration.getInitializer();
    if (fn !== undefined && isFunctionLike(fn) && !isAsyncOrGenerator(fn)) return fn;
  }
  return undefined;
}
