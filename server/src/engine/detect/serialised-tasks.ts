/**
 * Coroutines whose runs cannot overlap although no lock orders them: the callbacks a test runner runs one after
 * another (tests and their `before*`/`after*` hooks, and the helpers only they await), and the handlers of a
 * dispatcher that awaits one request before it takes the next. Read by `async-atomicity`.
 */
import { Node, ts } from 'ts-morph';
import type { ProgramModel } from '../rule.js';
import { isAwaited, ownerOf } from './shared-state.js';
import { mayFollow, suspensionsByOwner } from './await-flow.js';

/** Lifecycle hooks of Jest, Vitest, Mocha, node:test and Bun; the runner awaits each before it starts anything else. */
const HOOKS = new Set(['beforeEach', 'afterEach', 'beforeAll', 'afterAll', 'before', 'after']);
const TESTS = new Set(['it', 'test']);
/** How deep `runsOnlyUnderRunner` follows helpers up to the tests that await them. */
const HELPER_DEPTH = 4;

/** The name a call is made by: `afterEach(...)`, `test.afterEach(...)`, `it.only(...)` (the base, for modifiers). */
function runnerName(callee: Node): { name: string; base: Node } | undefined {
  if (Node.isIdentifier(callee)) return { name: callee.getText(), base: callee };
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.getExpression();
  if (HOOKS.has(callee.getName())) return { name: callee.getName(), base: callee.getNameNode() };
  // `it.only`, `test.skip`, `it.each(table)` name the test function on their left.
  return Node.isIdentifier(receiver) && TESTS.has(receiver.getText()) ? { name: receiver.getText(), base: receiver } : undefined;
}

/** A global of the runner or an import from a package, not a function of the project that happens to be called `after`. */
function isRunnerFunction(base: Node): boolean {
  const declarations = base.getSymbol()?.getDeclarations() ?? [];
  return declarations.every((d) => Node.isImportSpecifier(d) ? !d.getImportDeclaration().getModuleSpecifierValue().startsWith('.') : d.getSourceFile().isDeclarationFile());
}

/**
 * Vitest's `describe.concurrent`/`it.concurrent` (and `{ concurrent: true }`) and node:test's `{ concurrency }` run
 * a file's tests, and the hooks around each, at the same time: nothing of such a file is serialised by its runner.
 */
function runsConcurrently(fn: Node): boolean {
  return /\.concurrent\b|\bconcurrent\s*:\s*true|\bconcurrency\s*:/.test(fn.getSourceFile().getFullText());
}

/** Whether `fn` is a callback a test runner calls: a test's body or a lifecycle hook, in a file run one test at a time. */
export function isRunnerCallback(fn: Node): boolean {
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return false;
  const call = fn.getParent();
  if (call === undefined || !Node.isCallExpression(call) || !call.getArguments().includes(fn)) return false;
  let callee = call.getExpression();
  // `it.each(table)('name', fn)`: the callee is itself a call.
  if (Node.isCallExpression(callee)) callee = callee.getExpression();
  const named = runnerName(callee);
  return named !== undefined && (HOOKS.has(named.name) || TESTS.has(named.name)) && isRunnerFunction(named.base) && !runsConcurrently(fn);
}

/** A call whose promise its function returns (`return f()`, `() => f()`): whoever awaits the function awaits it. */
function isReturned(call: Node): boolean {
  let node = call;
  let parent = node.getParent();
  while (parent !== undefined && (Node.isParenthesizedExpression(parent) || Node.isAwaitExpression(parent))) {
    node = parent;
    parent = parent.getParent();
  }
  return parent !== undefined && (Node.isReturnStatement(parent) || (Node.isArrowFunction(parent) && parent.getBody() === node));
}

/**
 * Whether every run of `fn` happens while the test runner waits for it: `fn` is a test or hook callback, or a helper
 * whose every known call is awaited (or returned to be awaited) by such a callback, through at most a few helpers.
 * Two of them never overlap: the runner starts the next test or hook only when the last one has settled. A call not
 * awaited (`Promise.all` of two helpers in one test) lets them overlap, and so does a helper nobody is known to call.
 */
export function runsOnlyUnderRunner(model: ProgramModel, fn: Node, depth = HELPER_DEPTH, path = new Set<Node>()): boolean {
  if (isRunnerCallback(fn)) return true;
  if (depth === 0 || path.has(fn)) return false;
  path.add(fn);
  const calls = model.callers(fn);
  const serialised = calls.length > 0 && calls.every((call) => {
    const caller = ownerOf(call);
    return (isAwaited(call) || isReturned(call)) && caller !== undefined && runsOnlyUnderRunner(model, caller, depth - 1, path);
  });
  path.delete(fn);
  return serialised;
}

/**
 * The dispatcher that runs `fn` one request at a time, if there is one: a function declaration referred to only by
 * calls, each awaited in one async function that takes its next request only after that (in a loop, or by calling
 * itself as the last thing it does, as absurd-sql's `listen` does), and that is started from one place. Handlers of one
 * such dispatcher never run while another is suspended.
 */
export function serialisingDispatcher(model: ProgramModel, fn: Node): Node | undefined {
  if (!onlyCalled(fn)) return undefined;
  const calls = model.callers(fn);
  const dispatcher = calls.length > 0 && calls.every(isAwaited) ? ownerOf(calls[0]!) : undefined;
  if (dispatcher === undefined || !calls.every((call) => ownerOf(call) === dispatcher)) return undefined;
  return takesOneRequestAtATime(model, dispatcher) ? dispatcher : undefined;
}

/** A function declaration, not exported, whose name appears in its file only as the callee of calls. */
function onlyCalled(fn: Node): boolean {
  if (!Node.isFunctionDeclaration(fn) || fn.isExported() || fn.isDefaultExport()) return false;
  const name = fn.getNameNode();
  if (name === undefined) return false;
  const text = name.getText();
  let onlyCalls = true;
  // Read on raw compiler nodes: wrapping every node of a large file costs more than the question is worth.
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === text && node !== name.compilerNode && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) onlyCalls = false;
    if (onlyCalls) ts.forEachChild(node, visit);
  };
  visit(fn.getSourceFile().compilerNode);
  return onlyCalls;
}

/**
 * Whether the runs of `dispatcher` follow one another: its calls of itself are tail calls (no suspension of its own can
 * follow them), not in a loop, and it has one other call site, outside any loop.
 */
function takesOneRequestAtATime(model: ProgramModel, dispatcher: Node): boolean {
  if (!Node.isFunctionDeclaration(dispatcher) || !dispatcher.isAsync() || !onlyCalled(dispatcher)) return false;
  const suspensions = suspensionsByOwner(dispatcher.getSourceFile()).get(dispatcher) ?? [];
  const calls = model.callers(dispatcher);
  const own = calls.filter((call) => ownerOf(call) === dispatcher);
  const starts = calls.filter((call) => ownerOf(call) !== dispatcher);
  const lastAct = (call: Node): boolean => !isAwaited(call) && suspensions.every((s) => s.at.getStart() < call.getEnd() || !mayFollow(call, s.at));
  return starts.length === 1 && !inLoop(starts[0]!) && own.every((call) => !inLoop(call) && lastAct(call));
}

/** Whether `call` runs in a loop of its own function (a loop of an enclosing function runs the whole function again). */
function inLoop(call: Node): boolean {
  const scope = call.getFirstAncestor((n) => Node.isIterationStatement(n) || Node.isFunctionLikeDeclaration(n));
  return scope !== undefined && Node.isIterationStatement(scope);
}
