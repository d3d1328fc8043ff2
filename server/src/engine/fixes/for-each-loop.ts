/**
 * Turning a `forEach` callback into a `for...of` loop, so that a fix may `await` where the callback ran a blocking
 * call: `await` is not legal in the sync callback, and an async callback's promises would be dropped by `forEach`.
 * Offered only where the loop provably runs the same iterations: a fresh, dense array nothing else can change while
 * it is walked, a callback of one parameter that never returns, and a statement that discards `forEach`'s result.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { TextEdit } from '../types.js';
import { nodeModuleOfCallee } from '../detect/blocking-calls.js';
import { functionOf, returnsFrom } from './edit-text.js';

/**
 * Calls that return a new array with no holes, which the loop's body therefore cannot reach: `forEach` skips holes
 * and reads the length once, `for...of` visits holes and sees elements added while it runs, so only these agree.
 */
const FRESH_ARRAY_FUNCTIONS = new Set(['Object.keys', 'Object.values', 'Object.entries', 'Array.from']);
const FRESH_ARRAY_METHODS = new Set(['map', 'filter', 'flatMap', 'slice', 'concat', 'toSorted', 'toReversed', 'readdirSync']);

/**
 * When `fn` is the callback of `<fresh array>.forEach(fn);`, the edits that make the statement a `for...of` loop
 * running `fn`'s body in place, and the function that then holds the loop (where an `await` in the body belongs).
 */
export function forEachLoopOf(fn: Node): { edits: TextEdit[]; enclosing: Node | undefined } | undefined {
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return undefined;
  if (fn.isAsync() || (Node.isFunctionExpression(fn) && (fn.isGenerator() || fn.getName() !== undefined))) return undefined;
  const call = fn.getParent();
  if (call === undefined || !Node.isCallExpression(call) || call.getArguments().length !== 1 || call.getArguments()[0] !== fn) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'forEach' || callee.hasQuestionDotToken()) return undefined;
  const statement = call.getParent();
  if (statement === undefined || !Node.isExpressionStatement(statement)) return undefined;
  const receiver = callee.getExpression();
  if (!isFreshDenseArray(receiver)) return undefined;

  const parameters = fn.getParameters();
  if (parameters.length !== 1) return undefined;
  const parameter = parameters[0]!;
  if (parameter.isRestParameter() || parameter.hasInitializer() || parameter.getDecorators().length > 0) return undefined;
  const body = fn.getBody();
  if (body === undefined || !Node.isBlock(body)) return undefined;
  // A `return` ends one call of the callback, not the loop; `var` would move from the callback's scope to the function's.
  if (returnsFrom(fn, body.getStatements())) return undefined;
  if (declaresVar(fn, body)) return undefined;
  // A function expression has its own `this` and `arguments`, which the loop would take from the enclosing function.
  if (Node.isFunctionExpression(fn) && usesOwnThisOrArguments(fn, body)) return undefined;

  const file = fn.getSourceFile();
  // A parameter the body assigns stays assignable: `const` would throw where the callback's parameter did not.
  const keyword = assignsBinding(parameter.getNameNode(), body) ? 'let' : 'const';
  const path = file.getFilePath();
  // The receiver's own text is left in place, so that a fix of a call in it (`fs.readdirSync(dir)` taking its twin)
  // does not overlap the loop's edits: the loop is written around it.
  const edits: TextEdit[] = [
    { file: path, start: statement.getStart(), end: receiver.getStart(), newText: `for (${keyword} ${parameter.getNameNode().getText()} of ` },
    { file: path, start: receiver.getEnd(), end: body.getStart() + 1, newText: ') {' },
    { file: path, start: body.getEnd() - 1, end: statement.getEnd(), newText: '}' },
  ];
  return { edits, enclosing: functionOf(statement) };
}

function isFreshDenseArray(receiver: Node): boolean {
  if (Node.isArrayLiteralExpression(receiver)) return !receiver.getElements().some((e) => Node.isOmittedExpression(e));
  if (!Node.isCallExpression(receiver)) return false;
  const callee = receiver.getExpression();
  if (FRESH_ARRAY_FUNCTIONS.has(callee.getText())) return true;
  const name = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : undefined;
  // fs's own, known by its import also where @types/node is not installed (the type is then unknown).
  if (name === 'readdirSync' && nodeModuleOfCallee(receiver) === 'fs') return true;
  // The method must be the array's, not a look-alike of some other type.
  return name !== undefined && FRESH_ARRAY_METHODS.has(name) && receiver.getType().isArray();
}

function declaresVar(fn: Node, body: Node): boolean {
  return body.getDescendantsOfKind(SyntaxKind.VariableDeclarationList).some((list) =>
    list.getDeclarationKind() === 'var' && list.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a)) === fn);
}

function usesOwnThisOrArguments(fn: Node, body: Node): boolean {
  const ownerOf = (n: Node): Node | undefined => n.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isFunctionExpression(a) || Node.isMethodDeclaration(a));
  if (body.getDescendantsOfKind(SyntaxKind.ThisKeyword).some((n) => ownerOf(n) === fn)) return true;
  return body.getDescendantsOfKind(SyntaxKind.Identifier).some((n) => n.getText() === 'arguments' && ownerOf(n) === fn);
}

/**
 * The function in whose own body an `await` at `node` would run once each `forEach` callback around it (innermost
 * first) became a loop, with the edits that make them loops; only the callbacks that stand between are converted,
 * so `node` in the function's own body needs no edit.
 */
export function awaitableOwner(node: Node): { owner: Node | undefined; edits: TextEdit[] } {
  const edits: TextEdit[] = [];
  let owner = functionOf(node);
  for (let loop = owner === undefined ? undefined : forEachLoopOf(owner); loop !== undefined; loop = owner === undefined ? undefined : forEachLoopOf(owner)) {
    edits.push(...loop.edits);
    owner = loop.enclosing;
  }
  return { owner, edits };
}

/** Whether `body` assigns (or increments) a name that `binding` declares. */
function assignsBinding(binding: Node, body: Node): boolean {
  const names = new Set([binding, ...binding.getDescendants()].filter((n) => Node.isIdentifier(n)).map((n) => n.getText()));
  return body.getDescendantsOfKind(SyntaxKind.Identifier).some((n) => {
    if (!names.has(n.getText())) return false;
    const parent = n.getParent();
    if (Node.isBinaryExpression(parent)) return parent.getLeft() === n && parent.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment && parent.getOperatorToken().getKind() <= SyntaxKind.LastAssignment;
    return (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) &&
      [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(parent.getOperatorToken());
  });
}
