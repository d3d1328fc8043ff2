/**
 * The `async-atomicity` fixes. A lost update whose await sits in the written expression (`x = x - await f()`,
 * `x -= await f()`) awaits first, into a constant, so the state is read after the suspension. A lost batch read into
 * a constant (`const batch = this.queue; await send(batch); this.queue = []`) empties the state right after taking
 * it, before the await (swap, then write), so what arrives meanwhile waits for the next batch.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Fix, TextEdit } from '../types.js';
import { indentOf, removeStatement } from './edit-text.js';
import { writeStatement } from './guard-write.js';

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

/** A name for the awaited value not used in the function yet: `awaited`, `awaited2`, ... */
function freshName(scope: Node): string {
  const used = new Set(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'awaited' : `awaited${n}`;
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
  const scope = statement.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) ?? statement.getSourceFile();
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
