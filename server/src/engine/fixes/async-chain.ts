/**
 * Fix for a blocking call reached through a sync helper (`blocking-in-async`, `sync-io-in-async`): make the chain
 * async, as the finding advises. The helper (with each helper it blocks through, and each sync helper that calls one
 * of them, in any module of the program) becomes `async`, each blocking call in them takes its awaited twin
 * (fixes/async-twin.ts) and every call of them is awaited. Offered only when that provably touches nothing else in
 * the program: helpers that are named only by calls (a helper's calls of itself in its own body included) and by
 * their module's exports and the imports of them (fixes/helper-calls.ts), functions or a class's private methods,
 * holding no lock, and whose blocking calls all have a twin; and none of whose added `await`s opens a window between
 * its caller's check of shared state and its write (fixes/race-window.ts), as the twins' own do not. Safe when no
 * helper is exported; otherwise unsafe, since callers outside the program would get a promise.
 */
import { Node, SyntaxKind, type CallExpression } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import type { ProgramModel } from '../rule.js';
import { blockingCallOf, isBusyWait } from '../detect/blocking-calls.js';
import { BlockingSummaries, forEachInlineNode, isAsyncOrGenerator, isFunctionLike, resolveSyncCallee, type FunctionLike } from '../detect/blocking-summary.js';
import { asyncTwinFix, awaitedCallEdit, FOR_EACH_TITLE } from './async-twin.js';
import { awaitableOwner } from './for-each-loop.js';
import { callsOfHelper } from './helper-calls.js';
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
  const exported: string[] = [];
  let loopsMade = false;
  while (queue.length > 0) {
    const helper = queue.shift()!;
    if (converting.size > MAX_HELPERS) return undefined;
    const shape = helperShape(helper);
    if (shape === undefined) return undefined;
    const found = callsOfHelper(helper, shape.nameNode, shape.exported);
    if (found === undefined) return undefined;
    const calls = found.calls;
    if (found.exported) exported.push(shape.nameNode.getText());
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
  // An exported helper's callers outside this program (a package's users, scripts it does not include) would get a
  // promise where they got a value: the fix changes the module's API, so it is applied only when asked for.
  const outside = exported.length === 0 ? '' : `; ${exported.map((n) => `\`${n}\``).join(', ')} ${exported.length === 1 ? 'is' : 'are'} exported: callers outside this program must await ${exported.length === 1 ? 'it' : 'them'} too`;
  return {
    title: `Make ${which} async (awaiting the async twins inside) and await ${names.length === 1 ? 'its' : 'their'} calls${loopsMade ? FOR_EACH_TITLE : ''}${outside}`,
    safety: exported.length === 0 ? 'safe' : 'unsafe',
    preferred: exported.length === 0,
    edits: merged,
  };
}

/**
 * The helper's name, whether it is declared exported, and the edits that make it `async` (and its declared return
 * type a Promise), when it qualifies.
 */
function helperShape(helper: FunctionLike): { nameNode: Node; exported: boolean; edits: TextEdit[] } | undefined {
  const file = helper.getSourceFile().getFilePath();
  let nameNode: Node | undefined;
  let asyncAt: number | undefined;
  let exported = false;
  if (Node.isFunctionDeclaration(helper)) {
    // A default export is imported under any name, so its calls cannot be found by it.
    if (helper.isDefaultExport() || helper.getOverloads().length > 0) return undefined;
    exported = helper.isExported();
    nameNode = helper.getNameNode();
    asyncAt = helper.getFirstChildByKind(SyntaxKind.FunctionKeyword)?.getStart();
  } else if (Node.isArrowFunction(helper) || Node.isFunctionExpression(helper)) {
    const declaration = helper.getParent();
    if (!Node.isVariableDeclaration(declaration) || declaration.getNameNode().getKind() !== SyntaxKind.Identifier) return undefined;
    const statement = declaration.getVariableStatement();
    if (statement === undefined) return undefined;
    exported = statement.isExported();
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
  return { nameNode, exported, edits };
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
  const sorted = [...merged].sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.file === sorted[i - 1]!.file && sorted[i]!.start < sorted[i - 1]!.end) return undefined;
  }
  return merged;
}

function isAsyncFunction(node: Node): boolean {
  return isAsyncOrGenerator(node) && !((Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node)) && node.isGenerator());
}
