/**
 * Resolves expressions to abstract values with a stable identity: the lock (or object holding locks) an expression
 * denotes, by declaration and access path, never by name. Aliases, destructuring, getters, imports, parameters bound
 * at a call site and handles rebuilt with `from()` in a worker all resolve to the identity of their origin.
 */
import { Node, SyntaxKind, ts, type ClassDeclaration, type Expression, type InterfaceDeclaration, type TypeLiteralNode } from 'ts-morph';
import {
  runtimeClassOfIdentifier,
  runtimeClassOfType,
  runtimeClassOfTypeNode,
  runtimeElementClassOfTypeNode,
  type RuntimeClass,
} from './runtime.js';
import { assignedValue } from './lock-models.js';
import { isFunctionLike } from './function-like.js';
import { wrap } from '../detect/compiler-walk.js';
import { aliasedDeclarationOf, symbolOf, declarationOf } from './symbol-cache.js';

/** An abstract value: one object of the program as far as the analysis can tell them apart. */
export interface Value {
  /** Identity: a declaration key plus an access path (`file:pos.field[*]`). */
  id: string;
  /** What a user calls it: `lockA`, `this.accounts`, `forks[i]`. */
  name: string;
  kind?: RuntimeClass;
  /** For arrays of runtime objects: the element class. */
  elementKind?: RuntimeClass;
  /** Rank declared in the constructor (`new Mutex({ rank: 2 })`). */
  rank?: number;
  /** Where the object was created or declared, for the graph's `declaration`. */
  declaration?: Node;
  /** For `arr[i]` with a non-literal index: the index text, so `forks[i]` and `forks[i + 1]` stay apart. */
  index?: string;
  /**
   * For an index that is a variable or parameter of a function (`mutexes[cacheKey]` in `withCache`): that function.
   * Another call of it binds the variable again, perhaps to another key, so a chain that calls it again while the
   * first element is held cannot tell the two keys equal.
   */
  indexScope?: Node;
  /**
   * For an index whose order among its siblings is provable (`slots[Math.min(i, j)]` before `slots[Math.max(i, j)]`,
   * `[lo, hi]` from a comparison): the pair it belongs to and its position, lower first.
   */
  indexOrder?: { pair: string; position: number };
  /** For an array whose elements are known in order (`[a, b]`, passed to a parameter): their values, so loops over it unroll. */
  elements?: Value[];
  /** For an object literal (`{ bufferLock, ring }`, as a helper returns it): its properties' values. */
  fields?: ReadonlyMap<string, Value>;
  /** A loop counter bound to one iteration's number, or a literal (`'users'` passed to `tableLock(name)`). */
  constant?: number | string;
  /**
   * How a test reads a literal the program wrote (`true`, `false`, `null`, `undefined`, a number or a string), so a
   * helper's `if (!options?.skipLock)` is decided where its call site passed `{ skipLock: true }`.
   */
  truthy?: boolean;
  /** For an object literal without spreads: every property it has, so one it lacks is known to be `undefined`. */
  keys?: ReadonlySet<string>;
  /** The name of the identity as a whole, where it differs from this access: `forks[*]` for `forks[i]`. */
  identityName?: string;
  /**
   * A field of an instance the walk cannot pin down (`this` or a parameter not bound at a call site): `this.mutex`
   * and `other.mutex` may be two objects of one class, so for lock order they are one field with two receivers.
   */
  instance?: { owner: string; field: string; className: string; receiver: string };
  /**
   * A function (arrow, function expression, function declaration or method): a callback a wrapper is handed
   * (`runTx(fn) { return this.tx.runExclusive(fn) }`) is walked where the wrapper runs it.
   */
  fn?: Node;
  /** The bindings and `this` where that function was made: what its free names and `this` denote when it runs. */
  closure?: Env;
}

/** Bindings of one analysis context: parameters bound at a call site, `this`, and a worker's `workerData` fields. */
export interface Env {
  readonly bindings: ReadonlyMap<Node, Value | undefined>;
  readonly thisValue?: Value;
  readonly workerData?: ReadonlyMap<string, Value>;
  /** Fields of messages posted to this worker, for the parameter of its message handler (bound to the id `message`). */
  readonly messages?: ReadonlyMap<string, Value>;
  /** Parameters the call site being walked left out: each is its default, or `undefined` (see known-tests.ts). */
  readonly omitted?: ReadonlySet<Node>;
}

export const EMPTY_ENV: Env = { bindings: new Map() };

/** The `workerData` key under which a spawn binds one lock handle passed as the whole workerData. */
export const WHOLE_WORKER_DATA = '\0whole';

/** A stable key for a declaration: its file and start offset. */
export function keyOf(node: Node): string {
  return `${node.getSourceFile().getFilePath()}:${node.getStart()}`;
}

export function unwrap(expression: Node): Node {
  let current = expression;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isNonNullExpression(current) ||
    Node.isSatisfiesExpression(current) ||
    Node.isTypeAssertion(current) ||
    Node.isAwaitExpression(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

/** Reads `{ name: 'x', rank: 2 }` from a runtime constructor's options argument. */
export function constructorOptions(newExpression: Node): { name?: string; rank?: number } {
  if (!Node.isNewExpression(newExpression)) return {};
  const out: { name?: string; rank?: number } = {};
  for (const argument of newExpression.getArguments()) {
    if (!Node.isObjectLiteralExpression(argument)) continue;
    for (const property of argument.getProperties()) {
      if (!Node.isPropertyAssignment(property)) continue;
      const initializer = property.getInitializer();
      if (property.getName() === 'name' && Node.isStringLiteral(initializer)) out.name = initializer.getLiteralValue();
      if (property.getName() === 'rank' && Node.isNumericLiteral(initializer)) out.rank = initializer.getLiteralValue();
    }
  }
  return out;
}

function classOfNew(expression: Node): RuntimeClass | undefined {
  return Node.isNewExpression(expression) ? runtimeClassOfIdentifier(expression.getExpression()) : undefined;
}

/**
 * The element class of a collection initializer: `[new Mutex(), ...]`, `Array.from({ length }, () => new Mutex())`,
 * `new Map<string, Mutex>()` or `new Map([['a', new Mutex()]])`.
 */
function elementClassOfInitializer(initializer: Node): RuntimeClass | undefined {
  const inner = unwrap(initializer);
  if (Node.isNewExpression(inner) && /^(Weak)?Map$/.test(inner.getExpression().getText())) {
    const declared = runtimeClassOfTypeNode(inner.getTypeArguments()[1]);
    if (declared) return declared;
    const entries = inner.getArguments()[0];
    if (entries && Node.isArrayLiteralExpression(entries)) {
      for (const entry of entries.getElements()) {
        const value = Node.isArrayLiteralExpression(entry) ? entry.getElements()[1] : undefined;
        const kind = value && classOfNew(unwrap(value));
        if (kind) return kind;
      }
    }
    return undefined;
  }
  if (Node.isArrayLiteralExpression(inner)) {
    for (const element of inner.getElements()) {
      const kind = classOfNew(unwrap(element));
      if (kind) return kind;
    }
  }
  if (Node.isCallExpression(inner)) {
    for (const argument of inner.getArguments()) {
      if (Node.isArrowFunction(argument) || Node.isFunctionExpression(argument)) {
        const body = argument.getBody();
        const returned = Node.isBlock(body)
          ? body.getDescendantsOfKind(SyntaxKind.ReturnStatement)[0]?.getExpression()
          : body;
        const kind = returned ? classOfNew(unwrap(returned)) : undefined;
        if (kind) return kind;
      }
    }
  }
  return undefined;
}

/** The expression of a function's one `return` (its own, not a nested function's), by its body's compiler node. */
const ONLY_RETURNED = new WeakMap<ts.Node, ts.Expression | null>();

/**
 * What `fn` (with block `body`) returns when it has exactly one `return` with a value: a walk resolves every call it
 * meets this way, so the search of the body is done once per function rather than once per call.
 */
function onlyReturned(fn: Node, body: Node): Node | undefined {
  let returned = ONLY_RETURNED.get(body.compilerNode);
  if (returned === undefined) {
    const returns = body.getDescendantsOfKind(SyntaxKind.ReturnStatement).filter((r) => r.getFirstAncestor((a) => a === fn || Node.isFunctionLikeDeclaration(a) || Node.isArrowFunction(a)) === fn);
    returned = returns.length === 1 ? (returns[0]!.getExpression()?.compilerNode ?? null) : null;
    ONLY_RETURNED.set(body.compilerNode, returned);
  }
  return returned === null ? undefined : wrap(body.getSourceFile(), returned);
}

/**
 * The value a declaration (variable, parameter, field, binding element) holds. `resolveInit` resolves an initializer
 * that is itself an alias (`const l = this.x`), so aliases share the identity of what they alias.
 */
export class ValueResolver {
  resolve(expression: Node, env: Env, depth = 0): Value | undefined {
    if (depth > 12) return undefined;
    const node = unwrap(expression);
    if (node.getKind() === SyntaxKind.ThisKeyword) {
      if (env.thisValue) return env.thisValue;
      const owner = node.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
      return owner ? { id: `this:${keyOf(owner)}`, name: 'this', declaration: owner } : undefined;
    }
    const test = literalTruth(node);
    if (test !== undefined) return { id: `const:${node.getText()}`, name: node.getText(), truthy: test };
    if (Node.isIdentifier(node)) return this.resolveIdentifier(node, env, depth);
    const literal = constantKey(node);
    if (literal !== undefined && !Node.isIdentifier(node)) return { id: `const:${JSON.stringify(literal)}`, name: node.getText(), constant: literal, truthy: Boolean(literal) };
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return functionValue(node, node.getText().length > 40 ? 'callback' : node.getText(), env);
    if (Node.isBinaryExpression(node)) return this.resolveDefault(node, env, depth);
    if (Node.isNewExpression(node)) {
      const kind = classOfNew(node);
      if (!kind) return undefined;
      const options = constructorOptions(node);
      return { id: `new:${keyOf(node)}`, name: options.name ?? node.getText(), kind, rank: options.rank, declaration: node };
    }
    if (Node.isCallExpression(node)) return this.resolveBind(node, env, depth) ?? this.resolveFrom(node, env, depth) ?? this.resolveGet(node, env, depth) ?? this.resolveCopy(node, env, depth) ?? this.resolveReturn(node, env, depth);
    if (Node.isObjectLiteralExpression(node)) return this.resolveObject(node, env, depth);
    if (Node.isArrayLiteralExpression(node)) return this.resolveArray(node, env, depth);
    if (Node.isPropertyAccessExpression(node)) return this.resolveProperty(node, env, depth);
    if (Node.isElementAccessExpression(node)) {
      const base = this.resolve(node.getExpression(), env, depth + 1);
      const argument = node.getArgumentExpression();
      if (!base || !argument) return undefined;
      return this.element(base, argument, env);
    }
    return undefined;
  }

  /**
   * `base[argument]`: a constant key (a literal, or a `const` holding one) is its own identity; a string key is the
   * property of that name (`tables['orders']` is `tables.orders`). Any other key is one identity for every element,
   * with the key's text kept apart so `forks[i]` and `forks[i + 1]` are two locks of one array.
   */
  private element(base: Value, argument: Node, env: Env): Value {
    const constant = constantKey(argument) ?? this.boundConstant(argument, env);
    // A key that is a parameter of a helper (`lockFor(key)`) is what its call site passed: `lockFor(a)` and
    // `lockFor(b)` are two elements, `lockFor(a)` twice is one.
    const bound = this.boundKey(argument, env);
    if (typeof constant === 'number' && base.elements?.[constant]) return base.elements[constant]!;
    if (typeof constant === 'string' && base.fields?.has(constant)) return base.fields.get(constant)!;
    if (typeof constant === 'string' && base.declaration && Node.isVariableDeclaration(base.declaration)) {
      const initializer = base.declaration.getInitializer();
      const literal = initializer && unwrap(initializer);
      const property = literal && Node.isObjectLiteralExpression(literal) ? literal.getProperty(constant) : undefined;
      const declared = property ? this.resolveDeclaration(property, env, 0) : undefined;
      if (declared) return { ...declared, name: `${base.name}.${constant}` };
    }
    if (typeof constant === 'string') return { id: `${base.id}.${constant}`, name: `${base.name}.${constant}`, kind: base.elementKind, declaration: base.declaration };
    const text = bound?.name ?? argument.getText();
    if (constant !== undefined) return { id: `${base.id}[${constant}]`, name: `${base.name}[${text}]`, kind: base.elementKind, declaration: base.declaration };
    const value: Value = { id: `${base.id}[*]`, name: `${base.name}[${text}]`, kind: base.elementKind, declaration: base.declaration, index: bound?.id ?? text, identityName: `${base.name}[*]` };
    const scope = keyScope(bound ? bound.declaration : unwrap(argument));
    if (scope) value.indexScope = scope;
    const order = provableOrder(argument);
    if (order) value.indexOrder = order;
    return value;
  }

  /**
   * `a ?? b` and `a || b`: `a` when the walk knows what it is, else `b`. An optional parameter nobody bound
   * (`const pg = tx ?? this` in a method called without `tx`) stands for the default.
   */
  private resolveDefault(binary: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isBinaryExpression(binary)) return undefined;
    const operator = binary.getOperatorToken().getKind();
    if (operator !== SyntaxKind.QuestionQuestionToken && operator !== SyntaxKind.BarBarToken) return undefined;
    const left = this.resolve(binary.getLeft(), env, depth + 1);
    if (left && !left.id.startsWith('param:')) return left;
    return this.resolve(binary.getRight(), env, depth + 1) ?? left;
  }

  /** `{ a, b: x }`: an object whose properties are known, when at least one resolves. */
  private resolveObject(literal: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isObjectLiteralExpression(literal)) return undefined;
    const fields = new Map<string, Value>();
    const properties = literal.getProperties();
    const names = properties.map(plainPropertyName);
    const keys = names.every((n) => n !== undefined) ? new Set(names as string[]) : undefined;
    for (const property of properties) {
      const value = Node.isShorthandPropertyAssignment(property)
        ? this.resolveShorthand(property, env, depth)
        : Node.isPropertyAssignment(property) && property.getInitializer()
          ? this.resolve(property.getInitializer()!, env, depth + 1)
          : Node.isMethodDeclaration(property)
            ? functionValue(property, property.getName(), env)
            : undefined;
      if (value && Node.hasName(property)) fields.set(property.getName(), value);
    }
    return fields.size > 0 ? { id: `object:${keyOf(literal)}`, name: 'object', fields, keys, truthy: true } : undefined;
  }

  /** `{ bufferLock }`: the variable the shorthand names (its own symbol is the property's). */
  resolveShorthand(property: Node, env: Env, depth = 0): Value | undefined {
    if (!Node.isShorthandPropertyAssignment(property)) return undefined;
    const declaration = property.getValueSymbol()?.getDeclarations()[0];
    if (!declaration) return undefined;
    if (env.bindings.has(declaration)) return env.bindings.get(declaration);
    return this.resolveDeclaration(declaration, env, depth + 1);
  }

  /**
   * `openShared(shared)` where the helper has one `return` (or an expression body): what it returns, with its
   * parameters bound to this call's arguments. So a lock a helper rebuilds with `from()` and hands back is the same
   * lock as the handle's origin, wherever the caller destructures it.
   */
  private resolveReturn(call: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    const nameNode = Node.isIdentifier(callee) ? callee : Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : undefined;
    let fn = nameNode && aliasedDeclarationOf(nameNode);
    if (fn && Node.isVariableDeclaration(fn)) fn = fn.getInitializer();
    if (!fn || !(Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) || Node.isMethodDeclaration(fn))) return undefined;
    const body = fn.getBody();
    if (!body || fn.getSourceFile().isDeclarationFile()) return undefined;
    const returned = Node.isBlock(body) ? onlyReturned(fn, body) : body;
    if (!returned) return undefined;
    const bindings = new Map(env.bindings);
    fn.getParameters().forEach((parameter, index) => {
      const argument = call.getArguments()[index];
      bindings.set(parameter, argument ? this.resolve(argument, env, depth + 1) : undefined);
    });
    const thisValue = Node.isPropertyAccessExpression(callee) ? this.resolve(callee.getExpression(), env, depth + 1) : env.thisValue;
    const value = this.resolve(returned, { ...env, bindings, thisValue }, depth + 1);
    // `getMutex(key): Mutex { return mutexes[ns][key] }`: the declared return type names the kind the collection's does not.
    const declared = value && !value.kind ? runtimeClassOfTypeNode(fn.getReturnTypeNode()) : undefined;
    return declared ? { ...value!, kind: declared } : value;
  }

  /** A loop counter bound to one iteration's number, or a parameter bound to a literal (see Value.constant). */
  private boundConstant(argument: Node, env: Env): number | string | undefined {
    const node = unwrap(argument);
    if (!Node.isIdentifier(node)) return undefined;
    const declaration = declarationOf(node);
    return declaration ? env.bindings.get(declaration)?.constant : undefined;
  }

  /** What a parameter used as a key was bound to at the call site being walked. */
  private boundKey(argument: Node, env: Env): Value | undefined {
    const node = unwrap(argument);
    if (!Node.isIdentifier(node)) return undefined;
    const declaration = declarationOf(node);
    return declaration && Node.isParameterDeclaration(declaration) ? env.bindings.get(declaration) : undefined;
  }

  /** `[a, b, ...rest]`: an array of known elements when every one resolves (the order is what loops over it take). */
  private resolveArray(array: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isArrayLiteralExpression(array)) return undefined;
    const elements: Value[] = [];
    for (const element of array.getElements()) {
      if (Node.isSpreadElement(element)) {
        const spread = this.resolve(element.getExpression(), env, depth + 1);
        if (!spread?.elements) return { id: spread?.id ?? `array:${keyOf(array)}`, name: spread?.name ?? array.getText(), elementKind: spread?.elementKind };
        elements.push(...spread.elements);
        continue;
      }
      const value = this.resolve(element, env, depth + 1);
      if (!value) return undefined;
      elements.push(value);
    }
    return { id: `array:${keyOf(array)}`, name: array.getText(), elements, elementKind: elements[0]?.kind };
  }

  /** `xs.slice()`, `xs.reverse()`, `Array.from(xs)`, `xs.toSorted(...)`: the same elements, in the order the call leaves them. */
  private resolveCopy(call: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.getName();
    const source = callee.getExpression().getText() === 'Array' && method === 'from' && call.getArguments().length === 1
      ? call.getArguments()[0]!
      : /^(slice|reverse|toReversed|sort|toSorted|concat|filter)$/.test(method) ? callee.getExpression() : undefined;
    if (!source) return undefined;
    const base = this.resolve(source, env, depth + 1);
    if (!base) return undefined;
    const copy: Value = { id: base.id, name: base.name, elementKind: base.elementKind, declaration: base.declaration };
    // Only copies and reversals keep a known order; a sort or a filter makes it unknown.
    if (base.elements && (method === 'from' || (method === 'slice' && call.getArguments().length === 0))) copy.elements = base.elements;
    if (base.elements && (method === 'reverse' || method === 'toReversed')) copy.elements = [...base.elements].reverse();
    return copy;
  }

  /** `map.get(key)` on a collection of locks: the element under that key, as `base[key]` is. */
  private resolveGet(call: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    const [key] = call.getArguments();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'get' || !key || call.getArguments().length !== 1) return undefined;
    const base = this.resolve(callee.getExpression(), env, depth + 1);
    if (!base) return undefined;
    const kind = base.elementKind ?? classOfTypeAt(call);
    if (!kind) return undefined;
    const constant = constantKey(key) ?? this.boundConstant(key, env);
    const value = this.element({ ...base, elementKind: kind }, key, env);
    const shown = this.boundKey(key, env)?.name ?? key.getText();
    // A Map's keys are not properties: `get('a')` and a field `a` of the Map object are unrelated.
    if (typeof constant === 'string') return { ...value, id: `${base.id}[${JSON.stringify(constant)}]`, name: `${base.name}.get(${shown})` };
    return { ...value, name: `${base.name}.get(${shown})`, identityName: value.identityName && `${base.name}.get(*)` };
  }

  /** `this.flush.bind(this)`: the method, with `this` bound to the argument. */
  private resolveBind(call: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'bind') return undefined;
    const fn = this.resolve(callee.getExpression(), env, depth + 1);
    if (!fn?.fn) return undefined;
    const [receiver] = call.getArguments();
    const thisValue = receiver ? this.resolve(receiver, env, depth + 1) : undefined;
    return { ...fn, closure: { ...(fn.closure ?? EMPTY_ENV), thisValue } };
  }

  /** `Mutex.from(handle)`: the same lock as the handle's origin when it can be traced, else the call itself. */
  private resolveFrom(call: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isCallExpression(call)) return undefined;
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'from') return undefined;
    const kind = runtimeClassOfIdentifier(callee.getExpression());
    if (!kind) return undefined;
    const argument = call.getArguments()[0];
    const origin = argument ? this.resolve(argument, env, depth + 1) : undefined;
    if (origin) return { ...origin, kind: origin.kind ?? kind };
    return { id: `from:${keyOf(call)}`, name: argument?.getText() ?? 'from()', kind, declaration: call };
  }

  private resolveIdentifier(identifier: Node, env: Env, depth: number): Value | undefined {
    const imported = declarationOf(identifier);
    if (imported && Node.isImportSpecifier(imported) && imported.getName() === 'workerData' &&
        /^(node:)?worker_threads$/.test(imported.getImportDeclaration().getModuleSpecifierValue())) {
      // One identity per worker file, unless a spawn site binds its fields (then `member` looks them up).
      const whole = env.workerData?.get(WHOLE_WORKER_DATA);
      if (whole) return whole;
      return { id: env.workerData ? 'workerData' : `workerData:${identifier.getSourceFile().getFilePath()}`, name: 'workerData' };
    }
    const declaration = aliasedDeclarationOf(identifier);
    if (!declaration) return undefined;
    if (env.bindings.has(declaration)) return env.bindings.get(declaration);
    return this.resolveDeclaration(declaration, env, depth);
  }

  resolveDeclaration(declaration: Node, env: Env, depth: number): Value | undefined {
    const name = Node.hasName(declaration) ? declaration.getName() : declaration.getText();
    if (Node.isFunctionDeclaration(declaration) || Node.isMethodDeclaration(declaration)) return { ...functionValue(declaration, name, env), id: keyOf(declaration) };
    if (Node.isParameterDeclaration(declaration)) {
      const typeNode = declaration.getTypeNode();
      return {
        id: `param:${keyOf(declaration)}`,
        name,
        kind: runtimeClassOfTypeNode(typeNode),
        elementKind: runtimeElementClassOfTypeNode(typeNode),
        declaration,
      };
    }
    if (Node.isVariableDeclaration(declaration)) {
      const loop = declaration.getParent()?.getParent();
      if (loop && Node.isForOfStatement(loop) && Node.isIdentifier(declaration.getNameNode())) {
        // `for (const lock of locks)`: one element of what the loop iterates, told apart from others by the variable.
        const collection = this.resolve(loop.getExpression(), env, depth + 1);
        if (collection) return { id: `${collection.id}[*]`, name, kind: collection.elementKind, declaration, index: name, identityName: `${collection.name}[*]` };
      }
      const initializer = declaration.getInitializer();
      const typeNode = declaration.getTypeNode();
      const inner = initializer ? unwrap(initializer) : undefined;
      if (inner && (Node.isIdentifier(inner) || Node.isPropertyAccessExpression(inner) || Node.isElementAccessExpression(inner) || inner.getKind() === SyntaxKind.ThisKeyword || Node.isCallExpression(inner) || Node.isBinaryExpression(inner))) {
        const aliased = this.resolve(inner, env, depth + 1);
        if (aliased) return aliased;
      }
      if (inner && (Node.isArrowFunction(inner) || Node.isFunctionExpression(inner))) return { ...functionValue(inner, name, env), id: keyOf(declaration), declaration };
      const kind = (inner && classOfNew(inner)) ?? runtimeClassOfTypeNode(typeNode);
      const options = inner ? constructorOptions(inner) : {};
      // `const shared = { bufferLock: lock.handle, ... }`: its own identity, and its fields' values for `shared.bufferLock`.
      const fields = inner && Node.isObjectLiteralExpression(inner) ? this.resolveObject(inner, env, depth)?.fields : undefined;
      return {
        ...(fields ? { fields } : {}),
        id: keyOf(declaration),
        name: options.name ?? name,
        kind,
        elementKind: (inner && elementClassOfInitializer(inner)) ?? runtimeElementClassOfTypeNode(typeNode),
        rank: options.rank,
        declaration,
      };
    }
    if (Node.isBindingElement(declaration)) {
      // `const { a, b } = source` / `const [x, y] = source`: the property (or element) of what `source` is.
      const pattern = declaration.getParentOrThrow();
      const holder = pattern.getParentOrThrow();
      const source = Node.isVariableDeclaration(holder) || Node.isParameterDeclaration(holder) ? holder.getInitializer() : undefined;
      const sourceValue = source ? this.resolve(source, env, depth + 1) : undefined;
      if (!sourceValue) return { id: keyOf(declaration), name, declaration };
      const key = Node.isArrayBindingPattern(pattern)
        ? String(pattern.getElements().indexOf(declaration))
        : (declaration.getPropertyNameNode()?.getText() ?? declaration.getName());
      return this.member(sourceValue, key, Node.isArrayBindingPattern(pattern), env);
    }
    const assigned = assignedValue(declaration);
    if (assigned) {
      // A JavaScript field declared by its assignment (`this.lock = new Mutex()` in the constructor).
      const options = constructorOptions(unwrap(assigned));
      return { id: keyOf(declaration), name, kind: classOfNew(unwrap(assigned)), elementKind: elementClassOfInitializer(assigned), rank: options.rank, declaration };
    }
    if (Node.isPropertyDeclaration(declaration) || Node.isPropertyAssignment(declaration) || Node.isPropertySignature(declaration)) {
      const initializer = Node.isPropertySignature(declaration) ? undefined : declaration.getInitializer();
      const options = initializer ? constructorOptions(unwrap(initializer)) : {};
      const typeNode = Node.isPropertyAssignment(declaration) ? undefined : declaration.getTypeNode();
      return {
        id: keyOf(declaration),
        name,
        kind: (initializer && classOfNew(unwrap(initializer))) ?? runtimeClassOfTypeNode(typeNode),
        elementKind: (initializer && elementClassOfInitializer(initializer)) ?? runtimeElementClassOfTypeNode(typeNode),
        rank: options.rank,
        declaration,
      };
    }
    return undefined;
  }

  private member(base: Value, key: string, isIndex: boolean, env: Env): Value {
    const field = isIndex ? base.elements?.[Number(key)] : base.fields?.get(key);
    if (field) return field;
    if (base.id === 'workerData' && env.workerData?.has(key)) return env.workerData.get(key)!;
    const value: Value = { id: isIndex ? `${base.id}[${key}]` : `${base.id}.${key}`, name: isIndex ? `${base.name}[${key}]` : `${base.name}.${key}`, kind: isIndex ? base.elementKind : undefined };
    // `const { mutex } = this`: the same instance field as `this.mutex`.
    const owner = isIndex ? undefined : classOfReceiver(base);
    if (owner) value.instance = instanceField(base, owner, key);
    return value;
  }

  private resolveProperty(access: Node, env: Env, depth: number): Value | undefined {
    if (!Node.isPropertyAccessExpression(access)) return undefined;
    const name = access.getName();
    const baseExpression = access.getExpression();
    // A handle travels as `lock.handle`; for tracing it is the lock itself.
    if (name === 'handle') return this.resolve(baseExpression, env, depth + 1);
    const symbol = symbolOf(access.getNameNode());
    const declaration = symbol?.getDeclarations()[0];
    if (declaration && Node.isGetAccessorDeclaration(declaration)) {
      const returned = declaration.getBody()?.getDescendantsOfKind(SyntaxKind.ReturnStatement)[0]?.getExpression();
      const receiver = this.resolve(baseExpression, env, depth + 1);
      if (returned) return this.resolve(returned, { ...env, thisValue: receiver }, depth + 1);
    }
    const base = this.resolve(baseExpression, env, depth + 1);
    const field = base?.fields?.get(name);
    if (field) return field;
    if (base && declaration && (Node.isMethodDeclaration(declaration) || isArrowProperty(declaration))) {
      // `this.flush` handed to a wrapper: the method, run with this receiver.
      const method = Node.isMethodDeclaration(declaration) ? declaration : (declaration as Node & { getInitializer(): Node }).getInitializer();
      return { ...functionValue(method, `${base.name}.${name}`, { bindings: new Map(), thisValue: base }), id: `${base.id}.${name}`, declaration };
    }
    if (base && declaration) {
      const bound = this.constructorArgument(base, declaration, env, depth);
      if (bound) return bound;
    }
    const fieldValue = declaration ? this.resolveDeclaration(declaration, env, depth + 1) : undefined;
    if (!base) return fieldValue;
    if (base.id === 'workerData' && env.workerData?.has(name)) return env.workerData.get(name);
    if (base.id === 'message' && env.messages?.has(name)) return env.messages.get(name);
    // Module namespace objects and module-level object literals: the member's own declaration is the identity.
    if (declaration && Node.isPropertyAssignment(declaration) && base.declaration && Node.isVariableDeclaration(base.declaration)) {
      return fieldValue && { ...fieldValue, name: `${base.name}.${name}` };
    }
    // No type checker here: callers that need a lock ask for the type only when syntax could not tell.
    const value: Value = {
      id: `${base.id}.${name}`,
      name: `${base.name}.${name}`,
      kind: fieldValue?.kind,
      elementKind: fieldValue?.elementKind,
      rank: fieldValue?.rank,
      declaration: fieldValue?.declaration ?? declaration,
    };
    const owner = declaration && (fieldOwner(declaration) ?? structuralOwner(declaration));
    if (owner) value.instance = instanceField(base, owner, name);
    return value;
  }

  /**
   * `forward.src` where `const forward = new Pipe(left, right)` and `src` is a constructor parameter property (or a
   * field the constructor sets from a parameter): the argument passed for it at that `new` site.
   */
  private constructorArgument(base: Value, field: Node, env: Env, depth: number): Value | undefined {
    const holder = base.declaration;
    if (!holder || !(Node.isVariableDeclaration(holder) || Node.isPropertyDeclaration(holder))) return undefined;
    const initializer = holder.getInitializer();
    const created = initializer && unwrap(initializer);
    if (!created || !Node.isNewExpression(created)) return undefined;
    const owner = fieldOwner(field);
    const constructor = owner?.getConstructors().find((c) => c.getBody() !== undefined) ?? owner?.getConstructors()[0];
    if (!owner || !constructor) return undefined;
    const classSymbol = symbolOf(created.getExpression());
    const target = (classSymbol?.isAlias() ? classSymbol.getAliasedSymbol() : classSymbol)?.getDeclarations()[0];
    if (target !== owner) return undefined;
    const name = Node.hasName(field) ? field.getName() : undefined;
    const parameters = constructor.getParameters();
    let index = Node.isParameterDeclaration(field) && field.isParameterProperty() ? parameters.indexOf(field) : -1;
    if (index < 0 && name !== undefined) {
      // `this.src = src;` in the constructor body.
      for (const statement of constructor.getBody()?.getChildSyntaxList()?.getChildren() ?? []) {
        const expression = Node.isExpressionStatement(statement) ? statement.getExpression() : undefined;
        if (!expression || !Node.isBinaryExpression(expression) || expression.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue;
        const left = expression.getLeft();
        const right = unwrap(expression.getRight());
        if (!Node.isPropertyAccessExpression(left) || left.getExpression().getKind() !== SyntaxKind.ThisKeyword || left.getName() !== name) continue;
        const parameter = Node.isIdentifier(right) ? declarationOf(right) : undefined;
        if (parameter && Node.isParameterDeclaration(parameter)) index = parameters.indexOf(parameter);
      }
    }
    const argument = index >= 0 ? created.getArguments()[index] : undefined;
    return argument ? this.resolve(argument, env, depth + 1) : undefined;
  }
}

/** A function value made where `env` holds: its identity is the function's own until a declaration names it. */
function functionValue(fn: Node, name: string, env: Env): Value {
  return { id: `fn:${keyOf(fn)}`, name, fn, closure: env, declaration: fn };
}

/** A class field initialised with an arrow function (`flush = () => ...`): called like a method. */
function isArrowProperty(declaration: Node): boolean {
  if (!Node.isPropertyDeclaration(declaration)) return false;
  const initializer = declaration.getInitializer();
  return initializer !== undefined && (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer));
}

/** `a`, `'a'` or `a()` in an object literal: the property's name; undefined for a spread or a computed name. */
function plainPropertyName(property: Node): string | undefined {
  if (!(Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property) || Node.isMethodDeclaration(property) || Node.isGetAccessorDeclaration(property) || Node.isSetAccessorDeclaration(property))) return undefined;
  return Node.isComputedPropertyName(property.getNameNode()) ? undefined : property.getName();
}

/** How a test reads `true`, `false`, `null` or `undefined` written in the program; undefined for anything else. */
export function literalTruth(node: Node): boolean | undefined {
  const kind = node.getKind();
  if (kind === SyntaxKind.TrueKeyword) return true;
  if (kind === SyntaxKind.FalseKeyword || kind === SyntaxKind.NullKeyword) return false;
  if (Node.isIdentifier(node) && node.getText() === 'undefined') return false;
  return undefined;
}

/** A key known before the program runs: a number or string literal, or a `const` initialised with one. */
function constantKey(argument: Node): number | string | undefined {
  const node = unwrap(argument);
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (!Node.isIdentifier(node)) return undefined;
  const declaration = declarationOf(node);
  if (!declaration || !Node.isVariableDeclaration(declaration) || !(declaration.getVariableStatement()?.getDeclarationKind() === 'const')) return undefined;
  const initializer = declaration.getInitializer();
  const literal = initializer && unwrap(initializer);
  if (literal && Node.isNumericLiteral(literal)) return literal.getLiteralValue();
  if (literal && (Node.isStringLiteral(literal) || Node.isNoSubstitutionTemplateLiteral(literal))) return literal.getLiteralValue();
  return undefined;
}

/**
 * An index whose place among two is fixed by a comparison: `Math.min(i, j)` comes before `Math.max(i, j)`, and `lo`
 * before `hi` in `const [lo, hi] = i < j ? [i, j] : [j, i]`. Two elements with one pair, taken lower first, can
 * never wait on each other in a circle.
 */
function provableOrder(argument: Node): Value['indexOrder'] {
  const node = unwrap(argument);
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression().getText();
    const args = node.getArguments().map((a) => a.getText()).sort().join(',');
    if (callee === 'Math.min') return { pair: `minmax:${args}`, position: 0 };
    if (callee === 'Math.max') return { pair: `minmax:${args}`, position: 1 };
    return undefined;
  }
  if (!Node.isIdentifier(node)) return undefined;
  const declaration = declarationOf(node);
  // `const lo = Math.min(i, j)`: the order of what it holds.
  if (declaration && Node.isVariableDeclaration(declaration) && Node.isIdentifier(declaration.getNameNode())) {
    const initializer = declaration.getInitializer();
    return initializer && Node.isCallExpression(unwrap(initializer)) ? provableOrder(initializer) : undefined;
  }
  if (!declaration || !Node.isBindingElement(declaration)) return undefined;
  const pattern = declaration.getParent();
  const holder = pattern?.getParent();
  if (!pattern || !Node.isArrayBindingPattern(pattern) || !holder || !Node.isVariableDeclaration(holder)) return undefined;
  const initializer = holder.getInitializer();
  const conditional = initializer && unwrap(initializer);
  if (!conditional || !Node.isConditionalExpression(conditional)) return undefined;
  const test = unwrap(conditional.getCondition());
  const [whenTrue, whenFalse] = [unwrap(conditional.getWhenTrue()), unwrap(conditional.getWhenFalse())];
  if (!Node.isBinaryExpression(test) || !/^[<>]=?$/.test(test.getOperatorToken().getText())) return undefined;
  if (!Node.isArrayLiteralExpression(whenTrue) || !Node.isArrayLiteralExpression(whenFalse)) return undefined;
  const a = whenTrue.getElements().map((e) => e.getText());
  const b = whenFalse.getElements().map((e) => e.getText());
  // The two arms must hold the same two values, swapped: then the pattern's first element is always one side of the comparison.
  if (a.length !== 2 || b.length !== 2 || a[0] !== b[1] || a[1] !== b[0]) return undefined;
  const position = pattern.getElements().indexOf(declaration);
  return position === 0 || position === 1 ? { pair: `sorted:${keyOf(holder)}`, position } : undefined;
}

/**
 * The function a key is a local variable or parameter of: given the key's declaration (a bound key) or the key
 * expression itself (an identifier naming one). Module-level keys have none: every call sees the same one.
 */
function keyScope(node: Node | undefined): Node | undefined {
  let declaration = node;
  if (declaration && Node.isIdentifier(declaration)) declaration = declarationOf(declaration);
  if (!declaration || !(Node.isVariableDeclaration(declaration) || Node.isParameterDeclaration(declaration) || Node.isBindingElement(declaration))) return undefined;
  return declaration.getFirstAncestor(isFunctionLike);
}

/** The instance-field identity of `base.field` when `base` is an unbound `this` or parameter (see Value.instance). */
function instanceField(base: Value, owner: ClassDeclaration | InterfaceDeclaration | TypeLiteralNode, field: string): Value['instance'] {
  if (!base.id.startsWith('this:') && !base.id.startsWith('param:')) return undefined;
  const className = Node.isTypeLiteral(owner) ? 'object' : (owner.getName() ?? 'class');
  return { owner: ownerKey(owner), field, className, receiver: base.id };
}

/**
 * A class or interface is one owner wherever it is named. An object type written out at each parameter (`transfer(a:
 * { m: Mutex }, b: { m: Mutex })`) is one node per parameter, so the same members in one file are one owner: `a.m`
 * and `b.m` are then one field of two receivers, as when both parameters name an interface.
 */
function ownerKey(owner: ClassDeclaration | InterfaceDeclaration | TypeLiteralNode): string {
  if (!Node.isTypeLiteral(owner)) return keyOf(owner);
  const members = owner.getMembers().map((member) => member.getText().replace(/[\s;,]+/g, ' ').trim());
  return `${owner.getSourceFile().getFilePath()}:{${members.join('; ')}}`;
}

/**
 * The interface or object type a property signature belongs to, for a parameter typed structurally (`account: {
 * mutex: Mutex }`): `a.mutex` and `b.mutex` are one field of two receivers, as for a class.
 */
function structuralOwner(declaration: Node): InterfaceDeclaration | TypeLiteralNode | undefined {
  if (!Node.isPropertySignature(declaration)) return undefined;
  const owner = declaration.getParent();
  return owner && (Node.isInterfaceDeclaration(owner) || Node.isTypeLiteral(owner)) ? owner : undefined;
}

/** The class of an unbound `this` (its declaration) or of a parameter typed with a class of the program. */
function classOfReceiver(base: Value): ClassDeclaration | undefined {
  const declaration = base.declaration;
  if (!declaration) return undefined;
  if (Node.isClassDeclaration(declaration)) return declaration;
  if (!Node.isParameterDeclaration(declaration)) return undefined;
  const target = declaration.getType().getSymbol()?.getDeclarations()[0];
  return target && Node.isClassDeclaration(target) ? target : undefined;
}

/**
 * The class of the object a value is, where the program says so: an unbound `this`, a parameter typed with a
 * class, or a variable or field initialised with `new C(...)`. Calls on it dispatch to that class's overrides.
 */
export function classOfValue(value: Value): ClassDeclaration | undefined {
  const declaration = value.declaration;
  if (!declaration) return undefined;
  if (Node.isClassDeclaration(declaration)) return value.id.startsWith('this:') ? declaration : undefined;
  if (Node.isParameterDeclaration(declaration)) return classOfReceiver(value);
  const initializer = Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration) ? declaration.getInitializer() : undefined;
  const created = initializer && unwrap(initializer);
  if (!created || !Node.isNewExpression(created)) return undefined;
  const target = aliasedDeclarationOf(created.getExpression());
  return target && Node.isClassDeclaration(target) ? target : undefined;
}

/** The class a field belongs to: a property declaration, or a constructor parameter property. */
function fieldOwner(declaration: Node): ClassDeclaration | undefined {
  const member = Node.isParameterDeclaration(declaration) && declaration.isParameterProperty() ? declaration.getParent() : declaration;
  if (!Node.isPropertyDeclaration(declaration) && member === declaration) return undefined;
  const owner = member?.getParent();
  return owner && Node.isClassDeclaration(owner) ? owner : undefined;
}

/** The runtime class of an expression by its checked type; used only where syntax could not tell. */
export function classOfTypeAt(node: Node): RuntimeClass | undefined {
  try {
    return runtimeClassOfType((node as Expression).getType());
  } catch {
    return undefined;
  }
}
