/**
 * The lock-leak fix every lock API shares: the statements from an acquisition to the release that ends them (a
 * statement of the same block) go into `try { ... } finally { <that release> }`, so an early return or a throw
 * releases too. The release is the one the code already writes (`m.unlock()`, `this.mutex.release()`, async-mutex's
 * `release()` function), so the fix speaks the lock's own API; comments and blank lines between stay in place.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Held } from '../model/facts.js';
import type { Fix } from '../types.js';
import { indentOf, lineStartOf, reindentRange, trailingCommentEnd } from './edit-text.js';

/**
 * Wraps the statements after `acquired` up to the first later statement of its block that `isRelease` accepts.
 * Refused when a statement between releases too (`releases`: the finally would release twice), when a variable
 * declared between them is read after the release (it would end up inside the try block), or when the release
 * shares its line with other code.
 */
export function wrapInFinally(acquired: Node, isRelease: (statement: Node) => boolean, releases: (node: Node) => boolean, title: string): Fix | undefined {
  const block = acquired.getParent();
  if (!block || !(Node.isBlock(block) || Node.isSourceFile(block) || Node.isCaseClause(block))) return undefined;
  const statements = block.getStatements() as Node[];
  const from = statements.indexOf(acquired);
  const to = statements.findIndex((s, i) => i > from && isRelease(s));
  if (to < 0 || to === from + 1) return undefined;
  const region = statements.slice(from + 1, to);
  if (region.some((s) => [s, ...s.getDescendants()].some(releases))) return undefined;
  const declared = new Set(
    region.filter(Node.isVariableStatement).flatMap((s) =>
      s.getDeclarations().flatMap((d) => {
        const name = d.getNameNode();
        return Node.isIdentifier(name) ? [name.getText()] : name.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText());
      }),
    ),
  );
  if (declared.size > 0 && statements.slice(to + 1).some((s) => [s, ...s.getDescendantsOfKind(SyntaxKind.Identifier)].some((i) => Node.isIdentifier(i) && declared.has(i.getText())))) return undefined;

  const release = statements[to]!;
  const file = acquired.getSourceFile();
  const text = file.getFullText();
  const releaseLine = lineStartOf(release);
  if (text.slice(releaseLine, release.getStart()).trim() !== '') return undefined;
  const indent = indentOf(acquired);
  const start = lineStartOf(region[0]!);
  const body = reindentRange(file, start, releaseLine, indent, `${indent}  `).replace(/\n$/, '');
  const end = trailingCommentEnd(release);
  return {
    title,
    safety: 'safe',
    preferred: true,
    edits: [{
      file: file.getFilePath(),
      start,
      end,
      newText: `${indent}try {\n${body}\n${indent}} finally {\n${indent}  ${text.slice(release.getStart(), end)}\n${indent}}`,
    }],
  };
}

/** async-mutex's `const release = await m.acquire()`: its `release()` call moves into a finally block. */
export function releaseInFinallyFix(held: Held): Fix | undefined {
  const guard = held.guard;
  if (!guard || !(Node.isVariableDeclaration(guard) || Node.isBindingElement(guard))) return undefined;
  const name = guard.getName();
  const statement = guard.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  if (!statement) return undefined;
  const calls = (s: Node): boolean => Node.isExpressionStatement(s) && s.getExpression().getText() === `${name}()`;
  return wrapInFinally(statement, calls, (n) => Node.isIdentifier(n) && n.getText() === name, `Call \`${name}()\` in a finally block`);
}
