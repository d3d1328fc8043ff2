/**
 * The lock-leak fix for async-mutex's `const release = await m.acquire()`: the statements from the acquisition to
 * the `release()` call that ends them go into `try { ... } finally { release(); }`, so an early return or a throw
 * releases too. Offered only when that call is a statement of the same block and nothing between mentions the
 * release function (a second call would release twice).
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Held } from '../model/facts.js';
import type { Fix } from '../types.js';
import { indentOf, lineStartOf, statementsText } from './edit-text.js';

export function releaseInFinallyFix(held: Held): Fix | undefined {
  const guard = held.guard;
  if (!guard || !(Node.isVariableDeclaration(guard) || Node.isBindingElement(guard))) return undefined;
  const name = guard.getName();
  const statement = guard.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  const block = statement?.getParent();
  if (!statement || !block || !(Node.isBlock(block) || Node.isSourceFile(block))) return undefined;
  const statements = block.getStatements();
  const from = statements.indexOf(statement);
  const to = statements.findIndex((s, i) => i > from && Node.isExpressionStatement(s) && s.getExpression().getText() === `${name}()`);
  if (to < 0 || to === from + 1) return undefined;
  const region = statements.slice(from + 1, to);
  const mentions = (nodes: readonly Node[], names: ReadonlySet<string>): boolean =>
    nodes.some((s) => [s, ...s.getDescendantsOfKind(SyntaxKind.Identifier)].some((i) => Node.isIdentifier(i) && names.has(i.getText())));
  if (mentions(region, new Set([name]))) return undefined;
  // A variable declared between them and read after the release would end up inside the try block.
  const declared = new Set(region.filter((s) => Node.isVariableStatement(s)).flatMap((s) => s.getDeclarations().flatMap((d) => d.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()))));
  if (declared.size > 0 && mentions(statements.slice(to + 1), declared)) return undefined;

  const file = statement.getSourceFile();
  const indent = indentOf(statement);
  const body = statementsText(region)
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `  ${line}`))
    .join('\n');
  const release = statements[to]!;
  return {
    title: `Call \`${name}()\` in a finally block`,
    safety: 'safe',
    preferred: true,
    edits: [{
      file: file.getFilePath(),
      start: lineStartOf(region[0]!),
      end: release.getEnd(),
      newText: `${indent}try {\n${body}\n${indent}} finally {\n${indent}  ${name}();\n${indent}}`,
    }],
  };
}
