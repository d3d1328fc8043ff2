/**
 * Decides whether an expression is a typed-array view over shared memory, for the `non-atomic-update` rule.
 * TypeScript types such views as `Int32Array<SharedArrayBuffer>`; views typed loosely (`Int32Array`, `any` buffers)
 * are traced back to where they were built, so `new Int32Array(workerData.buffer)` counts as shared too.
 */
import { Node, SyntaxKind, type Expression, type Type } from 'ts-morph';

const TYPED_ARRAYS = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]);

/** The element types `Atomics.add` and friends accept; float and clamped views have no atomic read-modify-write. */
const ATOMIC_CAPABLE = new Set(['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array']);

export interface SharedView {
  /** The typed-array class, e.g. `Int32Array`. */
  kind: string;
  /** Whether Atomics read-modify-write operations accept this view. */
  atomicCapable: boolean;
  /** Whether elements are bigints, so an increment must be written `1n`. */
  bigint: boolean;
}

/** Returns what kind of shared view `expression` is, or undefined when it is not (or not known to be) shared memory. */
export function sharedViewOf(expression: Expression): SharedView | undefined {
  const type = expression.getType();
  const kind = typedArrayName(type);
  if (kind === undefined) return undefined;
  const buffer = bufferVerdict(type);
  const shared = buffer === 'shared' || (buffer === 'unknown' && builtOverSharedBuffer(expression, 0));
  if (!shared) return undefined;
  return { kind, atomicCapable: ATOMIC_CAPABLE.has(kind), bigint: kind.startsWith('Big') };
}

function typedArrayName(type: Type): string | undefined {
  const name = type.getSymbol()?.getName();
  return name !== undefined && TYPED_ARRAYS.has(name) ? name : undefined;
}

/**
 * Reads the buffer type argument: `SharedArrayBuffer` is shared, `ArrayBuffer` is not, and the default
 * `ArrayBufferLike` (or an `any` buffer) leaves the question to the view's provenance.
 */
function bufferVerdict(type: Type): 'shared' | 'private' | 'unknown' {
  const [argument] = type.getTypeArguments();
  if (argument === undefined) return 'unknown';
  if (argument.isAny()) return 'unknown';
  const names = (argument.isUnion() ? argument.getUnionTypes() : [argument]).map((t) => t.getSymbol()?.getName());
  if (names.every((n) => n === 'SharedArrayBuffer')) return 'shared';
  if (names.every((n) => n === 'ArrayBuffer')) return 'private';
  return 'unknown';
}

/** Follows a loosely typed view back to its construction (variable initializer, field initializer or `this.x = ...`). */
function builtOverSharedBuffer(expression: Expression, depth: number): boolean {
  if (depth > 4) return false;
  const target = Node.isParenthesizedExpression(expression) ? expression.getExpression() : expression;
  if (Node.isNewExpression(target)) {
    const [buffer] = target.getArguments();
    return buffer !== undefined && Node.isExpression(buffer) && isSharedBufferSource(buffer);
  }
  if (!Node.isIdentifier(target) && !Node.isPropertyAccessExpression(target)) return false;
  const nameNode = Node.isIdentifier(target) ? target : target.getNameNode();
  const symbol = nameNode.getSymbol();
  for (const declaration of symbol?.getDeclarations() ?? []) {
    const sources: Expression[] = [];
    if (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration)) {
      const initializer = declaration.getInitializer();
      if (initializer !== undefined) sources.push(initializer);
    }
    if (Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration)) {
      sources.push(...thisAssignments(declaration, symbol!.getName()));
    }
    if (sources.some((source) => source !== expression && builtOverSharedBuffer(source, depth + 1))) return true;
  }
  return false;
}

/** Right-hand sides of `this.<name> = ...` inside the class that declares the field. */
function thisAssignments(declaration: Node, name: string): Expression[] {
  const owner = declaration.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n));
  if (owner === undefined) return [];
  const found: Expression[] = [];
  for (const binary of owner.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
    if (binary.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
    const left = binary.getLeft();
    if (Node.isPropertyAccessExpression(left) && left.getName() === name && Node.isThisExpression(left.getExpression())) {
      found.push(binary.getRight());
    }
  }
  return found;
}

/**
 * A buffer argument counts as shared when typed SharedArrayBuffer, when it is untyped data that crossed a thread
 * boundary (`any`, as workerData and message payloads are), or when it is itself a view's `.buffer` that is shared.
 */
function isSharedBufferSource(buffer: Expression): boolean {
  const type = buffer.getType();
  if (type.isAny()) return true;
  const names = (type.isUnion() ? type.getUnionTypes() : [type]).map((t) => t.getSymbol()?.getName());
  if (names.includes('SharedArrayBuffer') && !names.includes('ArrayBuffer')) return true;
  if (typedArrayName(type) !== undefined) return bufferVerdict(type) === 'shared';
  return false;
}
