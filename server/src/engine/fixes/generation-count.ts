/**
 * The `async-atomicity` fix for state that other functions invalidate while a coroutine is refilling it (a cache that
 * `clearCache()` empties, a vault `setLocked()` forgets): a generation count next to the state, bumped by every
 * invalidation, read into a constant before the coroutine suspends, and compared before its write, so a value read
 * before an invalidation is not stored after it. The shape the rule already accepts (`revalidated` in
 * detect/async-races.ts, continue's `NextEditWindowManager`).
 */
import { Node } from 'ts-morph';
import type { Fix, TextEdit } from '../types.js';
import { functionOf, indentOf, trailingCommentEnd } from './edit-text.js';
import { writeStatement } from './guard-write.js';
import { freshName, guardedWrite, inBlock } from './async-atomicity.js';
import { locationOf } from '../detect/shared-state.js';

/**
 * Offered for a class field (not static) that every write reaches as `this.<field>` from the class's own methods, or a
 * module's `let`, when each invalidation is a statement of its own. Unsafe: a call that lost the race still returns
 * its value to its caller; only the shared state no longer keeps it.
 */
export function generationFix(write: Node, suspension: Node, clearers: readonly Node[]): Fix | undefined {
  const place = placeOf(write);
  const location = place && locationOf(place);
  const statement = writeStatement(write);
  if (location === undefined || statement === undefined || clearers.length === 0) return undefined;
  const counter = counterFor(location.declaration, write);
  if (counter === undefined) return undefined;
  const clearings = clearers.map((node) => writeStatement(node));
  if ([statement, ...clearings].some((s) => s === undefined || !inBlock(s) || !counter.reaches(s))) return undefined;
  // The count is read before the statement that suspends, in the block that also holds the write.
  const before = statementHolding(suspension, statement);
  if (before === undefined) return undefined;
  const scope = functionOf(statement) ?? statement.getSourceFile();
  const token = freshName(scope, 'generation');
  const guarded = guardedWrite(write, statement, `${token} === ${counter.access}`);
  if (guarded === undefined) return undefined;
  const file = write.getSourceFile().getFilePath();
  const read = `const ${token} = ${counter.access};\n${indentOf(before)}`;
  // When the write's own await is the suspension, the count is read right before the write's statement.
  const edits: TextEdit[] = [
    ...(counter.declare ? [counter.declare] : []),
    ...(before === statement ? [] : [{ file, start: before.getStart(), end: before.getStart(), newText: read }]),
    { file, start: statement.getStart(), end: statement.getEnd(), newText: before === statement ? read + guarded : guarded },
    ...clearings.flatMap((clearing) => {
      if (clearing === undefined) return [];
      if (clearing.getNextSibling()?.getText() === `${counter.access}++;`) return [];
      const end = trailingCommentEnd(clearing);
      return [{ file: clearing.getSourceFile().getFilePath(), start: end, end, newText: `\n${indentOf(clearing)}${counter.access}++;` }];
    }),
  ];
  return {
    title: `Count the invalidations of \`${location.name}\`, and store only if none happened during the await (a generation check)`,
    edits,
    safety: 'unsafe',
    preferred: false,
  };
}

interface Counter {
  /** How the code reads the count: `this.#cacheGeneration`, `cacheGeneration`. */
  access: string;
  /** The edit that declares it, next to the state's own declaration; none when an earlier fix declared it. */
  declare: TextEdit | undefined;
  /** Whether a statement sees the same count under `access`. */
  reaches(statement: Node): boolean;
}

/** The count for the state `declaration` declares: a field beside a class field, a `let` beside a module's `let`. */
function counterFor(declaration: Node, write: Node): Counter | undefined {
  const file = declaration.getSourceFile().getFilePath();
  if (Node.isPropertyDeclaration(declaration) && !declaration.isStatic()) {
    const cls = declaration.getParent();
    if (!Node.isClassDeclaration(cls) && !Node.isClassExpression(cls)) return undefined;
    // The count an earlier fix of another write of this field declared is this one's too.
    const counter = `${declaration.getName()}Generation`;
    const existing = cls.getMembers().find((m) => Node.hasName(m) && m.getName() === counter);
    if (existing !== undefined && !Node.isPropertyDeclaration(existing)) return undefined;
    const privacy = declaration.hasModifier('private') ? 'private ' : declaration.hasModifier('protected') ? 'protected ' : '';
    return {
      access: `this.${counter}`,
      declare: existing ? undefined : { file, start: trailingCommentEnd(declaration), end: trailingCommentEnd(declaration), newText: `\n${indentOf(declaration)}${privacy}${counter} = 0;` },
      reaches: (statement) => thisIsInstanceOf(statement, cls),
    };
  }
  if (Node.isVariableDeclaration(declaration)) {
    const holder = declaration.getVariableStatement();
    if (holder === undefined || !Node.isSourceFile(holder.getParent()) || holder.getDeclarationKind() === 'const') return undefined;
    const counter = `${declaration.getName()}Generation`;
    const existing = declaration.getSourceFile().getVariableDeclaration(counter);
    if (existing === undefined && freshName(declaration.getSourceFile(), counter) !== counter) return undefined;
    return {
      access: counter,
      declare: existing ? undefined : { file, start: trailingCommentEnd(holder), end: trailingCommentEnd(holder), newText: `\n${indentOf(holder)}let ${counter} = 0;` },
      reaches: (statement) => statement.getSourceFile() === write.getSourceFile(),
    };
  }
  return undefined;
}

/** Whether `this` at `node` is an instance of `cls`: inside one of its methods or accessors, through arrow functions only. */
function thisIsInstanceOf(node: Node, cls: Node): boolean {
  for (let current = node.getParent(); current !== undefined; current = current.getParent()) {
    if (Node.isMethodDeclaration(current) || Node.isGetAccessorDeclaration(current) || Node.isSetAccessorDeclaration(current)) {
      return !current.isStatic() && current.getParent() === cls;
    }
    if (Node.isFunctionDeclaration(current) || Node.isFunctionExpression(current) || Node.isClassDeclaration(current) || Node.isClassExpression(current) || Node.isConstructorDeclaration(current)) return false;
  }
  return false;
}

/** The statement of the innermost block holding both `inner` and `statement` that `inner` is in. */
function statementHolding(inner: Node, statement: Node): Node | undefined {
  for (let block = statement.getParent(); block !== undefined && !Node.isFunctionLikeDeclaration(block); block = block.getParent()) {
    if (!Node.isBlock(block) && !Node.isSourceFile(block)) continue;
    if (inner.getStart() < block.getStart() || inner.getEnd() > block.getEnd()) continue;
    return block.getStatements().find((s) => inner.getStart() >= s.getStart() && inner.getEnd() <= s.getEnd());
  }
  return undefined;
}

/** The place a write changes: an assignment's target, the receiver of `set`/`delete`/`clear`, a `delete`'s operand. */
function placeOf(write: Node): Node | undefined {
  if (Node.isBinaryExpression(write)) return write.getLeft();
  if (Node.isDeleteExpression(write)) return write.getExpression();
  const callee = Node.isCallExpression(write) ? write.getExpression() : undefined;
  return callee !== undefined && Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
}
