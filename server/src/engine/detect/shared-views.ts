/**
 * Decides whether an expression is a typed-array view over shared memory, for the `non-atomic-update` rule.
 * TypeScript types such views as `Int32Array<SharedArrayBuffer>`; views typed loosely (`Int32Array`, `any` buffers)
 * are traced back to where they were built, so `new Int32Array(workerData.buffer)` counts as shared too, including
 * views made later: a module `let` or a class field assigned in `init()` or a message handler. Untyped data counts as
 * a shared buffer only in a program that makes one somewhere (`SharedArrayBuffer` appears in its source): a plain
 * JavaScript `new Uint8Array(bytes)` is private memory.
 */
import { Node, ts, VariableDeclarationKind, type BinaryExpression, type Expression, type SourceFile, type Type, type VariableDeclaration } from 'ts-morph';
import { findNodesCached } from './compiler-walk.js';

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
  // A field declared `Int32Array | null` (or inferred so in JavaScript) is a view wherever it is used unnarrowed.
  const type = expression.getType().getNonNullableType();
  // Untyped JavaScript (`let states;` assigned in a message handler) is `any`: its construction names the kind.
  const kind = type.isAny() ? constructedViewKind(expression) : typedArrayName(type);
  if (kind === undefined) return undefined;
  const buffer = type.isAny() ? 'unknown' : bufferVerdict(type);
  const shared = buffer === 'shared' || (buffer === 'unknown' && builtOverSharedBuffer(expression, 0));
  if (!shared) return undefined;
  return { kind, atomicCapable: ATOMIC_CAPABLE.has(kind), bigint: kind.startsWith('Big') };
}

/** The typed-array class of the first `new Int32Array(...)` (or other view) a variable or field is given, else undefined. */
function constructedViewKind(expression: Expression): string | undefined {
  const target = unwrap(expression);
  if (!Node.isIdentifier(target) && !Node.isPropertyAccessExpression(target)) return undefined;
  const nameNode = Node.isIdentifier(target) ? target : target.getNameNode();
  const symbol = nameNode.getSymbol();
  for (const declaration of symbol?.getDeclarations() ?? []) {
    for (const source of sourcesOf(declaration, symbol!.getName())) {
      const value = unwrap(source);
      if (!Node.isNewExpression(value)) continue;
      const name = value.getExpression().getText();
      if (TYPED_ARRAYS.has(name)) return name;
    }
  }
  return undefined;
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

/**
 * Follows a loosely typed view back to its construction: a variable's initializer or later assignments (`view =
 * new Int32Array(buffer)` in an `init()` or a message handler), a field's initializer or `this.x = ...`.
 */
function builtOverSharedBuffer(expression: Expression, depth: number): boolean {
  if (depth > 4) return false;
  const target = unwrap(expression);
  if (Node.isNewExpression(target)) {
    const [buffer] = target.getArguments();
    return buffer !== undefined && Node.isExpression(buffer) && isSharedBufferSource(buffer);
  }
  if (!Node.isIdentifier(target) && !Node.isPropertyAccessExpression(target)) return false;
  const nameNode = Node.isIdentifier(target) ? target : target.getNameNode();
  const symbol = nameNode.getSymbol();
  for (const declaration of symbol?.getDeclarations() ?? []) {
    const sources = sourcesOf(declaration, symbol!.getName());
    if (sources.some((source) => source !== expression && (builtOverSharedBuffer(source, depth + 1) || isReceivedView(source)))) return true;
  }
  return false;
}

/**
 * Every value a variable, field or parameter property is given where it is declared or assigned: initializer,
 * `name = ...` for a `let`, `this.name = ...` in its class. In JavaScript, a field assigned only in the
 * constructor (`this.view = ...`) is declared by that assignment itself.
 */
function sourcesOf(declaration: Node, name: string): Expression[] {
  const sources: Expression[] = [];
  if (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration)) {
    const initializer = declaration.getInitializer();
    if (initializer !== undefined) sources.push(initializer);
  }
  if (Node.isVariableDeclaration(declaration)) sources.push(...variableAssignments(declaration));
  if (Node.isPropertyDeclaration(declaration) || Node.isParameterDeclaration(declaration)) sources.push(...thisAssignments(declaration, name));
  if (Node.isBinaryExpression(declaration) || Node.isPropertyAccessExpression(declaration)) {
    const assignment = Node.isBinaryExpression(declaration) ? declaration : declaration.getParent();
    if (assignment !== undefined && Node.isBinaryExpression(assignment)) sources.push(...thisAssignments(assignment, name));
  }
  return sources;
}

/** `x`, `(x)`, `x!` and `x as T` are the same value. */
function unwrap(expression: Expression): Expression {
  let current = expression;
  while (Node.isParenthesizedExpression(current) || Node.isNonNullExpression(current) || Node.isAsExpression(current) || Node.isTypeAssertion(current)) {
    current = current.getExpression();
  }
  return current;
}

/**
 * Right-hand sides of `name = ...` for a `let` or `var` (assignments reach it only from its own file), found by
 * symbol so a shadowing parameter of the same name does not count.
 */
function variableAssignments(declaration: VariableDeclaration): Expression[] {
  const list = declaration.getParent();
  if (!Node.isVariableDeclarationList(list) || list.getDeclarationKind() === VariableDeclarationKind.Const) return [];
  const symbol = declaration.getSymbol();
  if (symbol === undefined) return [];
  const name = declaration.getName();
  const found: Expression[] = [];
  for (const node of findNodesCached(declaration.getSourceFile(), isAssignment)) {
    const binary = node as BinaryExpression;
    const left = binary.getLeft();
    if (Node.isIdentifier(left) && left.getText() === name && left.getSymbol() === symbol) found.push(binary.getRight());
  }
  return found;
}

/**
 * A view that arrived already made, read from untyped data that crossed a thread boundary (`event.data.states`,
 * `workerData.view`): structured clone copies a view over an ArrayBuffer but shares one over a SharedArrayBuffer,
 * and a slot declared as a typed array and filled from a message is there to be shared.
 */
function isReceivedView(source: Expression): boolean {
  const target = unwrap(source);
  return (Node.isPropertyAccessExpression(target) || Node.isElementAccessExpression(target)) && target.getType().isAny() && programSharesMemory(source.getSourceFile());
}

/** Whether a source file's text names SharedArrayBuffer, by its compiler node (so an edit gets a fresh answer). */
const mentionsSharedBuffer = new WeakMap<ts.SourceFile, boolean>();

/**
 * Whether any source file of the program (declarations aside) names `SharedArrayBuffer`: without one, untyped data
 * (`any`, as in JavaScript) cannot carry shared memory, whatever crossed a thread boundary.
 */
function programSharesMemory(file: SourceFile): boolean {
  for (const source of file.getProject().getProgram().compilerObject.getSourceFiles()) {
    if (source.isDeclarationFile) continue;
    let mentions = mentionsSharedBuffer.get(source);
    if (mentions === undefined) {
      mentions = source.text.includes('SharedArrayBuffer');
      mentionsSharedBuffer.set(source, mentions);
    }
    if (mentions) return true;
  }
  return false;
}

/** Right-hand sides of `this.<name> = ...` inside the class that declares the field. */
function thisAssignments(declaration: Node, name: string): Expression[] {
  const owner = declaration.getFirstAncestor((n) => Node.isClassDeclaration(n) || Node.isClassExpression(n));
  if (owner === undefined) return [];
  const found: Expression[] = [];
  for (const node of findNodesCached(declaration.getSourceFile(), isAssignment)) {
    const binary = node as BinaryExpression;
    if (binary.getStart() < owner.getStart() || binary.getEnd() > owner.getEnd()) continue;
    const left = binary.getLeft();
    if (Node.isPropertyAccessExpression(left) && left.getName() === name && Node.isThisExpression(left.getExpression())) {
      found.push(binary.getRight());
    }
  }
  return found;
}

/** Plain `=` assignments, found once per file version: views are traced through them for every candidate update. */
function isAssignment(node: ts.Node): boolean {
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

/**
 * A buffer argument counts as shared when typed SharedArrayBuffer, when it is untyped data that crossed a thread
 * boundary (`any`, as workerData and message payloads are), or when it is itself a view's `.buffer` that is shared.
 */
function isSharedBufferSource(buffer: Expression): boolean {
  const type = buffer.getType();
  if (type.isAny()) return programSharesMemory(buffer.getSourceFile());
  const names = (type.isUnion() ? type.getUnionTypes() : [type]).map((t) => t.getSymbol()?.getName());
  if (names.includes('SharedArrayBuffer') && !names.includes('ArrayBuffer')) return true;
  if (typedArrayName(type) !== undefined) return bufferVerdict(type) === 'shared';
  return false;
}
