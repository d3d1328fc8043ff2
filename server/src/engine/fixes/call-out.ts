/**
 * The `lock-order` fix for a cycle closed through a callee (`journal` held, `snapshot()` takes `balances`, in this
 * module or another): move the statement that makes the call out of the region that holds the first lock, before
 * the acquisition when it is the region's first statement, after the release when it is the last. The callee then
 * takes its lock holding nothing, and the order edge is gone. Unsafe, and titled so: the call then runs without the
 * first lock held. Only for a statement that reads nothing the region declares (or, for a callback, its parameters).
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { OrderChain } from '../model/lock-graph.js';
import type { ProgramModel } from '../rule.js';
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
  /** Whether that run-under call returns what its callback returns (the runtime's, async-mutex's, Web Locks'). */
  returnsResult?: boolean;
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
  const api = held.api === 'web-locks' ? undefined : lockApiOfCall(acquisition, held.api, held.lock.kind, config);
  const callback = held.api === 'web-locks'
    ? (Node.isCallExpression(acquisition) ? webLockRequest(acquisition)?.callback : undefined)
    : (() => {
        const site = api === undefined ? undefined : siteOf(acquisition, api);
        return site?.kind === 'callback' ? site.callback : undefined;
      })();
  if (callback !== undefined) {
    if (!Node.isArrowFunction(callback)) return undefined; // a function expression has its own `this`
    const body = callback.getBody();
    const around = statementAround(acquisition);
    if (!Node.isBlock(body) || around === undefined) return undefined;
    const returnsResult = held.api === 'web-locks' || api?.api === 'runtime' || api?.api === 'async-mutex';
    return { statements: body.getStatements(), before: around, after: Node.isExpressionStatement(around) ? around : undefined, callback, returnsResult };
  }
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

/** The names the region declares (or the callback's parameters) that a statement reads: it cannot leave them behind. */
function regionNamesRead(statement: Node, region: HeldRegion): Set<string> {
  const declared = new Set<string>();
  for (const s of region.statements) {
    if (s === statement) continue;
    if (Node.isVariableStatement(s)) for (const d of s.getDeclarations()) for (const id of [d.getNameNode(), ...d.getNameNode().getDescendantsOfKind(SyntaxKind.Identifier)]) declared.add(id.getText());
    if (Node.isFunctionDeclaration(s) || Node.isClassDeclaration(s)) declared.add(s.getName() ?? '');
  }
  const callback = region.callback as (Node & { getParameters(): Node[] }) | undefined;
  for (const parameter of callback?.getParameters() ?? []) for (const id of parameter.getDescendantsOfKind(SyntaxKind.Identifier)) declared.add(id.getText() + '\0parameter');
  const read = new Set<string>();
  for (const id of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (declared.has(id.getText())) read.add(id.getText());
    if (declared.has(id.getText() + '\0parameter')) read.add(id.getText() + '\0parameter');
  }
  return read;
}

function readsRegionNames(statement: Node, region: HeldRegion): boolean {
  return regionNamesRead(statement, region).size > 0;
}

/**
 * The one `const` of the callback's top level the moved statement reads, when the callback can hand it out as its
 * result: it returns nothing yet, and its call is a statement of its own whose value nobody used.
 */
function carried(statement: Node, region: HeldRegion): string | undefined {
  if (!region.callback || !region.returnsResult || !region.after || !Node.isExpressionStatement(region.after)) return undefined;
  const read = [...regionNamesRead(statement, region)];
  if (read.length !== 1 || read[0]!.includes('\0')) return undefined;
  const name = read[0]!;
  const declaredConst = region.statements.some((s) => Node.isVariableStatement(s) && s.getDeclarationKind() === 'const' && s.getDeclarations().some((d) => d.getName() === name));
  const returns = region.callback.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => functionOf(r) === region.callback);
  return declaredConst && !returns ? name : undefined;
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

/** A statement that declares a name: moving it after the region would change what that name means there. */
function isDeclaration(statement: Node): boolean {
  return Node.isVariableStatement(statement) || Node.isFunctionDeclaration(statement) || Node.isClassDeclaration(statement);
}

/**
 * Whether moving `statement` out of the region could leave a write unguarded: a write, in the statement or in a
 * function it calls, that is made holding the lock, to a location another write also makes holding it. The guard
 * the rules infer from the other writes would then report it (`unguarded-write`).
 */
function strandsAWrite(statement: Node, chain: OrderChain, model: ProgramModel): boolean {
  const lock = chain.held.lock;
  const holds = (node: Node): boolean => model.heldAt(node).some((l) => l.id === lock.id || l.name === lock.name);
  // The functions the statement calls, and theirs, a few levels deep.
  const functions = new Set<Node>();
  let frontier: Node[] = statement.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call) => call.getExpression().getSymbol()?.getDeclarations() ?? []);
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: Node[] = [];
    for (const fn of frontier) {
      if (functions.has(fn)) continue;
      functions.add(fn);
      next.push(...model.callees(fn));
    }
    frontier = next;
  }
  const within = (node: Node, container: Node): boolean => node.getSourceFile() === container.getSourceFile() && container.getStart() <= node.getStart() && node.getEnd() <= container.getEnd();
  const moved = model.facts.writes.filter((w) => (within(w.node, statement) || [...functions].some((fn) => within(w.node, fn))) && holds(w.node));
  return moved.some((w) => model.facts.writes.some((other) => other.target === w.target && !moved.includes(other) && holds(other.node)));
}

export function callOutFixes(chain: OrderChain, config: DeadboltConfig, model: ProgramModel): Fix[] {
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
  if (strandsAWrite(statement, chain, model)) return [];
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
  } else if (last && region.after !== undefined && !isDeclaration(statement) && !leaves(statement, region, region.after)) {
    const title = `Call \`${callee}()\` after releasing \`${held}\`, so \`${taken}\` is not taken while holding it (unsafe: the call then runs without \`${held}\`)`;
    if (!readsRegionNames(statement, region)) {
      fixes.push({ title, edits: moveAfter(statement, region.after), safety: 'unsafe', preferred: false });
    } else {
      // `const sku = ...; if (sku) giveBack(sku);`: the callback returns `sku`, and the call after it reads the result.
      const name = carried(statement, region);
      if (name !== undefined) {
        const file = statement.getSourceFile().getFilePath();
        const [, insert] = moveAfter(statement, region.after) as [TextEdit, TextEdit];
        fixes.push({
          title,
          edits: [
            { file, start: region.after.getStart(), end: region.after.getStart(), newText: `const ${name} = ` },
            { file, start: statement.getStart(), end: trailingCommentEnd(statement), newText: `return ${name};` },
            insert,
          ],
          safety: 'unsafe',
          preferred: false,
        });
      }
    }
  }
  return fixes;
}
