/**
 * The call graph of the analysed files: which function a call runs (by symbol, through imports and methods),
 * who calls each function, which functions are roots, and which callbacks run in place (withLock, forEach, IIFEs).
 * It is built lazily: one pass over the compiler's nodes indexes functions and calls by name, and the type checker
 * is asked about a call only when a question needs it (a walked call, the callers of a walked function).
 */
import { Node, ts, type CallExpression, type SourceFile } from 'ts-morph';
import { getOrInsert } from '../maps.js';
import { wrap } from '../detect/compiler-walk.js';
import { CustomLockModels } from './custom-locks.js';
import { isCompilerFunctionLike, isFunctionLike } from './function-like.js';
import { aliasedSymbolOf } from './symbol-cache.js';

const IN_PLACE_METHODS = new Set([
  'withLock', 'withLockAsync', 'withPermit', 'runExclusive',
  'forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'reduce', 'flatMap', 'sort',
]);
const IN_PLACE_FUNCTIONS = new Set(['lockAll', 'lockAllAsync']);

/**
 * Text that shows a function may take or release a lock itself; `this.#releaseLock?.()` is a releaser kept in a
 * field, called by a method that took nothing (a hand-off the walk must see).
 */
const LOCKING_TEXT = /\.(lock|unlock|tryLock|lockAsync|withLock|withLockAsync|acquire|acquireAsync|tryAcquire|release|withPermit)\s*\(|\bthis\s*\.\s*#?(release|unlock)\w*\s*(\?\.\s*)?\(|\block(All|AllAsync)\s*\(|\busing\s|\.(runExclusive|waitForUnlock)\s*\(|\blocks\s*[?!]?\s*\.\s*request\s*\(|\bLockManager\b/;

/**
 * A function expression run before its call returns: `m.withLock(() => ...)`, `xs.forEach(...)`, `lockAll(..., fn)`, an
 * IIFE, or a configured lock model's run-under method (`inPlace`, from `CustomLockModels.runUnderMethods`).
 */
export function isCompilerInlineCallback(node: ts.Node, inPlace?: ReadonlySet<string>): boolean {
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) return false;
  let child: ts.Node = node;
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent || !ts.isCallExpression(parent)) return false;
  return parent.expression === child || runsCallbacksInPlace(parent, inPlace);
}

/** A call that runs the functions it is given before it returns: `m.withLock(f)`, `xs.forEach(f)`, `lockAll(ls, f)`. */
function runsCallbacksInPlace(call: ts.CallExpression, inPlace: ReadonlySet<string> | undefined): boolean {
  const name = calleeName(call);
  if (name === undefined) return false;
  if (name === 'request' && ts.isPropertyAccessExpression(call.expression)) return isLocksReceiver(call.expression.expression);
  if (!ts.isPropertyAccessExpression(call.expression)) return IN_PLACE_FUNCTIONS.has(name);
  return IN_PLACE_METHODS.has(name) || inPlace?.has(name) === true;
}

/** `navigator.locks` or `locks` (from worker_threads): the receiver of a Web Locks request, whose callback runs under the lock. */
function isLocksReceiver(expression: ts.Expression): boolean {
  let receiver = expression;
  while (ts.isNonNullExpression(receiver) || ts.isParenthesizedExpression(receiver) || ts.isAsExpression(receiver)) receiver = receiver.expression;
  return (ts.isIdentifier(receiver) && receiver.text === 'locks') || (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'locks');
}

/** The name of a function passed by reference: `handle`, `this.evict`, `this.evict.bind(this)`. */
function referenceName(argument: ts.Expression): string | undefined {
  let node = argument;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'bind') node = node.expression.expression;
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The name a call would use for this function: its own, or the variable or property it initialises. */
function declaredName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && !ts.isComputedPropertyName(node.name)) {
    return ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) ? node.name.text : undefined;
  }
  const parent = node.parent;
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && parent && (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent))) {
    return ts.isIdentifier(parent.name) ? parent.name.text : undefined;
  }
  return undefined;
}

/**
 * The first member declaring a private name (`#name`) in the nearest enclosing class that declares it: what the
 * checker's symbol for it lists first (a private name cannot be declared by assignment or merged from elsewhere).
 */
function privateMember(name: ts.PrivateIdentifier): ts.ClassElement | undefined {
  for (let node: ts.Node | undefined = name.parent; node; node = node.parent) {
    if (!ts.isClassLike(node)) continue;
    const member = node.members.find((m) => m.name !== undefined && ts.isPrivateIdentifier(m.name) && m.name.text === name.text);
    if (member) return member;
  }
  return undefined;
}

/** The names of a function's plain parameters (destructured ones name no callback). */
function parameterNames(fn: ts.SignatureDeclaration): string[] {
  const names: string[] = [];
  for (const parameter of fn.parameters) if (ts.isIdentifier(parameter.name)) names.push(parameter.name.text);
  return names;
}

interface RawFunction {
  file: SourceFile;
  node: ts.Node;
  name: string | undefined;
  calls: ts.CallExpression[];
  /** Names of functions it passes by reference to calls that run them in place (`items.forEach(handle)`). */
  refs: string[];
  /** Its own text takes or releases a lock. */
  locks: boolean;
  /** It calls a parameter, its own or an enclosing function's (`return await fn()`): a callback may take locks. */
  callsParameters: boolean;
}

/** One file's functions and named call sites, valid while the file's compiler node is the one indexed. */
interface FileIndex {
  compiler: ts.SourceFile;
  functions: RawFunction[];
  named: [string, ts.CallExpression][];
  /** The function each call is in (callbacks run in place belong to their enclosing function); absent at top level. */
  owners: Map<ts.CallExpression, RawFunction>;
  /** Every name a call can reach one of its functions by: their own names, the names they initialise, export aliases. */
  names: Set<string>;
  /** Names the file binds to other modules' values (imports, `require()`, `import()`): a call by one may reach a function of another name. */
  imports: Set<string>;
  /**
   * Names by which a call may reach a function of another name: export aliases (`export { a as b }`), and the
   * properties of object literals that may hold a function made elsewhere (`{ b: a }`, `{ b }`), which the walk
   * follows through the object's value (`tx.b()`).
   */
  aliases: Set<string>;
}

/**
 * What a CallGraph may reuse from an earlier analysis of the same Project: file indexes (checked against the
 * file's current compiler node) and call targets, which the owner must drop for every file whose meaning may have
 * changed (see ModelMemory).
 */
export interface CallGraphMemory {
  readonly indexes: Map<string, FileIndex>;
  /** Targets the checker resolved, by the path of the calling file. */
  readonly targets: Map<string, Map<CallExpression, Node | undefined>>;
  /** Each function's resolved callees (its calls' targets), by the path of its file. */
  readonly callees: Map<string, Map<Node, Node[]>>;
}

export function emptyCallGraphMemory(): CallGraphMemory {
  return { indexes: new Map(), targets: new Map(), callees: new Map() };
}

function indexFile(file: SourceFile, custom: CustomLockModels): FileIndex {
  const functions: RawFunction[] = [];
  const named: [string, ts.CallExpression][] = [];
  const owners = new Map<ts.CallExpression, RawFunction>();
  const names = new Set<string>();
  const imports = new Set<string>();
  const aliases = new Set<string>();
  const text = file.getFullText();
  const visit = (node: ts.Node, owner: RawFunction | undefined, parameters: ReadonlySet<string>): void => {
    let current = owner;
    noteNames(node, names, imports, aliases);
    let scope = parameters;
    if (isCompilerFunctionLike(node)) {
      const own = parameterNames(node as ts.SignatureDeclaration);
      if (own.length > 0) scope = new Set([...parameters, ...own]);
    }
    if (isCompilerFunctionLike(node) && !isCompilerInlineCallback(node, custom.runUnderMethods)) {
      const own = text.slice(node.getStart(file.compilerNode), node.end);
      current = { file, node, name: declaredName(node), calls: [], refs: [], locks: LOCKING_TEXT.test(own) || custom.lockingText?.test(own) === true, callsParameters: false };
      functions.push(current);
    }
    if (ts.isCallExpression(node) && current !== undefined) {
      current.calls.push(node);
      owners.set(node, current);
      if (ts.isIdentifier(node.expression) && scope.has(node.expression.text)) current.callsParameters = true;
      if (runsCallbacksInPlace(node, custom.runUnderMethods)) {
        for (const argument of node.arguments) {
          const name = referenceName(argument);
          if (name !== undefined) current.refs.push(name);
        }
      }
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name !== undefined) named.push([name, node]);
    }
    ts.forEachChild(node, (child) => visit(child, current, scope));
  };
  visit(file.compilerNode, undefined, new Set());
  return { compiler: file.compilerNode, functions, named, owners, names, imports, aliases };
}

/** The names a call can reach a function by, besides aliases: its own, and the variable or property it initialises. */
function namesOfFunction(node: ts.Node): string[] {
  const out: string[] = [];
  const own = (node as ts.Node & { name?: ts.Node }).name;
  if (own !== undefined && (ts.isIdentifier(own) || ts.isPrivateIdentifier(own) || ts.isStringLiteral(own) || ts.isNumericLiteral(own))) out.push(own.text);
  const declared = declaredName(node);
  if (declared !== undefined) out.push(declared);
  return out;
}

/** A property value that cannot be a function: a literal, or an object, array or class instance made in place. */
function isNonFunctionValue(node: ts.Expression): boolean {
  return ts.isLiteralExpression(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node) || ts.isObjectLiteralExpression(node) ||
    ts.isArrayLiteralExpression(node) || ts.isNewExpression(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword;
}

/**
 * Adds the names `node` gives functions (`names`), binds to other modules (`imports`), and may reach a function of
 * another name by (`aliases`); see FileIndex.
 */
function noteNames(node: ts.Node, names: Set<string>, imports: Set<string>, aliases: Set<string>): void {
  if (isCompilerFunctionLike(node)) {
    for (const name of namesOfFunction(node)) names.add(name);
  } else if (ts.isExportSpecifier(node)) {
    names.add(node.name.text);
    aliases.add(node.name.text);
  } else if (ts.isShorthandPropertyAssignment(node)) {
    aliases.add(node.name.text);
  } else if (ts.isPropertyAssignment(node) && !isNonFunctionValue(node.initializer)) {
    if (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) || ts.isNumericLiteral(node.name) || ts.isPrivateIdentifier(node.name)) aliases.add(node.name.text);
  } else if (ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isNamespaceImport(node) || ts.isImportEqualsDeclaration(node)) {
    if (node.name !== undefined) imports.add(node.name.text);
  } else if (ts.isVariableDeclaration(node) && node.initializer !== undefined && loadsModule(node.initializer)) {
    bindingNames(node.name, imports);
  }
}

/** `require('m')`, `await import('m')`, `require('m').x`: an expression whose value comes from another module. */
function loadsModule(expression: ts.Expression): boolean {
  let node: ts.Expression = expression;
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node) || ts.isPropertyAccessExpression(node)) node = node.expression;
  return ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'));
}

function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (ts.isBindingElement(element)) bindingNames(element.name, into);
}

export class CallGraph {
  private readonly inFiles: ReadonlySet<SourceFile>;
  private readonly raw = new Map<ts.Node, RawFunction>();
  private readonly byFile = new Map<SourceFile, FileIndex>();
  private readonly callsByName = new Map<string, [SourceFile, ts.CallExpression][]>();
  /** Functions that take or release a lock, themselves or (by name) through a call. */
  private readonly touching = new Set<ts.Node>();
  private readonly memory: CallGraphMemory;
  private readonly callerMemo = new Map<Node, CallExpression[]>();
  private readonly escapeMemo = new Map<Node, boolean>();
  private readonly lockingMemo = new Map<SourceFile, Node[]>();
  /** Every name a call can reach a function of the analysed files by (FileIndex.names of all files, and `default`). */
  private readonly functionNames = new Set<string>(['default']);
  /** Every name a call can reach a function the walk inlines by (see `mayInline`). */
  private readonly inlinedNames = new Set<string>(['default']);
  /** Every name a call can reach a function by from which a lock-touching function is reachable (see `mayLeadToLocks`). */
  private readonly leadingNames = new Set<string>(['default']);

  constructor(
    files: readonly SourceFile[],
    memory: CallGraphMemory = emptyCallGraphMemory(),
    /** Configured lock classes: their methods take locks and may run callbacks in place. Memory must match them. */
    private readonly custom: CustomLockModels = CustomLockModels.none,
  ) {
    this.inFiles = new Set(files);
    this.memory = memory;
    for (const file of files) {
      const path = file.getFilePath();
      let index = memory.indexes.get(path);
      if (index?.compiler !== file.compilerNode) {
        index = indexFile(file, custom);
        memory.indexes.set(path, index);
      }
      for (const fn of index.functions) this.raw.set(fn.node, fn);
      for (const name of index.names) this.functionNames.add(name);
      for (const [name, call] of index.named) {
        const sites = this.callsByName.get(name);
        if (sites) sites.push([file, call]);
        else this.callsByName.set(name, [[file, call]]);
      }
      this.byFile.set(file, index);
      for (const alias of index.aliases) {
        this.inlinedNames.add(alias);
        this.leadingNames.add(alias);
      }
    }
    this.propagateTouching();
    for (const fn of this.raw.values()) {
      if (fn.callsParameters || this.touching.has(fn.node)) for (const name of namesOfFunction(fn.node)) this.inlinedNames.add(name);
    }
    this.propagateLeading();
  }

  /**
   * The names of the functions from which a lock-touching function may be reached by calls, as far as names tell:
   * the touching ones, and any with a call by one of these names, an alias, or a name bound to another module.
   */
  private propagateLeading(): void {
    const leads = new Set<ts.Node>();
    const add = (fn: RawFunction): void => {
      leads.add(fn.node);
      for (const name of namesOfFunction(fn.node)) this.leadingNames.add(name);
    };
    for (const fn of this.raw.values()) if (this.touching.has(fn.node)) add(fn);
    for (let changed = true; changed; ) {
      changed = false;
      for (const fn of this.raw.values()) {
        if (leads.has(fn.node) || !fn.calls.some((call) => this.callMay(call, fn.file, this.leadingNames))) continue;
        add(fn);
        changed = true;
      }
    }
  }

  /** Whether a call may run a function named in `names` (or reached by a name bound to another module). */
  private callMay(call: ts.CallExpression, file: SourceFile, names: ReadonlySet<string>): boolean {
    let callee: ts.Expression = call.expression;
    while (ts.isNonNullExpression(callee) || ts.isParenthesizedExpression(callee)) callee = callee.expression;
    if (ts.isPropertyAccessExpression(callee)) return names.has(callee.name.text);
    if (!ts.isIdentifier(callee)) return true;
    return names.has(callee.text) || this.byFile.get(file)?.imports.has(callee.text) === true;
  }

  /**
   * The callees of `fn` (as `calleesOf`) from which a lock-touching function may be reached: calls that by their
   * names can lead to none are left unresolved, so finding what the lock-touching functions reach asks the type
   * checker only about the calls that matter.
   */
  calleesLeadingToLocks(fn: Node): Node[] {
    const info = this.raw.get(fn.compilerNode);
    if (info === undefined) return [];
    const callees: Node[] = [];
    for (const raw of info.calls) {
      if (calleeName(raw) === undefined || !this.callMay(raw, info.file, this.leadingNames)) continue;
      const target = this.calleeOf(wrap(info.file, raw) as CallExpression);
      if (target && !callees.includes(target)) callees.push(target);
    }
    return callees;
  }

  /**
   * Whether a call may run a function the walk inlines (one that touches locks or calls its parameters), as far as
   * names tell: such a function is reached by its own name, an alias (FileIndex.aliases) or a name bound to another
   * module. False lets the walk pass a call by without asking the type checker what it runs. A call of a parameter
   * bound at the call site being walked is the walker's to recognise.
   */
  mayInline(call: CallExpression): boolean {
    return this.callMay(call.compilerNode, call.getSourceFile(), this.inlinedNames);
  }

  /**
   * A function touches locks if its text does, or it calls (by name) a function that does: a cheap superset of the
   * symbol-resolved relation, so no call needs the type checker to decide what to walk.
   */
  private propagateTouching(): void {
    const names = new Set<string>();
    for (const fn of this.raw.values()) {
      if (!fn.locks) continue;
      this.touching.add(fn.node);
      if (fn.name) names.add(fn.name);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const fn of this.raw.values()) {
        if (this.touching.has(fn.node) || !(fn.calls.some((c) => names.has(calleeName(c) ?? '')) || fn.refs.some((r) => names.has(r)))) continue;
        this.touching.add(fn.node);
        changed = true;
        if (fn.name) names.add(fn.name);
      }
    }
  }

  /** Functions of a file (callbacks run in place excluded: they belong to their enclosing function) that may touch locks. */
  lockingFunctionsOf(file: SourceFile): readonly Node[] {
    return getOrInsert(this.lockingMemo, file, () =>
      (this.byFile.get(file)?.functions ?? []).filter((f) => this.touching.has(f.node)).map((f) => wrap(file, f.node)),
    );
  }

  /** Compiler nodes of the functions of a file that take and release no lock. */
  lockFreeFunctionsOf(file: SourceFile): ts.Node[] {
    return (this.byFile.get(file)?.functions ?? []).filter((f) => !this.touching.has(f.node)).map((f) => f.node);
  }

  callersOf(fn: Node): readonly CallExpression[] {
    let callers = this.callerMemo.get(fn);
    if (callers) return callers;
    const name = this.raw.get(fn.compilerNode)?.name;
    callers = [];
    for (const [file, raw] of (name !== undefined ? this.callsByName.get(name) : undefined) ?? []) {
      const call = wrap(file, raw) as CallExpression;
      if (this.calleeOf(call) === fn) callers.push(call);
    }
    this.callerMemo.set(fn, callers);
    return callers;
  }

  calleesOf(fn: Node): readonly Node[] {
    const info = this.raw.get(fn.compilerNode);
    if (info === undefined) return [];
    const memo = getOrInsert(this.memory.callees, info.file.getFilePath() as string, () => new Map<Node, Node[]>());
    let callees = memo.get(fn);
    if (callees) return callees;
    callees = [];
    for (const raw of info.calls) {
      if (calleeName(raw) === undefined) continue;
      const target = this.calleeOf(wrap(info.file, raw) as CallExpression);
      if (target && !callees.includes(target)) callees.push(target);
    }
    memo.set(fn, callees);
    return callees;
  }

  /** A root runs from somewhere the analysis cannot see: no known call site (its own recursive calls aside), or its value escapes. */
  isRoot(fn: Node): boolean {
    return this.isEscaping(fn) || this.callersOf(fn).every((call) => this.callerOf(call) === fn);
  }

  /** The function a call of the analysed files is in (as `enclosingFunction`, from the index); undefined at top level. */
  callerOf(call: CallExpression): Node | undefined {
    const file = call.getSourceFile();
    const owner = this.byFile.get(file)?.owners.get(call.compilerNode);
    return owner === undefined ? undefined : wrap(file, owner.node);
  }

  /** The function-like a call runs, when it is declared (with a body) in the analysed files. */
  calleeOf(call: CallExpression): Node | undefined {
    const targets = getOrInsert(this.memory.targets, call.getSourceFile().getFilePath() as string, () => new Map<CallExpression, Node | undefined>());
    if (targets.has(call)) return targets.get(call);
    const callee = call.getExpression();
    const nameNode = Node.isIdentifier(callee) ? callee : Node.isPropertyAccessExpression(callee) ? callee.getNameNode() : undefined;
    const target = nameNode && this.mayName(nameNode, call.getSourceFile()) ? this.functionNamed(nameNode) : undefined;
    targets.set(call, target);
    return target;
  }

  /**
   * The function a callback argument refers to by name (`reload`, `this.evict`, `this.evict.bind(this)`), when it is
   * declared with a body in the analysed files, and the expression its `this` is (`this` for `this.evict`).
   */
  referencedFunction(argument: Node): { target: Node; receiver?: Node } | undefined {
    let node = argument;
    while (Node.isParenthesizedExpression(node)) node = node.getExpression();
    if (Node.isCallExpression(node)) {
      const bind = node.getExpression();
      if (!Node.isPropertyAccessExpression(bind) || bind.getName() !== 'bind') return undefined;
      node = bind.getExpression();
    }
    if (Node.isIdentifier(node)) {
      const target = this.functionNamed(node);
      return target && { target };
    }
    if (Node.isPropertyAccessExpression(node)) {
      const target = this.functionNamed(node.getNameNode());
      return target && { target, receiver: node.getExpression() };
    }
    return undefined;
  }

  /**
   * Whether a callee's name can denote a function of the analysed files: no function is reachable by any other name
   * than those in `functionNames`, except through a name bound to another module (a renamed or default import), so a
   * call like `view.fill()` or `console.log()` is settled without asking the type checker, which is most of its cost.
   */
  private mayName(nameNode: Node, file: SourceFile): boolean {
    const name = nameNode.getText();
    if (this.functionNames.has(name)) return true;
    // A property name (`x.name`) reaches a function only by that name; a plain one may be an import of another.
    return !Node.isPropertyAccessExpression(nameNode.getParent()) && this.byFile.get(file)?.imports.has(name) === true;
  }

  /** The function-like (with a body, in the analysed files) a name denotes: a declaration, or a variable or field holding an arrow. */
  private functionNamed(nameNode: Node): Node | undefined {
    let declaration: Node | undefined;
    if (Node.isPrivateIdentifier(nameNode)) {
      // `this.#name`: private names are lexical, so the enclosing class's own member is the checker's answer too.
      const member = privateMember(nameNode.compilerNode);
      declaration = member && wrap(nameNode.getSourceFile(), member);
    } else {
      const symbol = aliasedSymbolOf(nameNode);
      declaration = symbol?.getDeclarations().find((d) => !Node.isMethodSignature(d)) ?? symbol?.getDeclarations()[0];
    }
    if (declaration && (Node.isVariableDeclaration(declaration) || Node.isPropertyDeclaration(declaration))) {
      const initializer = declaration.getInitializer();
      declaration = initializer && (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer)) ? initializer : undefined;
    }
    if (!declaration || !isFunctionLike(declaration) || !this.inFiles.has(declaration.getSourceFile())) return undefined;
    return (declaration as Node & { getBody?(): Node | undefined }).getBody?.() ? declaration : undefined;
  }

  /** The nearest enclosing function that is not a callback run in place (whose code belongs to its caller). */
  enclosingFunction(node: Node): Node | undefined {
    let current = node.getParent();
    while (current) {
      if (isFunctionLike(current) && !this.isInlineCallback(current)) return current;
      current = current.getParent();
    }
    return undefined;
  }

  isInlineCallback(fn: Node): boolean {
    return isCompilerInlineCallback(fn.compilerNode, this.custom.runUnderMethods);
  }

  /** Whether walking `fn` can change the held set: it locks or unlocks, or calls something that does. */
  touchesLocks(fn: Node): boolean {
    return this.touching.has(fn.compilerNode);
  }

  /**
   * Whether `fn` calls a callback it was handed (`return await fn()`): walked where it is inlined, since what it is
   * handed there may take locks. It is no root of its own for that: alone, its callbacks are unknown.
   */
  callsParameters(fn: Node): boolean {
    return this.raw.get(fn.compilerNode)?.callsParameters === true;
  }

  /** Functions used other than by being called (passed as a callback, stored): they run from unknown places. */
  isEscaping(fn: Node): boolean {
    let escaping = this.escapeMemo.get(fn);
    if (escaping !== undefined) return escaping;
    escaping = Node.isConstructorDeclaration(fn);
    if (Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) {
      const parent = fn.getParent();
      // `const f = () => ...` is called by name; anything else (an argument, a property value) escapes.
      escaping = !this.isInlineCallback(fn) && !(parent && (Node.isVariableDeclaration(parent) || Node.isPropertyDeclaration(parent)));
    }
    this.escapeMemo.set(fn, escaping);
    return escaping;
  }
}
