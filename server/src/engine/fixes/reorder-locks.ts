/**
 * The `lock-order` fix: when two nested acquisitions in one function run against the consistent order, swap
 * which lock each acquisition (and its matching release) names. Offered only when nothing but a `try {`
 * stands between the two acquisitions, so no code changes from running under one lock to running under the other.
 * Otherwise two `using` acquisitions of one block can become one `lockAll` around the rest of the block (not preferred:
 * the code between them then runs holding both).
 */
import { Node, SyntaxKind, ts } from 'ts-morph';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import { rankOf, type OrderChain, type OrderEdge } from '../model/lock-graph.js';
import type { Value } from '../model/values.js';

const ACQUIRING = new Set(['lock', 'lockAsync', 'acquire', 'acquireAsync']);
const RELEASING = new Set(['unlock', 'release']);

/** Whether taking `first` then `second` is the program's consistent order (ranks, then majority, then declaration order). */
function isConsistent(first: Value, second: Value, edges: readonly OrderEdge[], config: DeadboltConfig): boolean {
  const r1 = rankOf(first, config);
  const r2 = rankOf(second, config);
  if (r1 !== undefined && r2 !== undefined) return r1 < r2;
  const count = (from: Value, to: Value): number =>
    edges.filter((e) => e.from.id === from.id && e.to.id === to.id).reduce((n, e) => n + e.chains.length, 0);
  const forward = count(first, second);
  const backward = count(second, first);
  if (forward !== backward) return forward > backward;
  return declaredBefore(first, second);
}

function declaredBefore(a: Value, b: Value): boolean {
  const da = a.declaration;
  const db = b.declaration;
  if (!da || !db) return a.name < b.name;
  const fa = da.getSourceFile().getFilePath();
  const fb = db.getSourceFile().getFilePath();
  return fa !== fb ? fa < fb : da.getStart() < db.getStart();
}

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

export function reorderFixes(chain: OrderChain, edges: readonly OrderEdge[], config: DeadboltConfig): Fix[] {
  const first = chain.held.lock;
  const second = chain.acquisition.lock;
  if (isConsistent(first, second, edges, config)) return [];
  const heldStack = chain.held.stack;
  const takenStack = chain.acquisition.stack;
  if (heldStack.length !== takenStack.length || heldStack.slice(0, -1).some((n, i) => n !== takenStack[i])) return [];
  const outer = heldStack[heldStack.length - 1]!;
  const inner = takenStack[takenStack.length - 1]!;
  if (!Node.isCallExpression(outer) || !Node.isCallExpression(inner)) return [];
  const outerCallee = outer.getExpression();
  const innerCallee = inner.getExpression();
  if (!Node.isPropertyAccessExpression(outerCallee) || !Node.isPropertyAccessExpression(innerCallee)) return [];
  if (!ACQUIRING.has(outerCallee.getName()) || !ACQUIRING.has(innerCallee.getName())) return [];
  const s1 = statementOf(outer);
  const s2 = statementOf(inner);
  if (!s1 || !s2 || s1 === s2 || s1.getEnd() > s2.getStart()) return [];
  const text = outer.getSourceFile().getFullText();
  if (!/^(try\{)?$/.test(codeBetween(text, s1.getEnd(), s2.getStart()))) return lockAllFixes(s1, s2, outerCallee.getExpression(), innerCallee.getExpression());

  const r1 = outerCallee.getExpression();
  const r2 = innerCallee.getExpression();
  const file = outer.getSourceFile().getFilePath();
  const edits: TextEdit[] = [
    { file, start: r1.getStart(), end: r1.getEnd(), newText: r2.getText() },
    { file, start: r2.getStart(), end: r2.getEnd(), newText: r1.getText() },
  ];
  // Swap the matching releases too, so each lock is still released in reverse order of taking.
  const body = outer.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) ?? outer.getSourceFile();
  for (const call of body.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    if (call.getStart() < inner.getEnd() || !Node.isPropertyAccessExpression(callee) || !RELEASING.has(callee.getName())) continue;
    const receiver = callee.getExpression();
    if (receiver.getText() === r1.getText()) edits.push({ file, start: receiver.getStart(), end: receiver.getEnd(), newText: r2.getText() });
    else if (receiver.getText() === r2.getText()) edits.push({ file, start: receiver.getStart(), end: receiver.getEnd(), newText: r1.getText() });
  }
  return [{ title: `Take \`${second.name}\` before \`${first.name}\`, the order used elsewhere`, edits, preferred: true }];
}

function isUsing(statement: Node): boolean {
  if (!Node.isVariableStatement(statement)) return false;
  const scoped = statement.getDeclarationList().getFlags() & ts.NodeFlags.BlockScoped;
  return scoped === ts.NodeFlags.Using;
}

/** Statements that would change meaning inside a callback: leaving the function, the loop, or suspending it. */
function escapesCallback(statements: readonly Node[]): boolean {
  const kinds = [SyntaxKind.ReturnStatement, SyntaxKind.BreakStatement, SyntaxKind.ContinueStatement, SyntaxKind.AwaitExpression, SyntaxKind.YieldExpression];
  return statements.some((statement) =>
    [statement, ...statement.getDescendants()].some(
      (n) => kinds.includes(n.getKind()) && n.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) === statement.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)),
    ),
  );
}

/** `using _a = a.lock(); ...; using _b = b.lock(); rest` becomes `lockAll([a, b], () => { ...; rest });`. */
function lockAllFixes(s1: Node, s2: Node, r1: Node, r2: Node): Fix[] {
  const block = s1.getParent();
  if (!block || !Node.isBlock(block) || s2.getParent() !== block || !isUsing(s1) || !isUsing(s2)) return [];
  const statements = block.getStatements();
  const rest = statements.slice(statements.indexOf(s1 as never) + 1);
  if (escapesCallback(rest)) return [];
  const file = s1.getSourceFile();
  const path = file.getFilePath();
  const text = file.getFullText();
  const indent = text.slice(s1.getStartLinePos(), s1.getStart());
  const lineEnd = (pos: number): number => {
    const newline = text.indexOf('\n', pos);
    return newline < 0 ? text.length : newline + 1;
  };
  const closingLine = text.lastIndexOf('\n', block.getEnd() - 1) + 1;
  const edits: TextEdit[] = [
    { file: path, start: s1.getStart(), end: s1.getEnd(), newText: `lockAll([${r1.getText()}, ${r2.getText()}], () => {` },
    // The whole line of the second acquisition goes, with any comment after it.
    { file: path, start: s2.getStartLinePos(), end: lineEnd(s2.getEnd()), newText: '' },
    { file: path, start: closingLine, end: closingLine, newText: `${indent}});\n` },
  ];
  const runtimeImport = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === '@deadbolt/runtime');
  const named = runtimeImport?.getNamedImports() ?? [];
  if (!named.some((n) => n.getName() === 'lockAll')) {
    const last = named[named.length - 1];
    if (!last) return [];
    edits.push({ file: path, start: last.getEnd(), end: last.getEnd(), newText: ', lockAll' });
  }
  return [{ title: `Take \`${r1.getText()}\` and \`${r2.getText()}\` together with lockAll`, edits, preferred: false }];
}
