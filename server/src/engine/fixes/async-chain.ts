/**
 * Fix for a blocking call reached through a sync helper (`blocking-in-async`, `sync-io-in-async`): make the chain
 * async, as the finding advises. The helper (with each helper of the module it blocks through, and each sync helper
 * that calls one of them) becomes `async`, each blocking call in them takes its awaited twin (fixes/async-twin.ts)
 * and every call of them is awaited. Offered only when that provably touches nothing else: helpers of this module
 * that nothing outside it can call (not exported; a class's private method), each used only by calls (a helper's
 * calls of itself in its own body included), holding no lock, and whose blocking calls all have a twin; and none of
 * whose added `await`s opens a window between its caller's check of shared state and its write
 * (fixes/race-window.ts), as the twins' own do not.
 */
import { Node, SyntaxKind, ts, type CallExpression } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import type { ProgramModel } from '../rule.js';
import { blockingCallOf, isBusyWait } from '../detect/blocking-calls.js';
import { BlockingSummaries, forEachInlineNode, isAsyncOrGenerator, isFunctionLike, resolveSyncCallee, type FunctionLike } from '../detect/blocking-summary.js';
import { findNodes } from '../detect/compiler-walk.js';
import { asyncTwinFix, awaitedCallEdit, FOR_EACH_TITLE } from './async-twin.js';
import { awaitableOwner } from './for-each-loop.js';
import { opensRaceWindow } from './race-window.js';

/** How many helpers one fix may make async: a longer chain is a refactoring to review, not a quick fix. */
const MAX_HELPERS = 8;

/** The fix for `call`, a call of a sync helper that blocks, or undefined when the chain cannot be made async safely. */
export function asyncChainFix(call: CallExpression, config: DeadboltConfig, model: ProgramModel): Fix | undefined {
  const first = resolveSyncCallee(call);
  if (first === undefined) return undefined;
  // The helpers to make async: the one called here, then each helper of this module through which one of them blocks.
  const converting = new Set<FunctionLike>([first]);
  const queue = [first];
  const sites: CallExpression[] = [];
  const edits: TextEdit[] = [];
  const names: string[] = [];
  let loopsMade = false;
  while (queue.length > 0) {
    const helper = queue.shift()!;
    if (helper.getSourceFile() !== call.getSourceFile() || converting.size > MAX_HELPERS) return undefined;
    const shape = helperShape(helper);
    if (shape === undefined) return undefined;
    const calls = callsOfHelper(helper, shape.nameNode);
    if (calls === undefined) return undefined;
    const inside = twinEditsInside(helper, config, model, (callee) => {
      if (!converting.has(callee)) {
        converting.add(callee);
        queue.push(callee);
      }
    }, () => (loopsMade = true));
    if (inside === undefined) return undefined;
    for (const site of calls) {
      // Awaited only where `await` is legal: an async function's own body, or a sync function that is then made
      // async in turn (and so must qualify as a helper too); a `forEach` callback between becomes a loop.
      const { owner, edits: loops } = awaitableOwner(site);
      if (owner === undefined || !isFunctionLike(owner)) return undefined;
      edits.push(...loops);
      loopsMade ||= loops.length > 0;
      if (converting.has(owner) || isAsyncFunction(owner)) continue;
      if (isAsyncOrGenerator(owner)) return undefined;
      converting.add(owner);
      queue.push(owner);
    }
    names.push(shape.nameNode.getText());
    sites.push(...calls);
    edits.push(...shape.edits, ...inside);
  }
  if (!sites.includes(call)) return undefined;
  for (const site of sites) {
    // Suspending under a lock would trade this finding for await-holding-lock.
    if (model.heldAt(site).length > 0) return undefined;
    if (site.getParent()?.getKind() === SyntaxKind.AwaitExpression) continue;
    // The sync call let no other task in between its caller's check of shared state and its write; the await would.
    if (opensRaceWindow(site)) return undefined;
    edits.push(awaitedCallEdit(site, site.getText()));
  }

  const merged = mergedEdits(edits);
  if (merged === undefined) return undefined;
  const which = names.map((n) => `\`${n}\``).join(', ');
  return {
    title: `Make ${which} async (awaiting the async twins inside) and await ${names.length === 1 ? 'its' : 'their'} calls${loopsMade ? FOR_EACH_TITLE : ''}`,
    safety: 'safe',
    preferred: true,
    edits: merged,
  };
}

/** The helper's name and the edits that make it `async` (and its declared return type a Promise), when it qualifies. */
function helperShape(helper: FunctionLike): { nameNode: Node; edits: TextEdit[] } | undefined {
  const file = helper.getSourceFile().getFilePath();
  let nameNode: Node | undefined;
  let asyncAt: number | undefined;
  if (Node.isFunctionDeclaration(helper)) {
    if (helper.isExported() || helper.isDefaultExport() || helper.getOverloads().length > 0) return undefined;
    nameNode = helper.getNameNode();
    asyncAt = helper.getFirstChildByKind(SyntaxKind.FunctionKeyword)?.getStart();
  } else if (Node.isArrowFunction(helper) || Node.isFunctionExpression(helper)) {
    const declaration = helper.getParent();
    if (!Node.isVariableDeclaration(declaration) || declaration.getNameNode().getKind() !== SyntaxKind.Identifier) return undefined;
    if (declaration.getVariableStatement()?.isExported() !== false) return undefined;
    nameNode = declaration.getNameNode();
    asyncAt = helper.getStart();
  } else if (Node.isMethodDeclaration(helper)) {
    // Only a private method: any other is the class's API, callable from code this module cannot see.
    nameNode = helper.getNameNode();
    const isPrivate = Node.isPrivateIdentifier(nameNode) || helper.hasModifier(SyntaxKind.PrivateKeyword);
    if (!isPrivate || helper.getOverloads().length > 0 || helper.isAbstract()) return undefined;
    asyncAt = nameNode.getStart();
  }
  if (nameNode === undefined || asyncAt === undefined || helper.getBody() === undefined) return undefined;
  const edits: TextEdit[] = [{ file, start: asyncAt, end: asyncAt, newText: 'async ' }];
  const returnType = (helper as FunctionLike & { getReturnTypeNode?(): Node | undefined }).getReturnTypeNode?.();
  if (returnType !== undefined) {
    // `x is T` and `asserts x` have no async form.
    if (Node.isTypePredicate(returnType)) return undefined;
    edits.push({ file, start: returnType.getStart(), end: returnType.getEnd(), newText: `Promise<${returnType.getText()}>` });
  }
  return { nameNode, edits };
}

/**
 * Every call of the helper, or undefined when anything else names it (passed as a value, exported through
 * `module.exports`, a shorthand property) or it calls itself from a nested function: then some caller would get a
 * promise unawaited.
 */
function callsOfHelper(helper: FunctionLike, nameNode: Node): CallExpression[] | undefined {
  const file = helper.getSourceFile();
  const symbol = nameNode.getSymbol()?.compilerSymbol;
  if (symbol === undefined) return undefined;
  const name = nameNode.getText();
  const calls: CallExpression[] = [];
  const uses = findNodes(file, (n) => (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) && n.text === name);
  for (const use of uses) {
    if (use === nameNode) continue;
    const other = use.getSymbol()?.compilerSymbol;
    const shorthand = Node.isShorthandPropertyAssignment(use.getParent());
    // A name the checker cannot place may still be the helper: erring towards no fix.
    if (other !== undefined && other !== symbol && !shorthand) continue;
    const parent = use.getParent();
    const callee = parent !== undefined && Node.isPropertyAccessExpression(parent) && parent.getNameNode() === use ? parent : use;
    const call = callee.getParent();
    if (call === undefined || !Node.isCallExpression(call) || call.getExpression() !== callee) return undefined;
    // A helper that calls itself in its own body (or a `forEach` body made a loop) awaits itself there, once async;
    // a call from another callback nested in it (`names.flatMap(...)`) could not await and would drop the promise.
    if (call.getFirstAncestor((a) => a === helper) !== undefined && awaitableOwner(call).owner !== helper) return undefined;
    calls.push(call);
  }
  return calls;
}

/**
 * The edits that turn every blocking call of the helper (of either rule, so the async helper reports nothing new)
 * into its awaited twin; a call of a further sync helper that blocks is handed to `through`, to be made async too.
 * Undefined when a blocking call has no twin, is held under a lock, or blocks through something else.
 */
function twinEditsInside(
  helper: FunctionLike, config: DeadboltConfig, model: ProgramModel, through: (callee: FunctionLike) => void, onLoop: () => void,
): TextEdit[] | undefined {
  const summaries = [new BlockingSummaries(config, 'wait'), new BlockingSummaries(config, 'io')];
  const edits: TextEdit[] = [];
  let blocked = false;
  forEachInlineNode(helper.getBody()!, (node) => {
    if (blocked) return;
    if (isBusyWait(node)) {
      blocked = true;
      return;
    }
    if (!Node.isCallExpression(node)) return;
    const direct = blockingCallOf(node, config);
    if (direct === undefined) {
      if (!summaries.some((s) => s.classify(node) !== undefined)) return;
      const callee = resolveSyncCallee(node);
      if (callee === undefined) blocked = true;
      else through(callee);
      return;
    }
    const fix = model.heldAt(node).length > 0 ? undefined : asyncTwinFix(node, direct, helper, config);
    if (fix === undefined) blocked = true;
    else edits.push(...fix.edits);
    if (fix?.title.endsWith(FOR_EACH_TITLE)) onLoop();
  });
  return blocked ? undefined : edits;
}

/**
 * The edits with exact repeats dropped (two calls adding the same import) and insertions at one place joined (two
 * twins imported after the same line); undefined when two edits still overlap.
 */
function mergedEdits(edits: TextEdit[]): TextEdit[] | undefined {
  const seen = new Set<string>();
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const key = `${edit.file}\0${edit.start}\0${edit.end}\0${edit.newText}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const sameInsertion = merged.find((m) => m.file === edit.file && m.start === edit.start && m.end === m.start && edit.end === edit.start);
    if (sameInsertion !== undefined) sameInsertion.newText += edit.newText;
    else merged.push({ ...edit });
  }
  const sorted = [...merged].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) return undefined;
  return merged;
}

function isAsyncFunction(node: Node): boolean {
  return isAsyncOrGenerator(node) && !((Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node)) && node.isGenerator());
}
