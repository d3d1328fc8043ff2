/**
 * The `lock-order` fixes for an acquisition that closes a cycle, in the API of the locks it touches (fixes/lock-api.ts).
 * When the two acquisitions sit in one function with nothing but `try {` between them (and nothing but releases
 * between their releases), or are nested run-under calls whose outer callback is only the inner call, swapping which
 * lock each names is safe and preferred. For the runtime's locks both may also become one `lockAll`
 * (`fixes/lock-all.ts`): safe when no code changes from running under one lock to running under both, unsafe (and
 * titled so) when some does. When the second lock is taken in a callee, the other side of a two-lock cycle is swapped
 * where it sits in one function, the call is moved out of the held region (call-out.ts), or a helper that is nothing
 * but the second lock's callback runs in place under both, taken in order (inline-callee.ts).
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import type { ProgramModel } from '../rule.js';
import { rankOf, type OrderChain, type OrderEdge } from '../model/lock-graph.js';
import { lockAllRewrite, releasesSite, siteOf, type Site } from './lock-all.js';
import { lockApiOfCall, type LockApiOf } from './lock-api.js';
import { reorderArgumentsFix } from './reorder-arguments.js';
import { nestedSwapFix, webLocksSwapFix } from './swap-nested.js';
import { webLocksNestFix } from './web-locks-order.js';
import { callOutFixes } from './call-out.js';
import { inlineCalleeFix } from './inline-callee.js';

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

/** The release calls of a manual site after `after` in `body` (of its receiver, its guard, or its release function). */
function releasesOf(body: Node, after: number, site: Site): Node[] {
  return body.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => call.getStart() > after && releasesSite(call, site));
}

/**
 * Swaps the locks of two adjacent acquisitions. Only when the releases are as adjacent as the acquisitions (one
 * statement after the other, or the inner try's `finally` then the outer's): then every statement runs under exactly
 * the locks it ran under before, just taken in the other order. Releases through the lock (`a.unlock()`) swap too;
 * releases through what the acquisition returned (a guard, async-mutex's release function) follow it unchanged.
 */
function swapFix(outer: Node, inner: Node, firstName: string, secondName: string, lock?: LockApiOf): Fix | undefined {
  const outerSite = siteOf(outer, lock);
  const innerSite = siteOf(inner, lock);
  if (!outerSite || !innerSite || outerSite.kind === 'callback' || innerSite.kind === 'callback') return undefined;
  if (outerSite.kind !== innerSite.kind || (outerSite.guard === undefined) !== (innerSite.guard === undefined)) return undefined;
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
    const innerReleases = releasesOf(body, inner.getEnd(), innerSite);
    const outerReleases = releasesOf(body, inner.getEnd(), outerSite);
    if (innerReleases.length !== 1 || outerReleases.length !== 1) return undefined;
    const [first] = innerReleases as [Node];
    const [second] = outerReleases as [Node];
    if (first.getStart() > second.getStart()) return undefined;
    const gap = codeBetween(text, statementOf(first)!.getEnd(), statementOf(second)!.getStart());
    if (!/^(\}{1,2}finally\{)?$/.test(gap)) return undefined;
    if (outerSite.guard === undefined) {
      const receiver = (call: Node): Node => ((call as never as { getExpression(): Node }).getExpression() as never as { getExpression(): Node }).getExpression();
      edits.push({ file: path, start: receiver(first).getStart(), end: receiver(first).getEnd(), newText: r1.getText() });
      edits.push({ file: path, start: receiver(second).getStart(), end: receiver(second).getEnd(), newText: r2.getText() });
    }
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
  const apis = sameApiOf(opposite, config);
  if (apis === undefined) return [];
  const swap = swapAt(outer, inner, apis);
  if (!swap) return [];
  const outerSite = siteOf(outer, apis === 'web-locks' ? undefined : apis);
  const innerSite = siteOf(inner, apis === 'web-locks' ? undefined : apis);
  const where = outer.getSourceFile() === chain.acquisition.stack[0]!.getSourceFile() ? `line ${outer.getStartLineNumber()}` : `${outer.getSourceFile().getBaseName()}:${outer.getStartLineNumber()}`;
  const names = apis === 'web-locks' || !outerSite || !innerSite ? undefined : [innerSite.receiver.getText(), outerSite.receiver.getText()];
  const title = names === undefined ? `${swap.title.replace(/, the order used elsewhere$/, '')} on ${where}, the order this call takes them in` : `Take \`${names[0]}\` before \`${names[1]}\` on ${where}, the order this call takes them in`;
  return [{ ...swap, title }];
}

/** The one API both acquisitions of a chain speak (one method table: a Mutex and a Semaphore are not swapped), or `web-locks`. */
function sameApiOf(chain: OrderChain, config: DeadboltConfig): LockApiOf | 'web-locks' | undefined {
  const { held, acquisition } = chain;
  if (held.api === 'web-locks' || acquisition.api === 'web-locks') return held.api === acquisition.api ? 'web-locks' : undefined;
  const outerApi = lockApiOfCall(held.stack.at(-1)!, held.api, held.lock.kind, config);
  const innerApi = lockApiOfCall(acquisition.stack.at(-1)!, acquisition.api, acquisition.lock.kind, config);
  return outerApi !== undefined && innerApi !== undefined && outerApi.methods === innerApi.methods ? outerApi : undefined;
}

/** The safe swap of two acquisitions of one function in their API: nested requests or run-under calls, or adjacent acquisitions. */
function swapAt(outer: Node, inner: Node, lock: LockApiOf | 'web-locks'): Fix | undefined {
  if (lock === 'web-locks') return webLocksSwapFix(outer, inner);
  const outerSite = siteOf(outer, lock);
  const innerSite = siteOf(inner, lock);
  if (!outerSite || !innerSite) return undefined;
  return nestedSwapFix(outer, inner, lock) ?? swapFix(outer, inner, outerSite.receiver.getText(), innerSite.receiver.getText(), lock);
}

/**
 * The fixes for one chain that closes a cycle (or inverts ranks): `chain.held` was taken first, and the consistent
 * order takes `chain.acquisition`'s lock first. `selfLoop` chains (two elements of one array, one field of two
 * instances) have no consistent order by name, only `lockAll`.
 */
export function reorderFixes(chain: OrderChain, edges: readonly OrderEdge[], config: DeadboltConfig, selfLoop = false, model?: ProgramModel): Fix[] {
  const heldStack = chain.held.stack;
  const takenStack = chain.acquisition.stack;
  if (!selfLoop) {
    const passed = reorderArgumentsFix(chain);
    if (passed) return [passed];
  }
  if (!sameFunction(chain)) return selfLoop ? [] : [...swapOtherSide(chain, edges, config), ...(model === undefined ? [] : callOutFixes(chain, config, model)), ...[inlineCalleeFix(chain, config)].filter((f) => f !== undefined)];
  const outer = heldStack[heldStack.length - 1]!;
  const inner = takenStack[takenStack.length - 1]!;
  const apis = sameApiOf(chain, config);
  if (apis === undefined) return [];
  if (apis === 'web-locks') {
    if (selfLoop) return [];
    const swap = webLocksSwapFix(outer, inner) ?? webLocksNestFix(outer, inner);
    return swap ? [swap] : [];
  }
  const fixes: Fix[] = [];
  const outerSite = siteOf(outer, apis);
  const innerSite = siteOf(inner, apis);
  if (!outerSite || !innerSite) return [];
  // The same two acquisitions also run in the consistent order (locks passed as parameters, fields bound per
  // instance, handles a worker is given in either role): swapping them only swaps which calls deadlock.
  const bothWays = edges.some((edge) => edge.chains.some((c) => c !== chain && c.held.stack.at(-1) === outer && c.acquisition.stack.at(-1) === inner && c.acquisition.lock.id !== chain.acquisition.lock.id));
  if (!selfLoop && !bothWays) {
    const swap = swapAt(outer, inner, apis);
    if (swap) fixes.push(swap);
  }
  // lockAll and lockAllAsync take the runtime's locks only.
  const rewrite = apis.api === 'runtime' ? lockAllRewrite(outer, inner, selfLoop) : undefined;
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
