/**
 * The `async-atomicity` fixes. A lost update whose await sits in the written expression (`x = x - await f()`,
 * `x -= await f()`) awaits first, into a constant, so the state is read after the suspension. A lost batch read into
 * a constant (`const batch = this.queue; await send(batch); this.queue = []`) empties the state right after taking
 * it, before the await (swap, then write), so what arrives meanwhile waits for the next batch. A check-then-act
 * checks again right before its write (`if (!cache.has(k)) cache.set(k, v)`), so the first value stored wins.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Fix, TextEdit } from '../types.js';
import { functionOf, indentOf, removeStatement } from './edit-text.js';
import { writeStatement } from './guard-write.js';
import { storedValue, within } from '../detect/async-races.js';

/** Nodes that evaluate a part of an expression only sometimes: moving an await out of one would run it always. */
function conditionallyEvaluated(node: Node, stop: Node): boolean {
  for (let current = node; current !== stop; current = current.getParent()!) {
    const parent = current.getParent()!;
    if (Node.isConditionalExpression(parent) && parent.getCondition() !== current) return true;
    if (Node.isBinaryExpression(parent) && parent.getRight() === current && ['&&', '||', '??'].includes(parent.getOperatorToken().getText())) return true;
    if (Node.isFunctionLikeDeclaration(parent)) return true;
  }
  return false;
}

/** A name not used in `scope` yet: `awaited`, `awaited2`, ... (or `base`, `base2`, ...). */
export function freshName(scope: Node, base = 'awaited'): string {
  const used = new Set(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}${n}`;
    if (!used.has(name)) return name;
  }
}

/**
 * `x = x - await f()` becomes `const awaited = await f();` then `x = x - awaited`. Safe when nothing the written
 * expression evaluates before the await has an effect (only the read moves after it); unsafe otherwise.
 */
export function awaitFirstFix(write: Node, suspension: Node): Fix | undefined {
  if (!Node.isBinaryExpression(write) || !Node.isAwaitExpression(suspension)) return undefined;
  const statement = writeStatement(write);
  const right = write.getRight();
  if (statement === undefined || suspension.getStart() < right.getStart() || suspension.getEnd() > right.getEnd()) return undefined;
  if (conditionallyEvaluated(suspension, right)) return undefined;
  const scope = functionOf(statement) ?? statement.getSourceFile();
  const name = freshName(scope);
  const file = write.getSourceFile().getFilePath();
  const before = right.getDescendants().filter((n) => n.getEnd() <= suspension.getStart());
  const effects = before.some((n) => Node.isCallExpression(n) || Node.isNewExpression(n) || Node.isAwaitExpression(n) || Node.isYieldExpression(n) || Node.isBinaryExpression(n) && n.getOperatorToken().getText().endsWith('=') && !['==', '===', '!=', '!==', '<=', '>='].includes(n.getOperatorToken().getText()));
  const edits: TextEdit[] = [
    { file, start: statement.getStart(), end: statement.getStart(), newText: `const ${name} = ${suspension.getText()};\n${indentOf(statement)}` },
    { file, start: suspension.getStart(), end: suspension.getEnd(), newText: name },
  ];
  return { title: `Await first, then read and write \`${write.getLeft().getText()}\``, edits, safety: effects ? 'unsafe' : 'safe', preferred: !effects };
}

/**
 * `const batch = this.queue; await send(batch); this.queue = [];` becomes `const batch = this.queue; this.queue = [];
 * await send(batch);`. Safe when nothing between reads the state again (it would now see the empty one).
 */
export function swapFirstFix(write: Node, read: Node, readsBetween: boolean): Fix | undefined {
  if (!Node.isBinaryExpression(write) || write.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) return undefined;
  const statement = writeStatement(write);
  const declaration = read.getParent();
  if (statement === undefined || declaration === undefined || !Node.isVariableDeclaration(declaration) || declaration.getInitializer() !== read) return undefined;
  const taken = declaration.getVariableStatement();
  if (taken === undefined || taken.getParent() !== statement.getParent() || taken.getDeclarations().length !== 1) return undefined;
  const file = write.getSourceFile().getFilePath();
  return {
    title: `Empty \`${write.getLeft().getText()}\` as the batch is taken, before awaiting`,
    edits: [{ file, start: taken.getEnd(), end: taken.getEnd(), newText: `\n${indentOf(taken)}${statement.getText()}` }, removeStatement(statement)],
    safety: readsBetween ? 'unsafe' : 'safe',
    preferred: !readsBetween,
  };
}

/**
 * Check-then-act: the write's check is made again right before it, after the await, so a value another task stored
 * meanwhile is kept (`if (!cache.has(url)) cache.set(url, text)`). A write that itself awaits (`this.data[k] = await
 * f()`) awaits first, into a constant. Always unsafe: the losing task's value is dropped, and whatever it opened
 * (a connection, a handle) is left to it. Offered when the check is an `if` around the write, or an `if` before it
 * that returns or throws, whose condition only reads (`has`, `get`, `in`, `!`, comparisons) what the coroutine does
 * not change before the write. The caller offers it only when no other function empties the state: a refill after
 * an invalidation passes the second check too.
 */
export function recheckFix(write: Node, read: Node, suspension: Node): Fix | undefined {
  // Adding to a set twice changes nothing: checking again would hide the finding (the work done twice) and fix nothing.
  if (Node.isCallExpression(write) && write.getExpression().getText().endsWith('.add')) return undefined;
  const statement = writeStatement(write);
  if (statement !== undefined && Node.isBinaryExpression(write) && LOGICAL_ASSIGNMENT[write.getOperatorToken().getText()] !== undefined) {
    return recheckLogicalAssignment(write, statement, suspension);
  }
  const check = statement && checkOf(statement, read);
  if (statement === undefined || check === undefined || !rereadable(check.condition, statement)) return undefined;
  const condition = check.holds ? check.condition.getText() : negated(check.condition);
  const target = Node.isBinaryExpression(write) ? write.getLeft().getText() : write.getText().replace(/\.set\([^]*$/, '');
  const newText = guardedWrite(write, statement, condition);
  if (newText === undefined) return undefined;
  return {
    title: `Check \`${target}\` again after the await, and write only if the check still holds (the first value stored wins)`,
    edits: [{ file: write.getSourceFile().getFilePath(), start: statement.getStart(), end: statement.getEnd(), newText }],
    safety: 'unsafe',
    preferred: false,
  };
}

/**
 * The text that replaces a write's `statement` so that it runs only `if (condition)`, the condition tested right before
 * the write. A write that awaits its value (`this.data[k] = await f()`) awaits it first, into a constant; any other
 * suspension in the statement would open the window again between the test and the write (undefined), and so would
 * anything with an effect evaluated before the await (it would then run after it).
 */
export function guardedWrite(write: Node, statement: Node, condition: string): string | undefined {
  // `x ??= await f()` calls `f()` only when `x` is unset: awaiting it first would call it always.
  if (Node.isBinaryExpression(write) && LOGICAL_ASSIGNMENT[write.getOperatorToken().getText()] !== undefined) return undefined;
  const value = storedValue(write);
  const awaited = value !== undefined && Node.isAwaitExpression(stripParentheses(value)) ? stripParentheses(value) : undefined;
  const fn = functionOf(statement);
  const suspends = statement.getDescendants().some((n) => (Node.isAwaitExpression(n) || Node.isYieldExpression(n)) && n !== awaited && functionOf(n) === fn);
  if (suspends) return undefined;
  if (awaited === undefined || value === undefined) return `if (${condition}) ${statement.getText()}`;
  const before = statement.getDescendants().filter((n) => n.getEnd() <= awaited.getStart());
  if (before.some((n) => Node.isCallExpression(n) || Node.isNewExpression(n))) return undefined;
  const name = freshName(fn ?? statement.getSourceFile());
  const written = statement.getText().slice(0, value.getStart() - statement.getStart()) + name + statement.getText().slice(value.getEnd() - statement.getStart());
  return inBlock(statement)
    ? `const ${name} = ${awaited.getText()};\n${indentOf(statement)}if (${condition}) ${written}`
    : `{ const ${name} = ${awaited.getText()}; if (${condition}) ${written} }`;
}

/** Whether `statement` sits in a list of statements, where another can go before it. */
export function inBlock(statement: Node): boolean {
  const parent = statement.getParent();
  return parent !== undefined && (Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent) || Node.isModuleBlock(parent));
}

/** The test each logical assignment makes before it stores, as a condition on its target. */
const LOGICAL_ASSIGNMENT: Record<string, (target: string) => string> = {
  '??=': (target) => `${target} == null`,
  '||=': (target) => `!${target}`,
  '&&=': (target) => target,
};

/**
 * `x ??= await f()` becomes `if (x == null) { const awaited = await f(); x ??= awaited; }`: `f()` still runs only
 * when `x` is unset, and the assignment tests `x` again after the await. The target must read without effects.
 */
function recheckLogicalAssignment(write: Node & { getLeft(): Node; getRight(): Node; getOperatorToken(): Node }, statement: Node, suspension: Node): Fix | undefined {
  const target = write.getLeft();
  if (!Node.isAwaitExpression(suspension) || stripParentheses(write.getRight()) !== suspension || !readsOnly(target)) return undefined;
  if (!inBlock(statement)) return undefined;
  const scope = functionOf(statement) ?? statement.getSourceFile();
  const name = freshName(scope);
  const indent = indentOf(statement);
  const operator = write.getOperatorToken().getText();
  const newText = `if (${LOGICAL_ASSIGNMENT[operator]!(target.getText())}) {\n${indent}  const ${name} = ${suspension.getText()};\n${indent}  ${target.getText()} ${operator} ${name};\n${indent}}`;
  return {
    title: `Check \`${target.getText()}\` again after the await, and assign only if it is still unset (the first value stored wins)`,
    edits: [{ file: write.getSourceFile().getFilePath(), start: statement.getStart(), end: statement.getEnd(), newText }],
    safety: 'unsafe',
    preferred: false,
  };
}

/** A name, or a chain of property and element accesses with plain keys: evaluating it again reads the same place. */
function readsOnly(target: Node): boolean {
  if (Node.isIdentifier(target) || target.getKind() === SyntaxKind.ThisKeyword) return true;
  if (Node.isPropertyAccessExpression(target)) return readsOnly(target.getExpression());
  if (Node.isElementAccessExpression(target)) {
    const key = target.getArgumentExpression();
    return key !== undefined && (Node.isIdentifier(key) || Node.isStringLiteral(key) || Node.isNumericLiteral(key)) && readsOnly(target.getExpression());
  }
  return false;
}

/** The check of `read` that guards `statement`: an `if` around it (`holds` on its then-branch), or one before it that exits. */
function checkOf(statement: Node, read: Node): { condition: Node; holds: boolean } | undefined {
  for (let current: Node = statement; ; current = current.getParent()!) {
    const parent = current.getParent();
    if (parent === undefined || Node.isFunctionLikeDeclaration(parent) || Node.isClassDeclaration(parent)) return undefined;
    if (Node.isIfStatement(parent) && parent.getExpression() !== current && within(parent.getExpression(), read)) {
      return { condition: parent.getExpression(), holds: parent.getThenStatement() === current };
    }
    if (Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isCaseClause(parent) || Node.isDefaultClause(parent)) {
      const statements = parent.getStatements();
      const earlier = statements.slice(0, statements.indexOf(current as never)).reverse();
      const exit = earlier.find((s) => Node.isIfStatement(s) && within(s.getExpression(), read));
      if (exit !== undefined && Node.isIfStatement(exit)) {
        return exit.getElseStatement() === undefined && exits(exit.getThenStatement()) ? { condition: exit.getExpression(), holds: false } : undefined;
      }
    }
  }
}

/** A `return` or `throw`, alone or as the last statement of a block. */
function exits(statement: Node): boolean {
  const last = Node.isBlock(statement) ? statement.getStatements().at(-1) : statement;
  return last !== undefined && (Node.isReturnStatement(last) || Node.isThrowStatement(last));
}

/** Calls a re-evaluated condition may make: reads of a collection or an object's own keys. */
const READING_METHODS = new Set(['has', 'get', 'includes', 'hasOwnProperty', 'hasOwn']);

/**
 * Whether `condition` can be evaluated again right before `statement` with the same meaning: it only reads, and no
 * local it names is assigned or declared again between the check and the write.
 */
function rereadable(condition: Node, statement: Node): boolean {
  for (const node of [condition, ...condition.getDescendants()]) {
    if (Node.isAwaitExpression(node) || Node.isYieldExpression(node) || Node.isNewExpression(node) || Node.isFunctionLikeDeclaration(node) || Node.isDeleteExpression(node)) return false;
    if (Node.isPrefixUnaryExpression(node) || Node.isPostfixUnaryExpression(node)) {
      if ([SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(node.getOperatorToken())) return false;
    }
    if (Node.isBinaryExpression(node)) {
      const kind = node.getOperatorToken().getKind();
      if (kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment) return false;
    }
    if (Node.isCallExpression(node)) {
      const callee = node.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || !READING_METHODS.has(callee.getName())) return false;
    }
  }
  // What the condition reads, as the code names it: `cache`, `this.#marketsCache`, `this.#marketsCache.length`.
  const places = [condition, ...condition.getDescendants()].flatMap((n) => {
    if (!isAccess(n) || isAccessOf(n.getParent(), n)) return [];
    const call = n.getParent();
    // `cache.has(url)` reads `cache`.
    if (Node.isPropertyAccessExpression(n) && call !== undefined && Node.isCallExpression(call) && call.getExpression() === n) return [n.getExpression().getText()];
    return [n.getText()];
  });
  const overlaps = (written: string): boolean => places.some((place) => sameOrInside(place, written) || sameOrInside(written, place));
  const between = statement.getSourceFile().getDescendants().filter((n) => n.getStart() >= condition.getEnd() && n.getEnd() <= statement.getStart());
  return !between.some((n) => {
    if ((Node.isVariableDeclaration(n) || Node.isParameterDeclaration(n)) && places.includes(n.getName())) return true;
    if (Node.isBinaryExpression(n)) {
      const kind = n.getOperatorToken().getKind();
      return kind >= SyntaxKind.FirstAssignment && kind <= SyntaxKind.LastAssignment && overlaps(n.getLeft().getText());
    }
    if (Node.isPrefixUnaryExpression(n) || Node.isPostfixUnaryExpression(n)) return overlaps(n.getOperand().getText());
    if (Node.isDeleteExpression(n)) return overlaps(n.getExpression().getText());
    const callee = Node.isCallExpression(n) ? n.getExpression() : undefined;
    return callee !== undefined && Node.isPropertyAccessExpression(callee) && !READING_METHODS.has(callee.getName()) && overlaps(callee.getExpression().getText());
  });
}

function isAccess(node: Node): boolean {
  return Node.isIdentifier(node) || Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node) || node.getKind() === SyntaxKind.ThisKeyword;
}

/** Whether `parent` reads a property or an element of `node` (`node.x`, `node[k]`). */
function isAccessOf(parent: Node | undefined, node: Node): boolean {
  return parent !== undefined && (Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) && parent.getExpression() === node;
}

/** Whether the place named `inner` is `outer` or a part of it (`a.b` of `a`, `a[k]` of `a`), as text. */
function sameOrInside(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`) || inner.startsWith(`${outer}?.`);
}

const OPPOSITE_EQUALITY: Record<string, string> = { '===': '!==', '!==': '===', '==': '!=', '!=': '==' };

/** `!(condition)`, without a double negation or needless parentheses; an equality's opposite operator. */
function negated(condition: Node): string {
  const inner = stripParentheses(condition);
  if (Node.isPrefixUnaryExpression(inner) && inner.getOperatorToken() === SyntaxKind.ExclamationToken) {
    const operand = stripParentheses(inner.getOperand());
    return operand.getText();
  }
  const opposite = Node.isBinaryExpression(inner) ? OPPOSITE_EQUALITY[inner.getOperatorToken().getText()] : undefined;
  if (opposite !== undefined && Node.isBinaryExpression(inner)) return `${inner.getLeft().getText()} ${opposite} ${inner.getRight().getText()}`;
  const simple = Node.isIdentifier(inner) || Node.isPropertyAccessExpression(inner) || Node.isElementAccessExpression(inner) || Node.isCallExpression(inner);
  return simple ? `!${inner.getText()}` : `!(${inner.getText()})`;
}

function stripParentheses(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current)) current = current.getExpression();
  return current;
}
