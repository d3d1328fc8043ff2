/**
 * The one name a lock goes by in every message, quick-fix title, hover and graph node: the `name` it was created with
 * (`new Mutex({ name: 'accounts' })`, which is also what the runtime and the live graph call it), else its
 * declaration (`Cache.dataLock` for a class field, `ledgerLock` for a variable, `locks.audit` for a property of an
 * object literal), never the path some caller reached it by (`s37.ledgerLock`, `workerData.accounts`). An element of
 * a collection keeps its index (`forks[i]`), and as a graph node stands for every index (`forks[*]`).
 */
import { Node, SyntaxKind, type BinaryExpression, type ClassDeclaration, type ClassExpression } from 'ts-morph';
import { constructorOptions, keyOf, unwrap, type Value } from './values.js';

/** The name of this access of the lock, for messages: `accounts`, `Pool.slots[i]`. */
export function lockName(lock: Value): string {
  const base = declaredName(lock.declaration);
  return base === undefined ? lock.name : base + accessTail(lock, false);
}

/** The name of the lock's identity, for the graph: the same as lockName, with `[*]` for any index of a collection. */
export function lockIdentityName(lock: Value): string {
  const whole = lock.identityName ?? lock.name;
  const declaration = lock.declaration;
  // `for (const lock of locks)`: the loop variable names one element; the identity is the collection's.
  if (declaration !== undefined && isLoopVariable(declaration)) return whole;
  const base = declaredName(declaration);
  return base === undefined ? whole : base + accessTail(lock, true);
}

/** The class whose field the lock is (`Cache` for `Cache.dataLock`, whatever the lock's `name`), if it is one. */
export function lockOwner(lock: Value): string | undefined {
  const declaration = lock.declaration;
  if (declaration === undefined || !(Node.isPropertyDeclaration(declaration) || (Node.isParameterDeclaration(declaration) && declaration.isParameterProperty()))) return undefined;
  const owner = declaration.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a));
  return owner !== undefined && Node.hasName(owner) ? owner.getName() : undefined;
}

/** Where the lock is created, for navigation: the `new` (or the field or variable it initialises), else its declaration. */
export function creationSite(lock: Value): Node | undefined {
  const declaration = lock.declaration;
  if (declaration === undefined) return undefined;
  if (Node.isPropertyDeclaration(declaration) && declaration.getInitializer() === undefined) return constructorAssignment(declaration) ?? declaration;
  return declaration;
}

/**
 * The part of the lock's identity past its declaration: `[*]` or `[0]` for an element of a declared collection,
 * `.price-feed` for a key of a declared object. In a message an element is named as the code indexes it (`[i]`,
 * `.get(key)`), so `forks[i]` and `forks[i + 1]` stay apart.
 */
function accessTail(lock: Value, identity: boolean): string {
  const key = lock.declaration === undefined ? undefined : keyOf(lock.declaration);
  if (key === undefined || !lock.id.startsWith(key) || lock.id.length === key.length) return '';
  const tail = lock.id.slice(key.length);
  if (identity) return tail;
  return /(\[[^[\]]*\]|\.get\([^()]*\))$/.exec(lock.name)?.[1] ?? tail;
}

function isLoopVariable(declaration: Node): boolean {
  const statement = declaration.getParent()?.getParent();
  return Node.isVariableDeclaration(declaration) && statement !== undefined && (Node.isForOfStatement(statement) || Node.isForInStatement(statement));
}

/** The name a declaration gives its lock, or undefined when it gives none (a bare `new Mutex()` argument). */
function declaredName(declaration: Node | undefined): string | undefined {
  if (declaration === undefined) return undefined;
  const created = creation(declaration);
  const option = created === undefined ? undefined : constructorOptions(created).name;
  if (option !== undefined) return option;
  if (Node.isNewExpression(declaration)) return holderName(declaration);
  const name = identifierOf(declaration);
  if (name === undefined) return undefined;
  if (Node.isPropertyDeclaration(declaration) || Node.isPropertySignature(declaration) || (Node.isParameterDeclaration(declaration) && declaration.isParameterProperty())) {
    // A field is named with its class (or interface), as a reader finds it: `Cache.dataLock`.
    const owner = declaration.getFirstAncestor((a) => Node.isClassDeclaration(a) || Node.isClassExpression(a) || Node.isInterfaceDeclaration(a));
    const ownerName = owner !== undefined && Node.hasName(owner) ? owner.getName() : undefined;
    return ownerName === undefined ? name : `${ownerName}.${name}`;
  }
  if (Node.isPropertyAssignment(declaration) || Node.isShorthandPropertyAssignment(declaration)) {
    // `const locks = { audit: new Mutex() }`: `locks.audit`.
    const holder = declaration.getParent()?.getParent();
    return holder !== undefined && Node.isVariableDeclaration(holder) && Node.isIdentifier(holder.getNameNode()) ? `${holder.getName()}.${name}` : name;
  }
  return name;
}

/**
 * A `new` with no name of its own, named by what holds it: the property or variable it initialises
 * (`locks.audit` in `const locks = { audit: new Mutex() }`), or its place in an array a variable holds (`shards[0]`).
 */
function holderName(created: Node): string | undefined {
  let node = created;
  while (node.getParent() !== undefined && unwrap(node.getParentOrThrow()) === node) node = node.getParentOrThrow();
  const parent = node.getParent();
  if (parent === undefined) return undefined;
  if (Node.isPropertyAssignment(parent) || Node.isVariableDeclaration(parent) || Node.isPropertyDeclaration(parent)) return declaredName(parent);
  if (Node.isArrayLiteralExpression(parent)) {
    const holder = parent.getParent();
    const index = parent.getElements().indexOf(node as never);
    return holder !== undefined && Node.isVariableDeclaration(holder) && Node.isIdentifier(holder.getNameNode()) ? `${holder.getName()}[${index}]` : undefined;
  }
  return undefined;
}

/** The identifier a declaration binds, when it binds one (not a destructuring pattern). */
function identifierOf(declaration: Node): string | undefined {
  if (
    Node.isVariableDeclaration(declaration) || Node.isParameterDeclaration(declaration) || Node.isBindingElement(declaration) ||
    Node.isPropertyDeclaration(declaration) || Node.isPropertySignature(declaration) || Node.isPropertyAssignment(declaration) ||
    Node.isShorthandPropertyAssignment(declaration)
  ) {
    const name = declaration.getNameNode();
    // `#mutex` is a name too (a private field), as is a quoted key of an object literal.
    return Node.isIdentifier(name) || Node.isPrivateIdentifier(name) || Node.isStringLiteral(name) ? declaration.getName() : undefined;
  }
  return undefined;
}

/** The `new` that creates the lock a declaration holds, if it is right there. */
function creation(declaration: Node): Node | undefined {
  if (Node.isNewExpression(declaration)) return declaration;
  if (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration) || Node.isPropertyAssignment(declaration)) {
    const initializer = declaration.getInitializer();
    if (initializer !== undefined) return Node.isNewExpression(unwrap(initializer)) ? unwrap(initializer) : undefined;
    if (Node.isPropertyDeclaration(declaration)) {
      const assigned = constructorAssignment(declaration)?.getRight();
      return assigned !== undefined && Node.isNewExpression(unwrap(assigned)) ? unwrap(assigned) : undefined;
    }
  }
  return undefined;
}

/** `this.field = ...` in the constructor of the field's class, for a field declared without an initializer. */
function constructorAssignment(field: Node): BinaryExpression | undefined {
  if (!Node.isPropertyDeclaration(field)) return undefined;
  const owner = field.getParent() as ClassDeclaration | ClassExpression;
  for (const constructor of owner.getConstructors()) {
    for (const assignment of constructor.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
      const left = assignment.getLeft();
      if (assignment.getOperatorToken().getKind() === SyntaxKind.EqualsToken && Node.isPropertyAccessExpression(left) &&
          left.getExpression().getKind() === SyntaxKind.ThisKeyword && left.getName() === field.getName()) {
        return assignment;
      }
    }
  }
  return undefined;
}
