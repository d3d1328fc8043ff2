/**
 * The `lock-order` fixes for an acquisition that closes a cycle. When the two acquisitions sit in one function with
 * nothing but `try {` between them (and nothing but releases between their releases), swapping which lock each names
 * is safe and preferred. Otherwise, and in addition, both become one `lockAll` (`fixes/lock-all.ts`): safe when no
 * code changes from running under one lock to running under both, unsafe (and titled so) when some does.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import { rankOf, type OrderChain, type OrderEdge } from '../model/lock-graph.js';
import { lockAllRewrite, siteOf } from './lock-all.js';
import { reorderArgumentsFix } from './reorder-arguments.js';
import { webLocksNestFix, webLocksSwapFix } from './web-locks-order.js';

const RELEASING = new Set(['unlock', 'release']);

function statementOf(node: Node): Node | undefined {
  return node.getFirstAncestor((a) => {
    const parent = a.getParent();
    return parent !== undefined && (Node.isBlock(parent) || Node.isSourceFile(parent)) && Node.isStatement(a);
  });
}

/** The text between two positions with comments and whitespace removed. */
function codeBetween(text: string, start: number, end: number): string {
  return text.slice(start, end).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '').replace(/\s+/g, '');
}

function releaseReceiver(call: Node): Node | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) && RELEASING.has(callee.getName()) ? callee.getExpression() : undefined;
}

/**
 * Swaps the locks of two adjacent acquisitions and of their releases. Only when the releases are as adjacent as the
 * acquisitions (one statement after the other, or the inner try's `finally` then the outer's): then every statement
 * runs under exactly the locks it ran under before, just taken in the other order.
 */
function swapFix(outer: Node, inner: Node, firstName: string, secondName: string): Fix | undefined {
  const outerSite = siteOf(outer);
  const innerSite = siteOf(inner);
  if (!outerSite || !innerSite || outerSite.kind === 'callback' || innerSite.kind === 'callback') return undefined;
  if (outerSite.kind !== innerSite.kind || outerSite.guard !== undefined && outerSite.kind === 'manual') return undefined;
  const s1 = statementOf(outer);
  const s2 = statementOf(inner);
  if (!s1 || !s2 || s1 === s2 || s1.getEnd() > s2.getStart()) return undefined;
  const file = outer.getSourceFile();
  const text = file.getFullText();
  if (!/^(try\{)?$/.test(codeBetween(text, s1.getEnd(), s2.getStart()))) return undefined;
  const r1 = outerSite.receiver;
  const r2 = innerSite.receiver;
  const path = file.getFilePath();
  const edits: TextEdit[] = [
    { file: path, start: r1.getStart(), end: r1.getEnd(), newText: r2.getText() },
    { file: path, start: r2.getStart(), end: r2.getEnd(), newText: r1.getText() },
  ];
  if (outerSite.kind === 'manual') {
    // The releases: the inner's first, then the outer's, with nothing but closing braces and `finally {` between.
    const body = outer.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) ?? file;
    const releases = body
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .filter((call) => call.getStart() > inner.getEnd())
      .map((call) => ({ call, receiver: releaseReceiver(call) }))
      .filter((r) => r.receiver !== undefined && (r.receiver.getText() === r1.getText() || r.receiver.getText() === r2.getText()));
    if (releases.length !== 2 || innerSite.guard !== undefined) return undefined;
    const [first, second] = releases as unknown as [{ call: Node; receiver: Node }, { call: Node; receiver: Node }];
    if (first.receiver.getText() !== r2.getText() || second.receiver.getText() !== r1.getText()) return undefined;
    const gap = codeBetween(text, statementOf(first.call)!.getEnd(), statementOf(second.call)!.getStart());
    if (!/^(\}{1,2}finally\{)?$/.test(gap)) return undefined;
    edits.push({ file: path, start: first.receiver.getStart(), end: first.receiver.getEnd(), newText: r1.getText() });
    edits.push({ file: path, start: second.receiver.getStart(), end: second.receiver.getEnd(), newText: r2.getText() });
  } else {
    // `using`: both are released at the end of one block, so nothing may follow the inner one's scope in the outer's.
    if (s1.getParent() !== s2.getParent()) return undefined;
  }
  return { title: `Take \`${secondName}\` before \`${firstName}\`, the order used elsewhere`, edits, safety: 'safe', preferred: true };
}

/** Both acquisitions of the chain are made by one function (their call stacks differ only in the last step). */
function sameFunction(chain: OrderChain): boolean {
  const held = chain.held.stack;
  const taken = chain.acquisition.stack;
  return held.length === taken.length && held.slice(0, -1).every((n, i) => n === taken[i]);
}

/**
 * The second lock taken in a callee (`a` held, `f()` takes `b`): nothing can be swapped here without changing `f`
 * for all its callers. When the other order comes from one function that takes both itself, swapping there makes
 * the two agree: it is the same swap, made on the other side of the cycle. Not offered against declared ranks, or
 * when other acquisitions also take the locks in that other order.
 */
function swapOtherSide(chain: OrderChain, edges: readonly OrderEdge[], config: DeadboltConfig): Fix[] {
  if (edges.length !== 2) return [];
  const held = chain.held.lock;
  const taken = chain.acquisition.lock;
  if (rankOf(held, config) !== undefined && rankOf(taken, config) !== undefined) return [];
  const other = edges.find((edge) => edge.from.id === taken.id && edge.to.id === held.id);
  if (other === undefined || other.chains.length !== 1) return [];
  const [opposite] = other.chains as [OrderChain];
  if (!sameFunction(opposite)) return [];
  const outer = opposite.held.stack.at(-1)!;
  const inner = opposite.acquisition.stack.at(-1)!;
  const outerSite = siteOf(outer);
  const innerSite = siteOf(inner);
  if (!outerSite || !innerSite) return [];
  const swap = swapFix(outer, inner, outerSite.receiver.getText(), innerSite.receiver.getText());
  if (!swap) return [];
  const where = outer.getSourceFile() === chain.acquisition.stack[0]!.getSourceFile() ? `line ${outer.getStartLineNumber()}` : `${outer.getSourceFile().getBaseName()}:${outer.getStartLineNumber()}`;
  return [{ ...swap, title: `Take \`${innerSite.receiver.getText()}\` before \`${outerSite.receiver.getText()}\` on ${where}, the order this call takes them in` }];
}

/**
 * The fixes for one chain that closes a cycle (or inverts ranks): `chain.held` was taken first, and the consistent
 * order takes `chain.acquisition`'s lock first. `selfLoop` chains (two elements of one array, one field of two
 * instances) have no consistent order by name, only `lockAll`.
 */
export function reorderFixes(chain: OrderChain, edges: readonly OrderEdge[], config: DeadboltConfig, selfLoop = false): Fix[] {
  const heldStack = chain.held.stack;
  const takenStack = chain.acquisition.stack;
  if (!selfLoop) {
    const passed = reorderArgumentsFix(chain);
    if (passed) return [passed];
  }
  if (!sameFunction(chain)) return selfLoop ? [] : swapOtherSide(chain, edges, config);
  const outer = heldStack[heldStack.length - 1]!;
  const inner = takenStack[takenStack.length - 1]!;
  if (chain.acquisition.api === 'web-locks' || chain.held.api === 'web-locks') {
    if (chain.acquisition.api !== chain.held.api || selfLoop) return [];
    const swap = webLocksSwapFix(outer, inner) ?? webLocksNestFix(outer, inner);
    return swap ? [swap] : [];
  }
  if (chain.acquisition.api !== undefined || chain.held.api !== undefined) return [];
  const fixes: Fix[] = [];
  const outerSite = siteOf(outer);
  const innerSite = siteOf(inner);
  if (!outerSite || !innerSite) return [];
  // The same two acquisitions also run in the consistent order (locks passed as parameters, fields bound per
  // instance, handles a worker is given in either role): swapping them only swaps which calls deadlock.
  const bothWays = edges.some((edge) => edge.chains.some((c) => c !== chain && c.held.stack.at(-1) === outer && c.acquisition.stack.at(-1) === inner && c.acquisition.lock.id !== chain.acquisition.lock.id));
  if (!selfLoop && !bothWays) {
    const swap = swapFix(outer, inner, outerSite.receiver.getText(), innerSite.receiver.getText());
    if (swap) fixes.push(swap);
  }
  const rewrite = lockAllRewrite(outer, inner, selfLoop);
  if (rewrite) {
    const [x, y] = selfLoop ? [outerSite.receiver.getText(), innerSite.receiver.getText()] : [innerSite.receiver.getText(), outerSite.receiver.getText()];
    const name = rewrite.async ? 'lockAllAsync' : 'lockAll';
    fixes.push({
      title: `Take \`${x}\` and \`${y}\` together with ${name}${rewrite.widens ? ' (unsafe: code that held one of them then runs holding both)' : ''}`,
      edits: rewrite.edits,
      safety: rewrite.widens ? 'unsafe' : 'safe',
      preferred: !rewrite.widens && fixes.length === 0,
    });
  }
  return fixes;
}
