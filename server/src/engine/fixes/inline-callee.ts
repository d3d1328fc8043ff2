/**
 * The `lock-order` fix for a cycle closed through a helper whose whole body runs under the second lock (methods of one
 * class, functions of one module): `cancel()` holds `orders` and calls `giveBack()`, which is nothing but
 * `stock.withLock(...)`, while the program takes `stock` before `orders`. The caller then takes `stock` first, around
 * its hold of `orders`, and the call runs the helper's body in place, with the arguments for the parameters. A private
 * helper (or an unexported function) called nowhere else goes, since nothing calls it any more. Unsafe, and titled
 * so: the caller's work holding `orders` then also holds `stock`.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { OrderChain } from '../model/lock-graph.js';
import type { DeadboltConfig, Fix, TextEdit } from '../types.js';
import { functionOf, indentOf, reindentText, removeStatement, statementOfCall } from './edit-text.js';
import { siteOf } from './lock-all.js';
import { lockApiOfCall, methodOf } from './lock-api.js';

/** The one statement of a function body that is the call `call` (awaited or not). */
function onlyStatementIs(body: Node | undefined, call: Node): boolean {
  if (!body || !Node.isBlock(body)) return false;
  const statements = body.getStatements();
  return statements.length === 1 && statementOfCall(call) === statements[0];
}

/** Whether `declaration` can be deleted once `call` no longer calls it: private or not exported, and called only there. */
function deletable(declaration: Node, call: Node): boolean {
  const isPrivate = Node.isMethodDeclaration(declaration) ? declaration.hasModifier(SyntaxKind.PrivateKeyword) || declaration.getName().startsWith('#') : Node.isFunctionDeclaration(declaration) && !declaration.isExported();
  if (!isPrivate) return false;
  const nameNode = (declaration as never as { getNameNode(): Node }).getNameNode();
  // The language service lists the declaration's own name too (for a method): what is left must be this one call.
  const references = (nameNode as never as { findReferencesAsNodes(): Node[] }).findReferencesAsNodes().filter((r) => r !== nameNode);
  return references.length === 1 && call.containsRange(references[0]!.getStart(), references[0]!.getEnd());
}

export function inlineCalleeFix(chain: OrderChain, config: DeadboltConfig): Fix | undefined {
  const heldStack = chain.held.stack;
  const takenStack = chain.acquisition.stack;
  const depth = heldStack.length;
  if (takenStack.length !== depth + 1 || !heldStack.slice(0, -1).every((n, i) => n === takenStack[i])) return undefined;
  const outer = heldStack[depth - 1]!;
  const call = takenStack[depth - 1]!;
  const inner = takenStack[depth]!;
  if (!Node.isCallExpression(call) || chain.held.api === 'web-locks' || chain.acquisition.api === 'web-locks') return undefined;
  const outerApi = lockApiOfCall(outer, chain.held.api, chain.held.lock.kind, config);
  const innerApi = lockApiOfCall(inner, chain.acquisition.api, chain.acquisition.lock.kind, config);
  if (!outerApi || !innerApi || outerApi.methods !== innerApi.methods || methodOf(outer) !== methodOf(inner)) return undefined;
  const outerSite = siteOf(outer, outerApi);
  const innerSite = siteOf(inner, innerApi);
  if (outerSite?.kind !== 'callback' || innerSite?.kind !== 'callback' || outerSite.async !== innerSite.async) return undefined;
  if (!Node.isArrowFunction(outerSite.callback!) || !Node.isArrowFunction(innerSite.callback!)) return undefined;
  if ((outer as never as { getArguments(): Node[] }).getArguments().length !== 1 || (inner as never as { getArguments(): Node[] }).getArguments().length !== 1) return undefined;

  // The helper: called as `this.helper(...)` from a method of its class, or `helper(...)` in its own module.
  const callee = call.getExpression();
  const declaration = callee.getSymbol()?.getDeclarations()[0];
  if (!declaration || !(Node.isMethodDeclaration(declaration) || Node.isFunctionDeclaration(declaration))) return undefined;
  if (declaration.getSourceFile() !== call.getSourceFile() || functionOf(inner) !== declaration) return undefined;
  if (Node.isMethodDeclaration(declaration) && !(Node.isPropertyAccessExpression(callee) && Node.isThisExpression(callee.getExpression()))) return undefined;
  if (Node.isFunctionDeclaration(declaration) && !Node.isIdentifier(callee)) return undefined;
  if (!onlyStatementIs(declaration.getBody(), inner)) return undefined;
  const body = innerSite.callback!.getBody();
  if (!Node.isBlock(body) || body.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => functionOf(r) === innerSite.callback)) return undefined;

  // The call's own statement is replaced by the body; its arguments stand for the parameters (names or literals only).
  const statement = statementOfCall(call);
  if (!statement || (innerSite.async && !Node.isAwaitExpression(call.getParent()))) return undefined;
  const parameters = declaration.getParameters();
  const args = call.getArguments();
  if (parameters.length !== args.length || parameters.some((p) => !Node.isIdentifier(p.getNameNode()) || p.isRestParameter())) return undefined;
  if (args.some((a) => !(Node.isIdentifier(a) || Node.isLiteralExpression(a) || Node.isThisExpression(a)))) return undefined;
  const file = call.getSourceFile();
  const statements = body.getStatements();
  if (statements.length === 0) return undefined;
  const start = statements[0]!.getStart();
  let original = file.getFullText().slice(start, statements.at(-1)!.getEnd());
  const replacements: { from: number; to: number; text: string }[] = [];
  parameters.forEach((parameter, i) => {
    const symbol = parameter.getNameNode().getSymbol();
    for (const id of body.getDescendantsOfKind(SyntaxKind.Identifier)) {
      if (id.getSymbol() === symbol && id.getText() !== args[i]!.getText()) replacements.push({ from: id.getStart() - start, to: id.getEnd() - start, text: args[i]!.getText() });
    }
  });
  for (const r of replacements.sort((a, b) => b.from - a.from)) original = original.slice(0, r.from) + r.text + original.slice(r.to);
  // Leading spaces inside a multi-line template literal belong to the string: such a body keeps its indentation.
  const multiLineLiteral = body.getDescendants().some((n) => (Node.isTemplateExpression(n) || Node.isNoSubstitutionTemplateLiteral(n)) && n.getText().includes('\n'));
  if (multiLineLiteral && indentOf(statements[0]!) !== indentOf(statement)) return undefined;
  const text = reindentText(original, indentOf(statements[0]!), indentOf(statement));
  const inPlace = Node.isBlock(statement.getParent()) ? text : `{ ${text} }`;

  const path = file.getFilePath();
  const recv = innerSite.receiver.getText();
  const method = methodOf(inner)!;
  const edits: TextEdit[] = [
    { file: path, start: outer.getStart(), end: outer.getStart(), newText: `${recv}.${method}(${innerSite.async ? 'async ' : ''}() => ` },
    { file: path, start: outer.getEnd(), end: outer.getEnd(), newText: ')' },
    { file: path, start: statement.getStart(), end: statement.getEnd(), newText: inPlace },
  ];
  if (deletable(declaration, call)) edits.push(removeStatement(declaration));
  const name = callee.getText();
  return {
    title: `Take \`${recv}\` first, around \`${outerSite.receiver.getText()}\`, and run \`${name}()\`'s body in place (unsafe: the work holding \`${outerSite.receiver.getText()}\` then also holds \`${recv}\`)`,
    edits,
    safety: 'unsafe',
    preferred: false,
  };
}
