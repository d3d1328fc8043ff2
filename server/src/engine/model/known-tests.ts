/**
 * Decides a helper's test where the call site being walked fixes it: `options?.skipLock`, `!skipLock` or
 * `alreadyLocked` read a parameter the caller passed as a literal (`{ skipLock: true }`, `true`) or left out (its
 * default, else `undefined`). Only tests that read such a parameter are decided; anything else is left to both branches.
 */
import { Node, SyntaxKind } from 'ts-morph';
import { literalTruth, unwrap, type Env, type ValueResolver } from './values.js';
import { declarationOf } from './symbol-cache.js';

/** True or false when the bindings of this walk decide `condition`, else undefined. */
export function knownTruth(condition: Node, env: Env, resolver: ValueResolver): boolean | undefined {
  const node = unwrapTest(condition);
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.ExclamationToken) {
    const inner = knownTruth(node.getOperand(), env, resolver);
    return inner === undefined ? undefined : !inner;
  }
  if (Node.isBinaryExpression(node)) {
    const operator = node.getOperatorToken().getKind();
    if (operator !== SyntaxKind.AmpersandAmpersandToken && operator !== SyntaxKind.BarBarToken) return undefined;
    const left = knownTruth(node.getLeft(), env, resolver);
    const right = knownTruth(node.getRight(), env, resolver);
    // `a && b` is false once either is, `a || b` true once either is, whatever the other side is.
    const decisive = operator === SyntaxKind.BarBarToken;
    if (left === decisive || right === decisive) return decisive;
    return left === !decisive && right === !decisive ? !decisive : undefined;
  }
  return parameterTruth(node, env, resolver);
}

/** `(x)`, `x!`, `x as T`: the tested expression itself (unlike `unwrap`, an `await` is not a test of its operand). */
function unwrapTest(node: Node): Node {
  let current = node;
  while (Node.isParenthesizedExpression(current) || Node.isNonNullExpression(current) || Node.isAsExpression(current)) current = current.getExpression();
  return current;
}

/**
 * A parameter (`skipLock`), a property of one (`options.skipLock`, `options?.skipLock`) or a name destructured from
 * one (`{ skipLock = false }`), as this walk's call site bound it.
 */
function parameterTruth(node: Node, env: Env, resolver: ValueResolver): boolean | undefined {
  if (Node.isPropertyAccessExpression(node)) {
    const base = unwrapTest(node.getExpression());
    const declaration = Node.isIdentifier(base) ? declarationOf(base) : undefined;
    if (!declaration || !Node.isParameterDeclaration(declaration)) return undefined;
    // `options?.skipLock` with `options` left out (and no default) is `undefined`; `options.skipLock` would throw.
    if (env.omitted?.has(declaration)) return declaration.getInitializer() || !node.hasQuestionDotToken() ? undefined : false;
    if (!env.bindings.has(declaration)) return undefined;
    return propertyTruth(resolver.resolve(base, env), node.getName(), undefined);
  }
  if (!Node.isIdentifier(node)) return undefined;
  const declaration = declarationOf(node);
  if (declaration && Node.isParameterDeclaration(declaration) && env.omitted?.has(declaration)) {
    const initializer = declaration.getInitializer();
    return initializer ? initializerTruth(initializer) : false;
  }
  if (declaration && Node.isParameterDeclaration(declaration) && env.bindings.has(declaration)) return env.bindings.get(declaration)?.truthy;
  if (declaration && Node.isBindingElement(declaration)) {
    // `{ skipLock = false }: Options` as a parameter: the property of the object the call site passed.
    const pattern = declaration.getParent();
    const parameter = pattern?.getParent();
    if (!Node.isObjectBindingPattern(pattern) || !parameter || !Node.isParameterDeclaration(parameter)) return undefined;
    const name = declaration.getPropertyNameNode()?.getText() ?? declaration.getName();
    if (env.omitted?.has(parameter)) return omittedObjectTruth(parameter.getInitializer(), declaration.getInitializer());
    if (!env.bindings.has(parameter)) return undefined;
    return propertyTruth(env.bindings.get(parameter), name, declaration.getInitializer());
  }
  return undefined;
}

/** `options.skipLock` with `options` an object literal of the call site: a property it lacks is its default, else `undefined`. */
function propertyTruth(object: ReturnType<ValueResolver['resolve']>, name: string, fallback: Node | undefined): boolean | undefined {
  if (!object?.keys) return undefined;
  if (!object.keys.has(name)) return fallback ? initializerTruth(fallback) : false;
  return object.fields?.get(name)?.truthy;
}

/** `{ skipLock = false } = {}` left out: the property's own default, when the parameter's default is an empty object. */
function omittedObjectTruth(parameterDefault: Node | undefined, propertyDefault: Node | undefined): boolean | undefined {
  const object = parameterDefault && unwrap(parameterDefault);
  if (!object || !Node.isObjectLiteralExpression(object) || object.getProperties().length > 0) return undefined;
  return propertyDefault ? initializerTruth(propertyDefault) : false;
}

function initializerTruth(initializer: Node): boolean | undefined {
  const node = unwrap(initializer);
  const literal = literalTruth(node);
  if (literal !== undefined) return literal;
  if (Node.isNumericLiteral(node)) return node.getLiteralValue() !== 0;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue() !== '';
  return undefined;
}
