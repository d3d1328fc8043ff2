/**
 * Which functions run as coroutines on their thread's event loop: async functions and arrows, async generators, and
 * generators driven by a co-style runner (passed by value to a call, which resumes them as the promises they yield
 * settle). A generator consumed as an iterator (`for...of`, spread, `Array.from(gen())`) runs inside its consumer.
 */
import { Node, ts } from 'ts-morph';
import { getOrInsert } from '../maps.js';

/** Syntactic filter on raw compiler nodes: functions, methods and arrows marked `async`, and generator functions. */
export function isCoroutineCandidate(node: ts.Node): boolean {
  if (!ts.isFunctionDeclaration(node) && !ts.isFunctionExpression(node) && !ts.isArrowFunction(node) && !ts.isMethodDeclaration(node)) return false;
  if (node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword)) return true;
  return !ts.isArrowFunction(node) && node.asteriskToken !== undefined;
}

/** Whether `node` runs as a coroutine (see the file comment). */
export function isCoroutine(node: Node): boolean {
  if (Node.isArrowFunction(node)) return node.isAsync();
  if (!Node.isFunctionDeclaration(node) && !Node.isFunctionExpression(node) && !Node.isMethodDeclaration(node)) return false;
  if (node.isAsync()) return true;
  return node.isGenerator() && isDriven(node);
}

/** The coroutine a node's code runs in: its nearest enclosing function, when that is a coroutine. */
export function enclosingCoroutine(node: Node): Node | undefined {
  const fn = node.getFirstAncestor((a) => Node.isFunctionDeclaration(a) || Node.isFunctionExpression(a) || Node.isArrowFunction(a) || Node.isMethodDeclaration(a) || Node.isConstructorDeclaration(a) || Node.isGetAccessorDeclaration(a) || Node.isSetAccessorDeclaration(a));
  return fn && isCoroutine(fn) ? fn : undefined;
}

/** A generator handed by value to a call: `run(function* () {...})`, `co(task)`, `co.wrap(task)`. */
function isDriven(generator: Node): boolean {
  let child: Node = generator;
  let parent = generator.getParent();
  while (parent && Node.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.getParent();
  }
  if (parent && Node.isCallExpression(parent) && parent.getArguments().includes(child)) return true;
  const name = Node.isFunctionDeclaration(generator) ? generator.getName() : parent && Node.isVariableDeclaration(parent) ? parent.getName() : undefined;
  return name !== undefined && namesPassedToCalls(generator.getSourceFile().compilerNode).has(name);
}

/** Identifiers a file passes as call arguments, by the file's compiler node (so an edit gets a fresh answer). */
const passedNames = new WeakMap<ts.SourceFile, Set<string>>();

function namesPassedToCalls(file: ts.SourceFile): Set<string> {
  return getOrInsert(passedNames, file, () => {
    const names = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) for (const argument of node.arguments) if (ts.isIdentifier(argument)) names.add(argument.text);
      ts.forEachChild(node, visit);
    };
    visit(file);
    return names;
  });
}
