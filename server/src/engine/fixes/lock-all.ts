/**
 * The `lock-order` rewrite to `lockAll`/`lockAllAsync`: two nested acquisitions in one function, in any of the shapes
 * people write (manual `lock()`/`unlock()` pairs with or without try/finally, guards, `using`, `lockAsync`, nested
 * `withLock` callbacks), become one call that takes both locks in the global order. The code they held is re-emitted
 * inside its callback with the acquisitions, releases and release-only `finally` clauses removed.
 */
import { Node, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import type { TextEdit } from '../types.js';
import { functionOf, returnsFrom } from './edit-text.js';
import type { LockApiOf } from './lock-api.js';

/**
 * What `lockAll` can take, as sites are read for it: the runtime Mutex's acquisitions and callbacks (a Semaphore's
 * `acquire` reads the same, and `lockAll` would refuse it: the type-check gate says so).
 */
const RUNTIME_SITES: LockApiOf = {
  api: 'runtime',
  methods: {
    acquire: { lock: 'blocking', lockAsync: 'async', acquire: 'blocking', acquireAsync: 'async' },
    release: ['unlock', 'release'],
    runUnder: { withLock: 'blocking', withLockAsync: 'async' },
  },
  releaseByFunction: false,
  asyncTwins: {},
};

/** One acquisition as written: its lock expression and how it is scoped. */
export interface Site {
  receiver: Node;
  call: Node;
  kind: 'manual' | 'using' | 'callback';
  async: boolean;
  /** The statement holding the acquisition (manual, using); the `withLock` call's callback (callback). */
  statement?: Node;
  callback?: Node;
  guard?: string;
  /** `{ timeout: … }` passed to the acquisition, kept for `lockAll`'s own options. */
  options?: string;
  /** The lock API's release methods (`unlock`, a model's `leave`), called on the receiver or a runtime guard. */
  releases: readonly string[];
  /** The guard is a function that releases (async-mutex's `const release = await m.acquire()`): `release()`. */
  releaseByFunction: boolean;
}

export interface LockAllRewrite {
  edits: TextEdit[];
  /** Some code that ran holding only one of the two locks runs holding both after the rewrite. */
  widens: boolean;
  async: boolean;
}

function statementOf(node: Node): Node | undefined {
  return node.getFirstAncestor((a) => {
    const parent = a.getParent();
    return parent !== undefined && (Node.isBlock(parent) || Node.isSourceFile(parent) || Node.isCaseClause(parent)) && Node.isStatement(a);
  });
}

/**
 * Reads the acquisition at `call` (the last element of a held or acquisition stack) under a lock API's methods: the
 * runtime's (what `lockAll` takes) by default.
 */
export function siteOf(call: Node, lock: LockApiOf = RUNTIME_SITES): Site | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.getName();
  const receiver = callee.getExpression();
  const args = call.getArguments();
  const releases = lock.methods.release ?? [];
  const releaseByFunction = lock.releaseByFunction;
  const runUnder = lock.methods.runUnder?.[method];
  if (runUnder !== undefined) {
    const callback = args[args.length - 1];
    if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return undefined;
    return { receiver, call, kind: 'callback', async: runUnder === 'async', callback, options: args.length > 1 ? args[0]!.getText() : undefined, releases, releaseByFunction };
  }
  const acquire = lock.methods.acquire?.[method];
  if (acquire === undefined) return undefined;
  const async = acquire === 'async';
  const options = args[0]?.getText();
  let expression: Node = call;
  while (Node.isAwaitExpression(expression.getParent()!) || Node.isParenthesizedExpression(expression.getParent()!)) expression = expression.getParent()!;
  const parent = expression.getParent();
  if (parent && Node.isExpressionStatement(parent)) {
    // An async-mutex `acquire()` whose release function is dropped cannot be released: no site to rewrite.
    if (releaseByFunction) return undefined;
    return { receiver, call, kind: 'manual', async, statement: parent, options, releases, releaseByFunction };
  }
  if (parent && Node.isVariableDeclaration(parent) && parent.getInitializer() === expression) {
    const statement = parent.getVariableStatement();
    if (!statement || statement.getDeclarations().length !== 1) return undefined;
    const name = parent.getNameNode();
    if (!Node.isIdentifier(name)) return undefined;
    const flags = statement.getDeclarationList().getFlags() & ts.NodeFlags.BlockScoped;
    const using = flags === ts.NodeFlags.Using || flags === ts.NodeFlags.AwaitUsing;
    if (using && releaseByFunction) return undefined;
    return { receiver, call, kind: using ? 'using' : 'manual', async, statement, guard: name.getText(), options, releases, releaseByFunction };
  }
  return undefined;
}

/** Whether `call` releases the manual acquisition `site`: `x.unlock()`, `g.unlock()`, or async-mutex's `release()`. */
export function releasesSite(call: Node, site: Site): boolean {
  if (site.kind !== 'manual' || !Node.isCallExpression(call)) return false;
  const callee = call.getExpression();
  if (site.releaseByFunction) return Node.isIdentifier(callee) && callee.getText() === site.guard && call.getArguments().length === 0;
  if (!Node.isPropertyAccessExpression(callee) || !site.releases.includes(callee.getName())) return false;
  const target = callee.getExpression().getText();
  return target === site.receiver.getText() || target === site.guard;
}

/** A release of one of the sites as a whole statement. */
function isReleaseOf(statement: Node, sites: readonly Site[]): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const call = statement.getExpression();
  return sites.some((s) => releasesSite(call, s));
}

/** A release call of one of the sites anywhere under `node`. */
function releaseCallsUnder(node: Node, sites: readonly Site[]): Node[] {
  return node.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => sites.some((s) => releasesSite(call, s)));
}

/** Re-emits statements at a new indentation, dropping the acquisitions and releases of two sites. */
class Emitter {
  readonly consumed = new Set<Node>();
  readonly kept: Node[] = [];
  ok = true;

  constructor(
    private readonly sites: readonly Site[],
    private readonly text: string,
  ) {}

  private isScaffold(statement: Node): boolean {
    return this.sites.some((s) => s.statement === statement) || isReleaseOf(statement, this.sites);
  }

  /** A `withLock` call statement of one of the sites whose callback body can be inlined. */
  /** The callback site a statement is the call of (`b.withLock(...);`, `return await b.withLockAsync(...);`). */
  private callbackSiteOf(statement: Node): Site | undefined {
    const expression = Node.isExpressionStatement(statement) || Node.isReturnStatement(statement) ? statement.getExpression() : undefined;
    if (!expression) return undefined;
    const call = Node.isAwaitExpression(expression) ? expression.getExpression() : expression;
    return this.sites.find((s) => s.kind === 'callback' && s.call === call);
  }

  private inlinedCallback(statement: Node): Node | undefined {
    const site = this.callbackSiteOf(statement);
    if (!site) return undefined;
    const body = (site.callback as { getBody?: () => Node }).getBody?.();
    if (!body || !Node.isBlock(body)) return undefined;
    this.consumed.add(site.call);
    return body;
  }

  /**
   * A `withLock` call statement of one of the sites whose callback has an expression body (`b.withLock(() => x)`):
   * the expression becomes a statement of its own, `x;` (nothing for `undefined`), or `return x;` where the call was
   * returned.
   */
  private inlinedExpression(statement: Node, indent: string, isLast: boolean): string[] | undefined {
    const site = this.callbackSiteOf(statement);
    const body = (site?.callback as { getBody?: () => Node } | undefined)?.getBody?.();
    if (!site || !body || Node.isBlock(body)) return undefined;
    this.consumed.add(site.call);
    const returned = Node.isReturnStatement(statement);
    // A value returned from the callback returned from the function only where nothing follows.
    if (returned && !isLast) this.ok = false;
    this.kept.push(body);
    const text = body.getText();
    if (!returned && (text === 'undefined' || text === 'void 0')) return [];
    return [`${indent}${returned ? 'return ' : ''}${Node.isObjectLiteralExpression(body) && !returned ? `(${text})` : text};`];
  }

  statements(statements: readonly Node[], indent: string, last: boolean): string[] {
    const lines: string[] = [];
    statements.forEach((statement, i) => {
      const isLast = last && i === statements.length - 1;
      if (this.isScaffold(statement)) {
        this.consumed.add(statement);
        return;
      }
      const expressionLines = this.inlinedExpression(statement, indent, isLast);
      if (expressionLines) {
        lines.push(...expressionLines);
        return;
      }
      const inlined = this.inlinedCallback(statement);
      if (inlined) {
        // A return inside the inlined callback only returned from it: that stays true only where nothing follows.
        if (!isLast && hasOwnReturn(inlined)) this.ok = false;
        lines.push(...this.statements((inlined as never as { getStatements(): Node[] }).getStatements(), indent, isLast), ...this.closingComments(inlined, indent));
        return;
      }
      if (Node.isTryStatement(statement)) {
        const finallyBlock = statement.getFinallyBlock();
        const finallyStatements = finallyBlock?.getStatements() ?? [];
        if (finallyBlock && finallyStatements.length > 0 && finallyStatements.every((s) => this.isScaffold(s))) {
          finallyStatements.forEach((s) => this.consumed.add(s));
          const catchClause = statement.getCatchClause();
          const inner = [
            ...this.statements(statement.getTryBlock().getStatements(), catchClause ? indent + '  ' : indent, isLast && !catchClause),
            ...this.closingComments(statement.getTryBlock(), catchClause ? indent + '  ' : indent),
          ];
          if (!catchClause) {
            lines.push(...inner);
            return;
          }
          lines.push(`${indent}try {`, ...inner, ...this.tail(statement, catchClause.getEnd(), indent));
          return;
        }
        if (finallyBlock && statement.getTryBlock().getStatements().some((s) => this.isScaffold(s) || this.callbackSiteOf(s) !== undefined)) {
          // The inner acquisition sits in a try whose finally does more than release: keep that try, re-emit its block.
          const catchClause = statement.getCatchClause();
          lines.push(`${indent}try {`, ...this.statements(statement.getTryBlock().getStatements(), indent + '  ', false));
          lines.push(...this.tail(statement, statement.getEnd(), indent));
          this.kept.push(finallyBlock);
          if (catchClause) this.kept.push(catchClause);
          return;
        }
      }
      this.kept.push(statement);
      lines.push(...this.reindent(statement, indent, ''));
    });
    return lines;
  }

  /**
   * Comments on lines of their own after a block's last statement (`// TODO` in an otherwise empty block): the block's
   * braces go, its comments stay, at `indent`.
   */
  closingComments(block: Node, indent: string): string[] {
    const statements = (block as never as { getStatements(): Node[] }).getStatements();
    const from = statements.length > 0 ? statements.at(-1)!.getEnd() : block.getStart() + 1;
    const between = this.text.slice(from, block.getEnd() - 1);
    const firstBreak = between.indexOf('\n');
    if (firstBreak < 0) return [];
    return between
      .slice(firstBreak + 1)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('//') || line.startsWith('/*') || line.startsWith('*'))
      .map((line) => `${indent}${line.startsWith('*') ? ' ' : ''}${line}`);
  }

  /** From the closing brace of a try block to `end` (its catch, its finally), moved to `indent`. */
  private tail(statement: Node & { getTryBlock(): Node }, end: number, indent: string): string[] {
    const text = this.text;
    const original = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', statement.getStart() - 1) + 1))![0];
    return text
      .slice(statement.getTryBlock().getEnd() - 1, end)
      .split('\n')
      .map((line, i) => (i === 0 ? indent + line : line.trim() === '' ? '' : indent + (line.startsWith(original) ? line.slice(original.length) : line.trimStart())));
  }

  /** The node's text with its leading comments and trailing same-line comment, moved to `indent`. */
  private reindent(node: Node, indent: string, prefix: string): string[] {
    const text = this.text;
    const lineStart = text.lastIndexOf('\n', node.getStart() - 1) + 1;
    const original = /^[ \t]*/.exec(text.slice(lineStart))![0];
    // Leading comments on their own lines, after the end of the previous line.
    const fullStart = node.getFullStart();
    const firstBreak = text.indexOf('\n', fullStart);
    const leadingStart = firstBreak >= 0 && firstBreak < node.getStart() ? firstBreak + 1 : node.getStart();
    const lineEnd = text.indexOf('\n', node.getEnd());
    const rest = text.slice(node.getEnd(), lineEnd < 0 ? text.length : lineEnd);
    const trailing = /^\s*\/\/.*$|^\s*\/\*.*\*\/\s*$/.test(rest) ? rest.trimEnd() : '';
    const body = prefix + text.slice(node.getStart(), node.getEnd()) + trailing;
    const leading = leadingStart < node.getStart() ? text.slice(leadingStart, lineStart) : '';
    const lines = [...leading.split('\n').filter((l) => l.trim() !== ''), ...body.split('\n')];
    return lines.map((line) => (line.trim() === '' ? '' : indent + (line.startsWith(original) ? line.slice(original.length) : line.trimStart())));
  }
}

/** A `return` of the function whose body `block` is (not of functions nested in it). */
function hasOwnReturn(block: Node): boolean {
  const own = functionOf(block);
  return block.getDescendantsOfKind(SyntaxKind.ReturnStatement).some((r) => functionOf(r) === own);
}

/** Statements that leave a callback differently than the code they came from: break/continue out of it, yield. */
function escapes(kept: readonly Node[], root: Node): boolean {
  const own = functionOf(root);
  for (const statement of kept) {
    for (const n of [statement, ...statement.getDescendants()]) {
      if (functionOf(n) !== own && n !== statement) continue;
      if (Node.isYieldExpression(n)) return true;
      if (Node.isBreakStatement(n) || Node.isContinueStatement(n)) {
        const label = n.getLabel()?.getText();
        const target = n.getFirstAncestor((a) =>
          label ? Node.isLabeledStatement(a) && a.getLabel().getText() === label : Node.isIterationStatement(a) || (Node.isSwitchStatement(a) && Node.isBreakStatement(n)),
        );
        if (!target || !kept.some((k) => k === target || k.containsRange(target.getPos(), target.getEnd()))) return true;
      }
    }
  }
  return false;
}

/** A variable declared by a re-emitted statement and read after the region: it would end up inside the callback. */
function usedAfter(kept: readonly Node[], regionEnd: number, scope: Node): boolean {
  const names = new Set(kept.filter((k) => Node.isVariableStatement(k)).flatMap((k) => (k as never as { getDeclarations(): Node[] }).getDeclarations().flatMap((d) => d.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()))));
  if (names.size === 0) return false;
  return scope.getDescendantsOfKind(SyntaxKind.Identifier).some((i) => i.getStart() >= regionEnd && names.has(i.getText()));
}

function hasAwait(kept: readonly Node[], root: Node): boolean {
  const own = functionOf(root);
  return kept.some((s) => [s, ...s.getDescendants()].some((n) => (Node.isAwaitExpression(n) || (Node.isVariableStatement(n) && (n.getDeclarationList().getFlags() & ts.NodeFlags.AwaitUsing) === ts.NodeFlags.AwaitUsing)) && functionOf(n) === own));
}

function returnsIn(kept: readonly Node[], root: Node): boolean {
  return returnsFrom(functionOf(root), kept);
}

/** The statements of a block from `first` through `last`. */
function between(first: Node, last: Node): Node[] {
  const block = first.getParentOrThrow() as Node & { getStatements(): Node[] };
  const statements = block.getStatements();
  return statements.slice(statements.indexOf(first), statements.indexOf(last) + 1);
}

/** Where the manual acquisition at `site` is released in its own block: a release statement, or a try whose finally releases it. */
function releaseStatementOf(site: Site): Node | undefined {
  const block = site.statement!.getParent() as Node & { getStatements?(): Node[] };
  const statements = block.getStatements?.() ?? [];
  for (const statement of statements.slice(statements.indexOf(site.statement!) + 1)) {
    if (isReleaseOf(statement, [site])) return statement;
    if (Node.isTryStatement(statement) && statement.getFinallyBlock()?.getStatements().some((s) => isReleaseOf(s, [site]))) return statement;
  }
  return undefined;
}

/** The text range in which the inner site's lock is held, to tell code that ran under both from code that ran under one. */
function heldRange(site: Site): [number, number] | undefined {
  if (site.kind === 'callback') return [site.callback!.getStart(), site.callback!.getEnd()];
  if (site.kind === 'using') return [site.statement!.getEnd(), site.statement!.getParentOrThrow().getEnd()];
  const release = releaseStatementOf(site);
  if (!release) return undefined;
  const end = Node.isTryStatement(release) ? release.getFinallyBlock()!.getStart() : release.getStart();
  return [site.statement!.getEnd(), end];
}

/**
 * Rewrites the acquisitions at `outerCall` and `innerCall` (the inner taken while the outer is held, in one function)
 * into one `lockAll([first, second], …)`, `first` and `second` being the lock expressions in the order to list them.
 */
export function lockAllRewrite(outerCall: Node, innerCall: Node, listFirstOuter: boolean): LockAllRewrite | undefined {
  const outer = siteOf(outerCall);
  const inner = siteOf(innerCall);
  if (!outer || !inner) return undefined;
  // The inner acquisition runs in the outer's function, or directly in the outer `withLock`'s callback.
  const innerOwner = functionOf(innerCall);
  if (innerOwner !== functionOf(outerCall) && !(outer.kind === 'callback' && innerOwner === outer.callback)) return undefined;
  const sites = [outer, inner];
  const file = outerCall.getSourceFile();
  const text = file.getFullText();
  const path = file.getFilePath();
  const lockList = (listFirstOuter ? [outer, inner] : [inner, outer]).map((s) => s.receiver.getText()).join(', ');
  const options = inner.options ?? outer.options;
  const emitter = new Emitter(sites, text);
  const range = heldRange(inner);
  if (!range) return undefined;

  let regionStart: number;
  let regionEnd: number;
  let replacement: (name: string, async: boolean) => string;
  let root: Node;
  if (outer.kind === 'callback') {
    const callback = outer.callback!;
    const body = (callback as never as { getBody(): Node }).getBody();
    root = body;
    const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', outer.call.getStart() - 1) + 1))![0];
    let bodyText: string;
    if (Node.isBlock(body)) {
      const lines = [...emitter.statements(body.getStatements(), indent + '  ', true), ...emitter.closingComments(body, indent + '  ')];
      bodyText = lines.length > 0 ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
    } else {
      // `a.withLock(() => b.withLock(() => x))`: the inner callback is the whole body.
      const call = Node.isAwaitExpression(body) ? body.getExpression() : body;
      if (call !== inner.call) return undefined;
      const innerBody = (inner.callback as never as { getBody(): Node }).getBody();
      emitter.consumed.add(inner.call);
      bodyText = innerBody.getText();
      if (Node.isBlock(innerBody)) emitter.kept.push(...innerBody.getStatements());
      else emitter.kept.push(innerBody);
    }
    const head = text.slice(callback.getStart(), body.getStart());
    regionStart = outer.call.getStart();
    regionEnd = outer.call.getEnd();
    replacement = (name) => `${name}([${lockList}], ${head}${bodyText}${options ? `, ${options}` : ''})`;
  } else {
    const first = outer.statement!;
    const last = outer.kind === 'using' ? (first.getParentOrThrow() as never as { getStatements(): Node[] }).getStatements().at(-1)! : releaseStatementOf(outer);
    if (!last) return undefined;
    const region = between(first, last);
    root = first;
    const indent = /^[ \t]*/.exec(text.slice(first.getStartLinePos()))![0];
    const block = first.getParentOrThrow() as never as { getStatements(): Node[] };
    const owner = functionOf(first) as (Node & { getBody?(): Node | undefined }) | undefined;
    const tail = block.getStatements().at(-1) === last && owner?.getBody?.() === first.getParent();
    const body = emitter.statements(region, indent + '  ', tail);
    if (returnsIn(emitter.kept, first) && !tail) return undefined;
    const returning = returnsIn(emitter.kept, first);
    regionStart = first.getStart();
    const lineEnd = text.indexOf('\n', last.getEnd());
    const rest = text.slice(last.getEnd(), lineEnd < 0 ? text.length : lineEnd);
    regionEnd = /^\s*(\/\/.*)?$/.test(rest) ? last.getEnd() + rest.length : last.getEnd();
    replacement = (name, async) =>
      `${returning ? 'return ' : async ? 'await ' : ''}${name}([${lockList}], ${async ? 'async ' : ''}() => ${body.length > 0 ? `{\n${body.join('\n')}\n${indent}}` : '{}'}${options ? `, ${options}` : ''});`;
  }
  if (!emitter.ok) return undefined;
  // Every acquisition and release of the two locks in the region must have been understood, or the rewrite would
  // leave a stray unlock (or a lock taken twice) behind.
  const expected = [outer.statement, inner.statement, inner.kind === 'callback' ? inner.call : undefined].filter((n): n is Node => n !== undefined);
  if (!expected.every((n) => emitter.consumed.has(n))) return undefined;
  const leftover = releaseCallsUnder(outer.kind === 'callback' ? outer.callback! : file, sites).filter(
    (call) => call.getStart() >= regionStart && call.getEnd() <= regionEnd && !emitter.consumed.has(statementOf(call)!),
  );
  if (leftover.length > 0) return undefined;
  if (escapes(emitter.kept, root)) return undefined;
  if (usedAfter(emitter.kept, regionEnd, functionOf(outerCall) ?? file)) return undefined;
  const guards = sites.map((s) => s.guard).filter((g): g is string => g !== undefined);
  if (emitter.kept.some((k) => guards.some((g) => new RegExp(`\\b${g}\\b`).test(k.getText())))) return undefined;
  const async = outer.async || inner.async || (outer.kind !== 'callback' && hasAwait(emitter.kept, root));
  if (async && outer.kind === 'callback' && !outer.async) return undefined;
  const name = async ? 'lockAllAsync' : 'lockAll';
  const widens = emitter.kept.some((k) => k.getStart() < range[0] || k.getEnd() > range[1]);
  const edits: TextEdit[] = [{ file: path, start: regionStart, end: regionEnd, newText: replacement(name, async) }];
  const importEdit = importOf(file, name);
  if (importEdit === undefined) return undefined;
  if (importEdit) edits.push(importEdit);
  return { edits, widens, async };
}

/** The edit that imports `name` from the runtime, null when it is imported already, undefined when it cannot be added. */
export function importOf(file: SourceFile, name: string): TextEdit | null | undefined {
  const path = file.getFilePath();
  const declarations = file.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === '@deadbolt/runtime');
  if (declarations.some((d) => d.getNamedImports().some((n) => n.getName() === name && !n.getAliasNode()))) return null;
  const named = declarations.find((d) => !d.isTypeOnly() && d.getNamedImports().length > 0);
  if (named) {
    const last = named.getNamedImports().at(-1)!;
    return { file: path, start: last.getEnd(), end: last.getEnd(), newText: `, ${name}` };
  }
  const imports = file.getImportDeclarations();
  const at = imports.length > 0 ? imports.at(-1)!.getEnd() : 0;
  return { file: path, start: at, end: at, newText: `${at > 0 ? '\n' : ''}import { ${name} } from '@deadbolt/runtime';${at > 0 ? '' : '\n'}` };
}
