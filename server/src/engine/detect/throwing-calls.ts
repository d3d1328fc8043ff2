/**
 * Which calls can throw, for a lock taken and released around them: calls of the program's functions that throw
 * (themselves or through what they call) and a few built-ins that throw on bad input. Calls the analysis knows
 * nothing about count as safe, so a plain `console.log` between lock and unlock is not a leak.
 */
import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import { isFunctionLike } from '../model/function-like.js';

/** Built-ins that throw on ordinary bad input (malformed text, a missing file), by the callee's text or name. */
const THROWING_CALLEES = new Set(['JSON.parse', 'structuredClone', 'decodeURIComponent', 'decodeURI', 'BigInt', 'assert']);
/** Node's synchronous I/O throws on every failure (`readFileSync`, `execSync`, ...). */
const SYNC_IO = /^[a-z][A-Za-z]*Sync$/;
const MAX_DEPTH = 6;

export class ThrowingCalls {
  private readonly memo = new Map<Node, boolean>();

  constructor(private readonly calleeOf: (call: CallExpression) => Node | undefined) {}

  /** Whether running `call` can end in an exception that leaves its caller. */
  mayThrow(call: CallExpression, depth = 0): boolean {
    const callee = call.getExpression();
    const text = callee.getText();
    const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : text;
    if (THROWING_CALLEES.has(text) || SYNC_IO.test(name) || (Node.isPropertyAccessExpression(callee) && callee.getExpression().getText() === 'assert')) return true;
    const target = this.calleeOf(call);
    return target !== undefined && this.throwsOut(target, depth);
  }

  /** A function whose body throws (or calls something that throws) outside a `try` with a `catch`. */
  private throwsOut(fn: Node, depth: number): boolean {
    const known = this.memo.get(fn);
    if (known !== undefined) return known;
    if (depth >= MAX_DEPTH) return false;
    // A recursive call is answered "no" while its own answer is being worked out.
    this.memo.set(fn, false);
    const body = (fn as Node & { getBody?(): Node | undefined }).getBody?.();
    let throws = false;
    body?.forEachDescendant((node, traversal) => {
      if (throws) return traversal.stop();
      if (isFunctionLike(node)) return traversal.skip();
      if (Node.isTryStatement(node) && node.getCatchClause()) {
        // What the try block throws is caught; the handler and the finally block can still throw.
        for (const part of [node.getCatchClause()!.getBlock(), node.getFinallyBlock()]) if (part && this.blockThrows(part, depth)) throws = true;
        return traversal.skip();
      }
      if (node.getKind() === SyntaxKind.ThrowStatement) throws = true;
      else if (Node.isCallExpression(node) && this.mayThrow(node, depth + 1)) throws = true;
    });
    this.memo.set(fn, throws);
    return throws;
  }

  private blockThrows(block: Node, depth: number): boolean {
    let throws = false;
    block.forEachDescendant((node, traversal) => {
      if (throws) return traversal.stop();
      if (isFunctionLike(node)) return traversal.skip();
      if (node.getKind() === SyntaxKind.ThrowStatement || (Node.isCallExpression(node) && this.mayThrow(node, depth + 1))) throws = true;
    });
    return throws;
  }
}
