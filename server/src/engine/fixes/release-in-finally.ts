/**
 * The lock-leak fix every lock API shares: the statements from an acquisition to the release that ends them (a
 * statement of the same block) go into `try { ... } finally { <that release> }`, so an early return or a throw
 * releases too. The release is the one the code already writes (`m.unlock()`, `this.mutex.release()`, async-mutex's
 * `release()` function), so the fix speaks the lock's own API; comments and blank lines between stay in place.
 */
import { Node, SyntaxKind } from 'ts-morph';
import type { Held } from '../model/facts.js';
import type { Fix } from '../types.js';
import { functionOf, indentOf, lineStartOf, reindentRange, trailingCommentEnd } from './edit-text.js';

/**
 * Wraps the statements after `acquired` up to the first later statement of its block that `isRelease` accepts.
 * Refused when a statement between releases too (`releases`: the finally would release twice), or when the release
 * shares its line with other code. A variable declared between them and read after the release would end up inside
 * the try block: then what follows the release joins the try too, when it is only the function's last `return` of a
 * plain value (which runs the same holding the lock or not); otherwise no fix.
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
  let after = statements.slice(to + 1);
  if (declared.size > 0 && after.some((s) => [s, ...s.getDescendantsOfKind(SyntaxKind.Identifier)].some((i) => Node.isIdentifier(i) && declared.has(i.getText())))) {
    const owner = functionOf(acquired) as (Node & { getBody?(): Node | undefined }) | undefined;
    if (owner?.getBody?.() !== block || !after.every(plainReturn)) return undefined;
  } else {
    after = [];
  }

  const release = statements[to]!;
  const file = acquired.getSourceFile();
  const text = file.getFullText();
  const releaseLine = lineStartOf(release);
  if (text.slice(releaseLine, release.getStart()).trim() !== '') return undefined;
  const indent = indentOf(acquired);
  const start = lineStartOf(region[0]!);
  const body = reindentRange(file, start, releaseLine, indent, `${indent}  `).replace(/\n$/, '');
  const end = trailingCommentEnd(release);
  const releaseText = text.slice(release.getStart(), end);
  if (after.length === 0) {
    return {
      title,
      safety: 'safe',
      preferred: true,
      edits: [{ file: file.getFilePath(), start, end, newText: `${indent}try {\n${body}\n${indent}} finally {\n${indent}  ${releaseText}\n${indent}}` }],
    };
  }
  // `return x;` after the release moves into the try: the finally releases on the way out, as before.
  const tail = reindentRange(file, text.indexOf('\n', end) + 1, trailingCommentEnd(after.at(-1)!), indent, `${indent}  `);
  return {
    title,
    safety: 'safe',
    preferred: true,
    edits: [{
      file: file.getFilePath(),
      start,
      end: trailingCommentEnd(after.at(-1)!),
      newText: `${indent}try {\n${body}\n${tail}\n${indent}} finally {\n${indent}  ${releaseText}\n${indent}}`,
    }],
  };
}

/** `return;`, `return x;`, `return 1;`: a return whose value does not depend on holding anything. */
function plainReturn(statement: Node): boolean {
  if (!Node.isReturnStatement(statement)) return false;
  const value = statement.getExpression();
  return value === undefined || Node.isIdentifier(value) || Node.isLiteralExpression(value) || Node.isTrueLiteral(value) || Node.isFalseLiteral(value);
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
