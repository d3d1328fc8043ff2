/**
 * The `lock-order` fix for a cycle closed through a callee (`journal` held, `snapshot()` takes `balances`, in this
 * module or another): move the statement that makes the call out of the region that holds the first lock, before
 * the acquisition when it is the region's first statement, after the release when it is the last. The callee then
 * takes its lock holding nothing, and the order edge is gone. Unsafe, and titled so: the call then runs without the
 * first lock held. Only for a statement that reads nothing the region declares (or, for a callback, its parameters).
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { OrderChain } from '../model/lock-graph.js';
import { webLockRequest } from '../model/lock-models.js';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import { functionOf, indentOf, lineStartOf, reindentRange, removeStatement, trailingCommentEnd } from './edit-text.js';
import { releasesSite, siteOf } from './lock-all.js';
import { lockApiOfCall } from './lock-api.js';

/** Where the first lock is held, as statements of one block, and where code can go instead. */
interface HeldRegion {
  statements: Node[];
  /** The statement before which code runs before the lock is taken. */
  before: Node;
  /** The statement after which code runs once the lock is released (undefined: nothing may follow it, a `return`). */
  after: Node | undefined;
  /** The callback the region is the body of, when the lock is held by a run-under call. */
  callback?: Node;
}

/** The statement of a block whose expression (through `await`, `return`, one `const` initializer) is `call`. */
function statementAround(call: Node): Node | undefined {
  let node: Node = call;
  while (Node.isAwaitExpression(node.getParent()!) || Node.isParenthesizedExpression(node.getParent()!)) node = node.getParent()!;
  const parent = node.getParent();
  const declaration = parent && Node.isVariableDeclaration(parent) && parent.getInitializer() === node ? parent : undefined;
  const statement = declaration ? declaration.getVariableStatement() : parent;
  if (!statement || !(Node.isExpressionStatement(statement) || Node.isReturnStatement(statement) || Node.isVariableStatement(statement))) return undefined;
  const block = statement.getParent();
  return block && (Node.isBlock(block) || Node.isSourceFile(block)) ? statement : undefined;
}

function regionOf(acquisition: Node, held: OrderChain['held'], config: DeadboltConfig): HeldRegion | undefined {
  const callback = held.api === 'web-locks'
    ? (Node.isCallExpression(acquisition) ? webLockRequest(acquisition)?.callback : undefined)
    : (() => {
        const api = lockApiOfCall(acquisition, held.api, held.lock.kind, config);
        const site = api === undefined ? undefined : siteOf(acquisition, api);
        return site?.kind === 'callback' ? site.callback : undefined;
      })();
  if (callback !== undefined) {
    if (!Node.isArrowFunction(callback)) return undefined; // a function expression has its own `this`
    const body = callback.getBody();
    const around = statementAround(acquisition);
    if (!Node.isBlock(body) || around === undefined) return undefined;
    return { statements: body.getStatements(), before: around, after: Node.isExpressionStatement(around) ? around : undefined, callback };
  }
  const api = lockApiOfCall(acquisition, held.api, held.lock.kind, config);
  const site = api === undefined ? undefined : siteOf(acquisition, api);
  if (site?.kind !== 'manual' || site.statement === undefined) return undefined;
  const block = site.statement.getParent() as Node & { getStatements?(): Node[] };
  const statements = block.getStatements?.() ?? [];
  const from = statements.indexOf(site.statement);
  const releasedBy = (s: Node): boolean =>
    (Node.isExpressionStatement(s) && releasesSite(s.getExpression(), site)) ||
    (Node.isTryStatement(s) && (s.getFinallyBlock()?.getStatements().some((f) => Node.isExpressionStatement(f) && releasesSite(f.getExpression(), site)) ?? false));
  const to = statements.findIndex((s, i) => i > from && releasedBy(s));
  if (to < 0) return undefined;
  const release = statements[to]!;
  // Released in a try's finally: the region is that try's block.
  if (Node.isTryStatement(release)) {
    if (to !== from + 1 || release.getCatchClause() !== undefined) return undefined;
    return { statements: release.getTryBlock().getStatements(), before: site.statement, after: release };
  }
  return { statements: statements.slice(from + 1, to), before: site.statement, after: release };
}

/** The names a statement reads that the region declares (or the callback's parameters), which it cannot leave behind. */
function readsRegionNames(statement: Node, region: HeldRegion): boolean {
  const declared = new Set<string>();
  for (const s of region.statements) {
    if (s === statement) continue;
    if (Node.isVariableStatement(s)) for (const d of s.getDeclarations()) for (const id of [d.getNameNode(), ...d.getNameNode().getDescendantsOfKind(SyntaxKind.Identifier)]) declared.add(id.getText());
    if (Node.isFunctionDeclaration(s) || Node.isClassDeclaration(s)) declared.add(s.getName() ?? '');
  }
  const callback = region.callback as (Node & { getParameters(): Node[] }) | undefined;
  for (const parameter of callback?.getParameters() ?? []) for (const id of parameter.getDescendantsOfKind(SyntaxKind.Identifier)) declared.add(id.getText());
  return statement.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => declared.has(id.getText()));
}

/** Control that means something else once the statement leaves the callback or block: return, break, continue, yield, await out of place. */
function leaves(statement: Node, region: HeldRegion, target: Node): boolean {
  const own = functionOf(statement);
  for (const n of [statement, ...statement.getDescendants()]) {
    if (functionOf(n) !== own) continue;
    if (Node.isReturnStatement(n) || Node.isBreakStatement(n) || Node.isContinueStatement(n) || Node.isYieldExpression(n)) return true;
  }
  const awaits = [statement, ...statement.getDescendants()].some((n) => Node.isAwaitExpression(n) && functionOf(n) === own);
  const targetFunction = functionOf(target) as (Node & { isAsync?(): boolean }) | undefined;
  return awaits && region.callback !== undefined && targetFunction?.isAsync?.() !== true;
}

/** The statement moved to before `anchor` (its own line, with its end-of-line comment, at `anchor`'s indentation). */
function moveBefore(statement: Node, anchor: Node): TextEdit[] {
  const file = statement.getSourceFile();
  const indent = indentOf(anchor);
  const moved = reindentRange(file, statement.getStart(), trailingCommentEnd(statement), indentOf(statement), indent);
  return [removeStatement(statement), { file: file.getFilePath(), start: lineStartOf(anchor), end: lineStartOf(anchor), newText: `${indent}${moved}\n` }];
}

/** The statement moved to after `anchor`. */
function moveAfter(statement: Node, anchor: Node): TextEdit[] {
  const file = statement.getSourceFile();
  const indent = indentOf(anchor);
  const moved = reindentRange(file, statement.getStart(), trailingCommentEnd(statement), indentOf(statement), indent);
  const end = trailingCommentEnd(anchor);
  return [removeStatement(statement), { file: file.getFilePath(), start: end, end, newText: `\n${indent}${moved}` }];
}

export function callOutFixes(chain: OrderChain, config: DeadboltConfig): Fix[] {
  const heldStack = chain.held.stack;
  const takenStack = chain.acquisition.stack;
  const depth = heldStack.length;
  if (takenStack.length <= depth || !heldStack.slice(0, -1).every((node, i) => node === takenStack[i])) return [];
  const acquisition = heldStack[depth - 1]!;
  const call = takenStack[depth - 1]!;
  if (!Node.isCallExpression(call)) return [];
  const region = regionOf(acquisition, chain.held, config);
  if (region === undefined) return [];
  const statement = region.statements.find((s) => s === call || s.containsRange(call.getStart(), call.getEnd()));
  if (statement === undefined || functionOf(call) !== functionOf(statement)) return [];
  const first = region.statements[0] === statement;
  const last = region.statements.at(-1) === statement;
  const callee = call.getExpression().getText();
  const held = chain.held.lock.name;
  const taken = chain.acquisition.lock.name;
  const fixes: Fix[] = [];
  if (first && !readsRegionNames(statement, region) && !leaves(statement, region, region.before)) {
    fixes.push({
      title: `Call \`${callee}()\` before taking \`${held}\`, so \`${taken}\` is not taken while holding it (unsafe: the call then runs without \`${held}\`)`,
      edits: moveBefore(statement, region.before),
      safety: 'unsafe',
      preferred: false,
    });
  } else if (last && region.after !== undefined && Node.isExpressionStatement(statement) && !readsRegionNames(statement, region) && !leaves(statement, region, region.after)) {
    fixes.push({
      title: `Call \`${callee}()\` after releasing \`${held}\`, so \`${taken}\` is not taken while holding it (unsafe: the call then runs without \`${held}\`)`,
      edits: moveAfter(statement, region.after),
      safety: 'unsafe',
      preferred: false,
    });
  }
  return fixes;
}
