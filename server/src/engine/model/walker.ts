/**
 * The flow-sensitive walk: simulates one function (or a file's top level) statement by statement, tracking the
 * locks the thread holds through lock/unlock, try-acquisitions in conditions, try/finally, `using` guards,
 * withLock-style callbacks and calls into other functions (inlined with their parameters bound to the arguments).
 */
import { Node, ts, type CallExpression } from 'ts-morph';
import type { AcquireMode, ExitFact, Held, WalkRoot } from './facts.js';
import { State, merge, releaseElementsIfReleasing } from './state.js';
import { LOCK_KINDS, runtimeFunctionOfCallee } from './runtime.js';
import type { Env, Value } from './values.js';
import type { WalkHost } from './walk-host.js';
import { isMutation, mutatedByCall, writeTarget } from './writes.js';
import { CONDITION_WAITS, IMMEDIATE_ARRAY_METHODS, conditionMutex, guardTest, isAwaited, isElementExpression, mainThreadCondition, tryCondition, unwrapAwait, type TryCondition } from './lock-calls.js';
import type { Frame } from './frame.js';
import { knownTruth } from './known-tests.js';
import { ROOT_STEPS, step, steps, type WalkBudget } from './budget.js';
import { inertSteps } from './inert-expressions.js';
import { enclosingCoroutine } from '../detect/coroutines.js';
import { ASYNC_MUTEX_MODEL, RUNTIME_MODEL, asyncMutexWrapper, isAwaitableApi, isAsyncMutexDeclaration, isAsyncMutexReceiver, lockCallOf, lockMethodNames, lockNameOf, webLockRequest, type LockApi, type WebLockRequest } from './lock-models.js';
import { declarationOf } from './symbol-cache.js';

/** async-mutex's method names, from its model: a call by one of these names is checked against the receiver's type. */
const ASYNC_MUTEX_METHODS = new Set(lockMethodNames(ASYNC_MUTEX_MODEL));

/** Methods of a guard or lease that end its hold (`g.unlock()`, `lease.release()`, `lease.dispose()`). */
const GUARD_RELEASES = new Set(['unlock', 'release', 'dispose', '[Symbol.dispose]']);

const MAX_INLINE_DEPTH = 8;
/** Loops over at most this many known elements are walked once per element. */
const MAX_UNROLL = 8;
/** Inlined calls per root walk: deep fan-out (each helper calling many lock-taking helpers) must not explode. */
const INLINE_BUDGET = 2000;

let nextGroup = 1;

/** How many finally blocks and `using` scopes were pending when a loop or switch began, by its exit list. */
const LOOP_DEPTHS = new WeakMap<State[], { finallies: number; usings: number }>();

export class Walker {
  constructor(private readonly host: WalkHost) {}

  /**
   * Walks `body` (a function-like or a source file) as a root: held-at records, exits and writes are facts. Takes at
   * most `steps` steps (else throws WalkBudgetExceeded) and, unless `followCalls` is false, inlines calls; returns
   * the steps taken and whether a call that takes locks was left unfollowed for want of budget.
   */
  walkRoot(node: Node, root: WalkRoot, env: Env, steps = ROOT_STEPS, followCalls = true): { steps: number; callsCut: boolean } {
    const budget: WalkBudget = { left: followCalls ? INLINE_BUDGET : 0, steps, callsCut: false };
    const frame: Frame = { root, env, stack: [], depth: 0, active: new Set([`${node.getStart()}:`]), returns: [], finallies: [], usings: [], catches: [], loops: [], callback: false, budget, tries: new Map() };
    const state = new State();
    this.walkBody(node, state, frame);
    if (!state.dead) this.exit(node, 'end', state, frame);
    return { steps: steps - budget.steps, callsCut: budget.callsCut };
  }

  private walkBody(node: Node, state: State, frame: Frame): void {
    if (Node.isSourceFile(node)) {
      this.walkStatements(node.getStatements(), state, frame);
      return;
    }
    const body = (node as Node & { getBody?(): Node | undefined }).getBody?.();
    if (!body) return;
    if (Node.isBlock(body)) this.walkStatement(body, state, frame);
    else this.walkExpression(body, state, frame);
  }

  private walkStatements(statements: readonly Node[], state: State, frame: Frame): void {
    frame.usings.push([]);
    for (const statement of statements) {
      if (state.dead) break;
      this.walkStatement(statement, state, frame);
    }
    const usings = frame.usings.pop()!;
    if (!state.dead) for (const held of usings.reverse()) this.dispose(held, state);
  }

  /** A `using` guard's scope ended: a try guard may never have been taken on this path, so only a hold it made is released. */
  private dispose(held: Held, state: State): void {
    if (held.mode === 'try') state.releaseIfHeld(held);
    else state.releaseHeld(held);
  }

  private record(node: Node, state: State, frame: Frame): void {
    if (frame.depth === 0) this.host.recordHeld(node, state.held, frame.root.thread === 'main' && !state.spawned);
  }

  private walkStatement(statement: Node, state: State, frame: Frame): void {
    if (state.dead) return;
    step(frame.budget);
    this.record(statement, state, frame);
    if (Node.isBlock(statement)) return this.walkStatements(statement.getStatements(), state, frame);
    if (Node.isExpressionStatement(statement)) return this.walkExpression(statement.getExpression(), state, frame);
    if (Node.isVariableStatement(statement)) {
      const list = statement.getDeclarationList();
      const scoped = list.getFlags() & ts.NodeFlags.BlockScoped;
      const using = scoped === ts.NodeFlags.Using || scoped === ts.NodeFlags.AwaitUsing;
      for (const declaration of list.getDeclarations()) {
        const initializer = declaration.getInitializer();
        if (!initializer) continue;
        const attempt = tryCondition(initializer, this.host, frame.env);
        if (attempt && !attempt.negated && Node.isIdentifier(declaration.getNameNode())) {
          // Not held yet: the lock is taken in the branch where a test of the variable finds the guard.
          frame.tries.set(declaration, { ...attempt, scope: using ? frame.usings[frame.usings.length - 1] : undefined });
          continue;
        }
        const before = state.held.length;
        this.walkExpression(initializer, state, frame);
        const taken = state.held.length > before ? state.held[state.held.length - 1] : undefined;
        if (taken && taken.api === 'async-mutex' && taken.method === 'acquire') {
          // `const release = await m.acquire()` or, for a Semaphore, `const [, release] = await s.acquire()`.
          const nameNode = declaration.getNameNode();
          taken.guard = Node.isArrayBindingPattern(nameNode) ? nameNode.getElements()[1] : declaration;
        } else if (taken) {
          // `const g = m.lock()`, or what a helper returned holding a lock (`const lease = await this.lease(key)`).
          taken.guard = declaration;
        }
        // `using g = m.lock()`, `await using lease = await pool.acquire()`: disposing the value releases the lock.
        if (taken && using) frame.usings[frame.usings.length - 1]!.push(taken);
      }
      return;
    }
    if (Node.isIfStatement(statement)) {
      // `if (isMainThread)` splits a self-starting file: only the branch of this walk's thread runs.
      const onMain = mainThreadCondition(statement.getExpression());
      if (onMain !== undefined) {
        const taken = onMain === (frame.root.thread === 'main') ? statement.getThenStatement() : statement.getElseStatement();
        if (taken) this.walkStatement(taken, state, frame);
        return;
      }
      // `if (!options?.skipLock)` in a helper whose caller passed `{ skipLock: true }`: only the branch that runs.
      const known = knownTruth(statement.getExpression(), frame.env, this.host.resolver);
      if (known !== undefined) {
        this.walkExpression(statement.getExpression(), state, frame);
        const taken = known ? statement.getThenStatement() : statement.getElseStatement();
        if (taken) this.walkStatement(taken, state, frame);
        return;
      }
      const attempt = tryCondition(statement.getExpression(), this.host, frame.env);
      if (!attempt) this.walkExpression(statement.getExpression(), state, frame);
      const thenState = state.clone();
      const elseState = state.clone();
      if (attempt) this.acquire(attempt.lock, 'try', attempt.method, attempt.call, attempt.negated ? elseState : thenState, frame, undefined, attempt.api);
      else this.testGuard(statement.getExpression(), thenState, elseState, frame);
      this.walkStatement(statement.getThenStatement(), thenState, frame);
      const elseStatement = statement.getElseStatement();
      if (elseStatement) this.walkStatement(elseStatement, elseState, frame);
      return state.become(merge([thenState, elseState]));
    }
    if (Node.isReturnStatement(statement)) {
      const expression = statement.getExpression();
      if (expression) {
        const before = state.held.length;
        this.walkExpression(expression, state, frame);
        // Returning a guard, a lock call's guard, or an object or function holding a releaser (`{ [Symbol.dispose]:
        // release }`) hands the lock to the caller: an inlined callee's caller holds it now; a root's is not seen.
        const handed = new Set(state.held.slice(before));
        for (const held of state.held) if (held.guard && referencesDeclaration(expression, held.guard)) handed.add(held);
        if (frame.depth === 0 || frame.callback) state.held = state.held.filter((h) => !handed.has(h));
        else for (const held of handed) held.guard = undefined;
      }
      return this.leave(statement, 'return', state, frame);
    }
    if (Node.isThrowStatement(statement)) {
      this.walkExpression(statement.getExpression(), state, frame);
      const handler = frame.catches[frame.catches.length - 1];
      if (handler) {
        handler.push(state.clone());
        state.dead = true;
        return;
      }
      return this.leave(statement, 'throw', state, frame);
    }
    if (Node.isTryStatement(statement)) return this.walkTry(statement, state, frame);
    if (Node.isWhileStatement(statement) || Node.isDoStatement(statement) || Node.isForStatement(statement) || Node.isForOfStatement(statement) || Node.isForInStatement(statement)) {
      return this.walkLoop(statement, state, frame);
    }
    if (Node.isBreakStatement(statement) || Node.isContinueStatement(statement)) {
      const target = frame.loops[frame.loops.length - 1];
      if (target) {
        const exit = this.leaveScopes(state, frame, LOOP_DEPTHS.get(target));
        exit.broke = Node.isBreakStatement(statement);
        target.push(exit);
      }
      state.dead = true;
      return;
    }
    if (Node.isSwitchStatement(statement)) {
      this.walkExpression(statement.getExpression(), state, frame);
      const outcomes: State[] = [];
      let hasDefault = false;
      LOOP_DEPTHS.set(outcomes, { finallies: frame.finallies.length, usings: frame.usings.length });
      frame.loops.push(outcomes);
      for (const clause of statement.getClauses()) {
        if (Node.isDefaultClause(clause)) hasDefault = true;
        const branch = state.clone();
        this.walkStatements(clause.getStatements(), branch, frame);
        outcomes.push(branch);
      }
      frame.loops.pop();
      if (!hasDefault) outcomes.push(state.clone());
      return state.become(merge(outcomes));
    }
    if (Node.isLabeledStatement(statement)) return this.walkStatement(statement.getStatement(), state, frame);
    // Declarations of functions and classes run nothing now; their bodies are walked as their own roots.
  }

  /** `if (g)` / `if (!g) return` on a variable holding a tryLock() result: the lock is held where the guard exists. */
  private testGuard(condition: Node, thenState: State, elseState: State, frame: Frame): void {
    const test = guardTest(condition);
    const pending = test && frame.tries.get(test.declaration);
    if (!test || !pending) return;
    const taking = test.negated ? elseState : thenState;
    if (taking.held.some((h) => h.guard === test.declaration)) return;
    const held = this.acquire(pending.lock, 'try', pending.method, pending.call, taking, frame, undefined, pending.api);
    held.guard = test.declaration;
    pending.scope?.push(held);
  }

  private walkTry(statement: Node, state: State, frame: Frame): void {
    if (!Node.isTryStatement(statement)) return;
    const catchClause = statement.getCatchClause();
    const finallyBlock = statement.getFinallyBlock();
    const start = state.clone();
    const thrown: State[] = [];
    if (finallyBlock) frame.finallies.push(finallyBlock);
    if (catchClause) frame.catches.push(thrown);
    this.walkStatement(statement.getTryBlock(), state, frame);
    if (catchClause) {
      frame.catches.pop();
      // Anything in the try block may throw: the handler starts from what was held before it, or at an explicit throw.
      const handlerState = merge([start, ...thrown]);
      this.walkStatement(catchClause.getBlock(), handlerState, frame);
      state.become(merge([state, handlerState]));
    }
    if (finallyBlock) {
      frame.finallies.pop();
      if (!state.dead) this.walkStatement(finallyBlock, state, frame);
    }
  }

  private walkLoop(statement: Node, state: State, frame: Frame): void {
    const loop = statement as Node & { getStatement(): Node; getExpression?(): Node | undefined };
    let spinOn: TryCondition | undefined;
    if (Node.isForStatement(statement)) {
      const initializer = statement.getInitializer();
      if (initializer) this.walkExpressionOrList(initializer, state, frame);
      const condition = statement.getCondition();
      if (condition) this.walkExpression(condition, state, frame);
    } else if (Node.isWhileStatement(statement)) {
      spinOn = tryCondition(statement.getExpression(), this.host, frame.env);
      if (!spinOn) this.walkExpression(statement.getExpression(), state, frame);
    } else if (Node.isForOfStatement(statement) || Node.isForInStatement(statement)) {
      this.walkExpression(statement.getExpression(), state, frame);
      // `for await` suspends before every iteration, like an `await` at the loop head.
      if (Node.isForOfStatement(statement) && statement.isAwaited() && frame.depth === 0) {
        this.host.awaitReached({ root: frame.root, node: statement, held: state.held.filter((h) => h.definite) });
      }
    }
    const unrolled = this.unroll(statement, state, frame);
    if (unrolled) return state.become(unrolled);
    const exits: State[] = [];
    LOOP_DEPTHS.set(exits, { finallies: frame.finallies.length, usings: frame.usings.length });
    frame.loops.push(exits);
    const body = state.clone();
    this.walkStatement(loop.getStatement(), body, frame);
    if (Node.isForStatement(statement)) {
      const incrementor = statement.getIncrementor();
      if (incrementor && !body.dead) this.walkExpression(incrementor, body, frame);
    }
    if (Node.isDoStatement(statement) && !body.dead) this.walkExpression(statement.getExpression(), body, frame);
    frame.loops.pop();
    releaseElementsIfReleasing(state, body);
    // A loop that takes or releases the elements of a collection does it for all of them, none when it is empty: the
    // state after it is the body's, not a join with "never entered", or every lock-all/unlock-all pair would leak.
    const elementsChanged = elementHolds(body) !== elementHolds(state);
    const after = merge(elementsChanged ? [body, ...exits] : [state, body, ...exits]);
    // `while (!m.tryLock()) {}` leaves the loop only once the lock is taken.
    if (spinOn?.negated) this.acquire(spinOn.lock, 'try', spinOn.method, spinOn.call, after, frame);
    state.become(after);
  }

  /**
   * A loop over an array of known elements (`for (const l of locks)` or `for (let i = 0; i < locks.length; i++)`
   * with `locks` bound to `[a, b]` at the call site) runs once per element, in order: a hand-written lock-all then
   * takes its caller's order. Undefined when the loop is not of that shape.
   */
  private unroll(statement: Node, state: State, frame: Frame): State | undefined {
    let variable: Node | undefined;
    let elements: readonly Value[] | undefined;
    let counter = false;
    if (Node.isForOfStatement(statement)) {
      const declarations = Node.isVariableDeclarationList(statement.getInitializer()) ? (statement.getInitializer() as Node & { getDeclarations(): Node[] }).getDeclarations() : [];
      variable = declarations.length === 1 && Node.isIdentifier((declarations[0] as Node & { getNameNode(): Node }).getNameNode()) ? declarations[0] : undefined;
      elements = variable && mayHaveKnownElements(statement.getExpression(), frame) ? this.host.resolver.resolve(statement.getExpression(), frame.env)?.elements : undefined;
    } else if (Node.isForStatement(statement)) {
      const shape = countedLoop(statement);
      if (shape) {
        variable = shape.counter;
        elements = mayHaveKnownElements(shape.collection, frame) ? this.host.resolver.resolve(shape.collection, frame.env)?.elements : undefined;
        counter = true;
      }
    }
    if (!variable || !elements || elements.length === 0 || elements.length > MAX_UNROLL) return undefined;
    const breaks: State[] = [];
    let current = state.clone();
    for (let i = 0; i < elements.length && !current.dead; i++) {
      const bindings = new Map(frame.env.bindings);
      bindings.set(variable, counter ? { id: `counter:${i}`, name: String(i), constant: i } : elements[i]);
      const continues: State[] = [];
      LOOP_DEPTHS.set(continues, { finallies: frame.finallies.length, usings: frame.usings.length });
      const inner: Frame = { ...frame, env: { ...frame.env, bindings }, loops: [...frame.loops, continues], unrolling: true };
      this.walkStatement((statement as Node & { getStatement(): Node }).getStatement(), current, inner);
      // A `break` leaves the loop; a `continue` goes on with the next element. Both arrive here as loop exits.
      for (const exit of continues) if (exit.broke) breaks.push(exit);
      current = merge([current, ...continues.filter((exit) => !exit.broke)]);
    }
    return merge([current, ...breaks]);
  }

  /** `ms.forEach((m) => m.lock())` over an array of known elements: the callback once per element, in order (as `unroll`). */
  private unrollForEach(receiver: Node, fn: Node | undefined, call: CallExpression, state: State, frame: Frame): boolean {
    let callback = fn;
    while (callback && Node.isParenthesizedExpression(callback)) callback = callback.getExpression();
    if (!callback || !(Node.isArrowFunction(callback) || Node.isFunctionExpression(callback))) return false;
    const parameter = callback.getParameters()[0];
    const elements = parameter && mayHaveKnownElements(receiver, frame) ? this.host.resolver.resolve(receiver, frame.env)?.elements : undefined;
    if (!parameter || !elements || elements.length === 0 || elements.length > MAX_UNROLL) return false;
    for (const element of elements) {
      if (state.dead) break;
      const bindings = new Map(frame.env.bindings);
      bindings.set(parameter, element);
      this.walkCallback(callback, call, state, { ...frame, env: { ...frame.env, bindings }, unrolling: true });
    }
    return true;
  }

  private walkExpressionOrList(node: Node, state: State, frame: Frame): void {
    if (Node.isVariableDeclarationList(node)) {
      for (const declaration of node.getDeclarations()) {
        const initializer = declaration.getInitializer();
        if (initializer) this.walkExpression(initializer, state, frame);
      }
    } else this.walkExpression(node, state, frame);
  }

  /**
   * A call that can throw, in the walk's own function and outside any `catch`: the exception leaves the function
   * through its pending finally blocks and `using` disposals, so a lock those do not release leaks on that path.
   */
  private throwPath(call: CallExpression, state: State, frame: Frame): void {
    if (frame.depth !== 0 || frame.callback || frame.catches.length > 0) return;
    if (!state.held.some((h) => h.local && h.definite) || !this.host.mayThrow(call)) return;
    this.leave(call, 'call', state.clone(), frame);
  }

  /**
   * An awaited call outside any `catch` can reject (`await fetch(url)`, any promise): the rejection leaves the
   * function like a throw, through its pending finally blocks and `using` disposals, holding what was held before
   * the await. A lock the await itself takes (`await m.acquire()`) is not held if it rejects.
   */
  private rejectionPath(expression: Node, before: number, state: State, frame: Frame): void {
    if (frame.depth !== 0 || frame.callback || frame.catches.length > 0 || state.dead) return;
    const awaited = unwrapAwait(expression);
    if (!Node.isCallExpression(awaited) || neverRejects(awaited)) return;
    const exiting = state.clone();
    exiting.held = exiting.held.slice(0, before);
    if (!exiting.held.some((h) => h.local && h.definite)) return;
    this.leave(awaited, 'reject', exiting, frame);
  }

  /**
   * Leaving scopes by `break` or `continue`: the finally blocks and `using` disposals entered since the loop (or
   * switch) began run on the way out, as they do at run time.
   */
  private leaveScopes(state: State, frame: Frame, depths: { finallies: number; usings: number } | undefined): State {
    const exiting = state.clone();
    if (!depths) return exiting;
    for (const block of frame.finallies.slice(depths.finallies).reverse()) {
      const saved = frame.finallies;
      frame.finallies = saved.slice(0, depths.finallies);
      this.walkStatement(block, exiting, frame);
      frame.finallies = saved;
    }
    for (const scope of frame.usings.slice(depths.usings).reverse()) for (const held of [...scope].reverse()) this.dispose(held, exiting);
    return exiting;
  }

  /** Leaving the function by `return` or `throw`: run the pending finally blocks and `using` disposals, then record the exit. */
  private leave(statement: Node, how: 'return' | 'throw' | 'call' | 'reject', state: State, frame: Frame): void {
    const exiting = state.clone();
    const saved = frame.finallies;
    for (let i = saved.length - 1; i >= 0; i--) {
      // A finally block runs with the blocks around it still pending: an await in it that rejects (renovate's
      // cleanup in an inner finally) leaves through the outer finally, which releases the lock.
      frame.finallies = saved.slice(0, i);
      this.walkStatement(saved[i]!, exiting, frame);
    }
    frame.finallies = saved;
    for (const scope of frame.usings) for (const held of [...scope].reverse()) this.dispose(held, exiting);
    this.exit(statement, how, exiting, frame);
    state.dead = true;
  }

  private exit(node: Node, how: ExitFact['how'], state: State, frame: Frame): void {
    if (frame.callback || frame.depth > 0) {
      if (how !== 'throw' && how !== 'call' && how !== 'reject') frame.returns.push(state.clone());
      return;
    }
    const leaked = state.held.filter((h) => h.local);
    if (leaked.length === 0) this.host.cleanExit({ root: frame.root, exit: node });
    for (const held of leaked) this.host.exitHolding({ root: frame.root, held, exit: node, how });
  }

  private walkExpression(expression: Node, state: State, frame: Frame): void {
    if (state.dead) return;
    if (frame.depth > 0) {
      // Inside an inlined callee, an expression that can change nothing only costs its steps (see inert-expressions.ts).
      const inert = inertSteps(expression.compilerNode);
      if (inert !== undefined) return steps(frame.budget, inert);
    }
    step(frame.budget);
    if (Node.isArrowFunction(expression) || Node.isFunctionExpression(expression) || Node.isClassExpression(expression)) return;
    if (Node.isCallExpression(expression)) return this.walkCall(expression, state, frame);
    if (Node.isYieldExpression(expression)) {
      // A coroutine's `yield` suspends it like `await`: its consumer (or driver) runs while it holds what it holds.
      expression.forEachChild((child) => this.walkExpression(child, state, frame));
      if (frame.depth === 0 && !state.dead && enclosingCoroutine(expression)) this.host.awaitReached({ root: frame.root, node: expression, held: state.held.filter((h) => h.definite) });
      return;
    }
    if (Node.isAwaitExpression(expression)) {
      const before = state.held.length;
      this.walkExpression(expression.getExpression(), state, frame);
      this.rejectionPath(expression, before, state, frame);
      if (frame.depth === 0) this.host.awaitReached({ root: frame.root, node: expression, held: state.held.filter((h) => h.definite) });
      return;
    }
    const interesting = Node.isBinaryExpression(expression) || Node.isPrefixUnaryExpression(expression) || Node.isPostfixUnaryExpression(expression) || Node.isDeleteExpression(expression);
    if (interesting) this.record(expression, state, frame);
    const holds = state.held.length;
    if (Node.isConditionalExpression(expression)) {
      this.walkExpression(expression.getCondition(), state, frame);
      const known = knownTruth(expression.getCondition(), frame.env, this.host.resolver);
      if (known !== undefined) return this.walkExpression(known ? expression.getWhenTrue() : expression.getWhenFalse(), state, frame);
      const whenTrue = state.clone();
      const whenFalse = state.clone();
      this.walkExpression(expression.getWhenTrue(), whenTrue, frame);
      this.walkExpression(expression.getWhenFalse(), whenFalse, frame);
      return state.become(merge([whenTrue, whenFalse]));
    }
    expression.forEachChild((child) => this.walkExpression(child, state, frame));
    if (state.held.length > holds && Node.isBinaryExpression(expression) && expression.getOperatorToken().getKind() === ts.SyntaxKind.EqualsToken) {
      // `this.release = await this.mutex.acquire()`: the field holds the releaser, as a variable would.
      const field = releaserField(expression.getLeft()) ?? releaserVariable(expression.getLeft());
      if (field) state.held[state.held.length - 1]!.guard = field;
    }
    if (Node.isNewExpression(expression) && expression.getExpression().getText() === 'Worker') state.spawned = true;
    if (interesting && isMutation(expression)) this.write(expression, state, frame);
  }

  private write(expression: Node, state: State, frame: Frame): void {
    if (frame.depth !== 0) return;
    const target = writeTarget(expression);
    if (!target) return;
    const base = target.base ? this.host.resolver.resolve(target.base, frame.env) : undefined;
    this.host.wrote({ root: frame.root, node: expression, target: target.declaration, base, held: state.held.filter((h) => h.definite) });
  }

  private walkCall(call: CallExpression, state: State, frame: Frame): void {
    this.record(call, state, frame);
    const callee = call.getExpression();
    const args = call.getArguments();
    const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
    const receiver = Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
    // Evaluate the receiver chain and the arguments first, except callbacks (they run later or in place below).
    if (receiver) this.walkExpression(receiver, state, frame);
    for (const argument of args) this.walkExpression(argument, state, frame);
    if (state.dead) return;
    if (mutatedByCall(call)) this.write(call, state, frame);

    if (method === 'request') {
      const request = webLockRequest(call);
      if (request) return this.walkWebLock(call, request, state, frame);
    }
    if (receiver && method && this.walkCustomLock(call, receiver, method, state, frame)) return;
    if (receiver && method && ASYNC_MUTEX_METHODS.has(method) && this.walkAsyncMutex(call, receiver, method, state, frame)) return;
    if (method === 'finally' && args.length === 1 && this.releasesGuard(args[0]!, state)) {
      // `work().finally(() => release())`: the promise runs the release however the work settles, so the hold ends
      // on this path (later, but surely); walked in place only when that is all it does.
      return this.walkCallback(args[0]!, call, state, frame);
    }
    if (Node.isIdentifier(callee) && args.length === 0) {
      // `release()`: the function an async-mutex `acquire()` resolved to.
      const guardHolder = this.guardOf(callee, state);
      if (guardHolder) return state.releaseHeld(guardHolder);
    }
    const field = args.length === 0 ? releaserField(callee) : undefined;
    if (field) {
      // `this.release()`: a releaser kept in a field, called here or by another method (a hand-off).
      const guardHolder = state.held.find((h) => h.guard === field);
      if (guardHolder) return state.releaseHeld(guardHolder);
      this.host.released({ root: frame.root, guard: field });
    }

    const allFunction = runtimeFunctionOfCallee(callee);
    if (allFunction) return this.walkLockAll(call, allFunction === 'lockAllAsync' ? 'async' : 'blocking', allFunction, state, frame);

    if (receiver && method) {
      const guardHolder = this.guardOf(receiver, state);
      if (guardHolder && GUARD_RELEASES.has(method)) return state.releaseHeld(guardHolder);
      // A try method holds the lock only where a condition tests its result (see `tryCondition`).
      const what = lockCallOf(RUNTIME_MODEL, method);
      if (what && what.part !== 'tryAcquire') {
        const lock = this.host.lockValue(receiver, frame.env);
        if (lock && lock.kind !== 'Condition' && LOCK_KINDS.has(lock.kind!)) {
          if (what.part === 'acquire') {
            // An async acquisition is held once awaited; a promise kept or chained with `.then` is not followed.
            if (what.wait === 'async' && !this.settlesHeld(call, frame)) return;
            return void this.acquire(lock, what.wait, method, call, state, frame);
          }
          if (what.part === 'release') return this.release(lock, state, frame);
          if (what.part === 'runUnder') {
            const held = this.acquire(lock, what.wait, method, call, state, frame);
            const fn = args[args.length - 1];
            if (fn) this.walkCallback(fn, call, state, frame);
            return state.releaseHeld(held);
          }
        }
      }
      if (CONDITION_WAITS.has(method)) {
        const mutex = conditionMutex(receiver, this.host, frame.env);
        if (mutex) return this.rewait(mutex, method, call, state, frame);
      }
      if (IMMEDIATE_ARRAY_METHODS.has(method)) {
        const before = state.clone();
        if (method === 'forEach' && this.unrollForEach(receiver, args[0], call, state, frame)) return;
        for (const argument of args) this.walkCallback(argument, call, state, frame);
        // `held.forEach((h) => h.unlock())` runs once per element: it releases them all.
        releaseElementsIfReleasing(before, state);
        return;
      }
    }
    if (Node.isParenthesizedExpression(callee) || Node.isArrowFunction(callee) || Node.isFunctionExpression(callee)) {
      return this.walkCallback(callee, call, state, frame);
    }
    if (this.host.spawnsWorkers(call)) state.spawned = true;
    this.throwPath(call, state, frame);
    this.inline(call, state, frame);
  }

  /**
   * `navigator.locks.request(name, [options], callback)`: the named lock is held while the callback runs. A request
   * that is neither awaited nor returned does not keep the caller's asynchronous locks waiting: their callbacks can
   * settle before it is granted, so only what the thread holds synchronously is held around it.
   */
  private walkWebLock(call: CallExpression, request: WebLockRequest, state: State, frame: Frame): void {
    const name = lockNameOf(request.name, (identifier) => this.boundName(identifier, frame));
    const detached = !isAwaitedOrReturned(call);
    const inner = detached ? state.clone() : state;
    if (detached) inner.held = inner.held.filter((h) => h.api === undefined);
    let held: Held | undefined;
    if (name) {
      const lock: Value = { id: `weblock:${name.text}`, name: `'${name.text}'`, kind: 'Mutex', ...(name.dynamic !== undefined ? { index: name.dynamic, identityName: `'${name.text}'` } : {}) };
      held = this.acquire(lock, request.noWait ? 'try' : 'async', 'request', call, inner, frame, undefined, 'web-locks', request.shared);
    }
    if (request.callback) this.walkCallback(request.callback, call, inner, frame);
    if (held) inner.releaseHeld(held);
    if (!detached) return;
    if (inner.dead) state.dead = true;
  }

  /**
   * A lock name a helper's parameter stands for: the literal its call site passed, or, for a name computed there
   * (`` `doc:${id}` ``), one lock per what was passed, as for an index.
   */
  private boundName(identifier: Node, frame: Frame): { text: string; dynamic?: string } | undefined {
    const declaration = declarationOf(identifier);
    if (!declaration || !Node.isParameterDeclaration(declaration) || !frame.env.bindings.has(declaration)) return undefined;
    const value = frame.env.bindings.get(declaration);
    if (typeof value?.constant === 'string') return { text: value.constant };
    return value ? { text: '${…}', dynamic: value.id } : undefined;
  }

  /**
   * A method of a configured lock class (`lockModels`, by the receiver's checked type); false when it is none. A
   * `tryAcquire` method holds the lock only where a condition tests its result (see `tryCondition`).
   */
  private walkCustomLock(call: CallExpression, receiver: Node, method: string, state: State, frame: Frame): boolean {
    const found = this.host.customLock(receiver, method, frame.env);
    if (!found) return false;
    const { lock, call: what } = found;
    if (what.part === 'release') this.release(lock, state, frame);
    else if (what.part === 'acquire') {
      // As for the runtime's `lockAsync`: held once awaited; a promise kept or chained is not followed.
      if (what.wait === 'blocking' || this.settlesHeld(call, frame)) this.acquire(lock, what.wait, method, call, state, frame, undefined, 'custom');
    } else if (what.part === 'runUnder') {
      const held = this.acquire(lock, what.wait, method, call, state, frame, undefined, 'custom');
      const fn = call.getArguments().at(-1);
      if (fn) this.walkCallback(fn, call, state, frame);
      state.releaseHeld(held);
    }
    return true;
  }

  /** An async-mutex call (by the receiver's checked type); false when the receiver is not an async-mutex lock. */
  private walkAsyncMutex(call: CallExpression, receiver: Node, method: string, state: State, frame: Frame): boolean {
    const wrapped = asyncMutexWrapper(receiver);
    const lockNode = wrapped?.inner ?? receiver;
    const lock = this.host.lockValue(lockNode, frame.env);
    if (!lock || (lock.kind !== 'Mutex' && lock.kind !== 'Semaphore')) return false;
    if (!wrapped && !isAsyncMutexDeclaration(lock.declaration) && !isAsyncMutexReceiver(lockNode)) return false;
    const mode: AcquireMode = wrapped?.kind === 'try' ? 'try' : 'async';
    const part = lockCallOf(ASYNC_MUTEX_MODEL, method)?.part;
    if (part === 'acquire') {
      // Held once awaited; `m.acquire().then(...)` is not followed.
      if (this.settlesHeld(call, frame)) this.acquire(lock, mode, method, call, state, frame, undefined, 'async-mutex');
      return true;
    }
    if (part === 'release') {
      this.release(lock, state, frame);
      return true;
    }
    if (part === 'waitForUnlock') {
      // Waits without taking it: a wait for itself when this thread holds it, and an order edge from what it holds.
      this.host.acquired({ root: frame.root, lock, mode, method, stack: [...frame.stack, call], heldBefore: state.held.filter((h) => h.definite), api: 'async-mutex' });
      return true;
    }
    // `mutex.runExclusive(...)` nobody waits for queues a task of its own: it holds none of the caller's async locks.
    const task = isDetached(call) ? withoutAsyncHolds(state) : state;
    const held = this.acquire(lock, mode, method, call, task, frame, undefined, 'async-mutex');
    const fn = call.getArguments()[0];
    if (fn) this.walkCallback(fn, call, task, frame);
    task.releaseHeld(held);
    if (task !== state) state.spawned ||= task.spawned;
    return true;
  }

  /**
   * A condition wait releases its mutex and takes it back before returning, while every other held lock stays held:
   * the re-acquisition is an order edge from each of those (a wait inside another lock is the nested-monitor deadlock).
   */
  private rewait(mutex: Value, method: string, call: Node, state: State, frame: Frame): void {
    if (!state.held.some((h) => h.lock.id === mutex.id)) return;
    const others = state.held.filter((h) => h.definite && h.lock.id !== mutex.id);
    const mode = method.endsWith('Async') ? 'async' : 'blocking';
    this.host.acquired({ root: frame.root, lock: mutex, mode, method, stack: [...frame.stack, call], heldBefore: others });
  }

  /**
   * Whether an asynchronous acquisition is held once its promise settles here: it is awaited, or an inlined helper
   * returns it (`acquireLock(key) { return getMutex(key).acquire(); }`) to the caller, which awaits the helper.
   */
  private settlesHeld(call: Node, frame: Frame): boolean {
    if (isAwaited(call)) return true;
    if (frame.depth === 0 || frame.callback) return false;
    let parent = call.getParent();
    while (parent && Node.isParenthesizedExpression(parent)) parent = parent.getParent();
    return parent !== undefined && (Node.isReturnStatement(parent) || (Node.isArrowFunction(parent) && parent.getBody() === call));
  }

  /** Releases `lock`; one this path did not take was taken by another function and is handed over here (a fact). */
  private release(lock: Value, state: State, frame: Frame): void {
    if (!state.release(lock)) this.host.released({ root: frame.root, lock });
  }

  /** Whether a callback calls a release function this walk holds as a guard (`() => { release(); }`). */
  private releasesGuard(fn: Node, state: State): boolean {
    if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return false;
    return fn.getDescendantsOfKind(ts.SyntaxKind.CallExpression).some((c) => {
      const target = c.getExpression();
      return Node.isIdentifier(target) && this.guardOf(target, state) !== undefined;
    });
  }

  private guardOf(receiver: Node, state: State): Held | undefined {
    if (!Node.isIdentifier(receiver)) return undefined;
    const declaration = declarationOf(receiver);
    // A helper inlined inside its own callback (`withLock(a, () => withLock(b, ...))`) binds the same declaration
    // twice; the call being walked belongs to the innermost inlining, whose hold was taken last.
    return declaration ? state.held.findLast((h) => h.guard === declaration) : undefined;
  }

  private walkLockAll(call: CallExpression, mode: AcquireMode, method: string, state: State, frame: Frame): void {
    const [locksArgument, fn] = call.getArguments();
    const elements = locksArgument && Node.isArrayLiteralExpression(locksArgument) ? locksArgument.getElements() : locksArgument ? [locksArgument] : [];
    const group = nextGroup++;
    const taken: Held[] = [];
    for (const element of elements) {
      const lock = this.host.lockValue(element, frame.env);
      if (lock) taken.push(this.acquire(lock, mode, method, call, state, frame, group));
    }
    if (fn) this.walkCallback(fn, call, state, frame);
    for (const held of taken.reverse()) state.releaseHeld(held);
  }

  /**
   * A callback that runs before `call` returns: walked in place, holding what the caller holds. One written in place
   * belongs to the caller's body; one passed by name (`m.withLock(reload)`, `xs.forEach(this.evict, this)`) is walked
   * like a call of that function from `call`.
   */
  private walkCallback(fn: Node, call: CallExpression, state: State, frame: Frame): void {
    let node = fn;
    while (Node.isParenthesizedExpression(node)) node = node.getExpression();
    if (!Node.isArrowFunction(node) && !Node.isFunctionExpression(node)) {
      const reference = this.host.referencedFunction(node);
      if (reference) {
        const thisValue = reference.receiver ? this.host.resolver.resolve(reference.receiver, frame.env) : undefined;
        return this.inlineFunction(reference.target, call, new Map(frame.env.bindings), thisValue, state, frame);
      }
      // A callback the caller handed over (`runTx(fn) { return this.tx.runExclusive(fn) }`): the function bound to it.
      const value = this.host.resolver.resolve(node, frame.env);
      if (value?.fn) this.inlineFunction(value.fn, call, closureBindings(value, frame), closureThis(value, undefined), state, frame);
      return;
    }
    const inner: Frame = { ...frame, returns: [], finallies: [], usings: [], catches: [], loops: [], callback: true };
    this.walkBody(node, state, inner);
    const outcomes = [...inner.returns];
    if (!state.dead) outcomes.push(state.clone());
    if (outcomes.length > 0) state.become(merge(outcomes));
  }

  /**
   * A call of a function of the program that takes or releases locks: walk its body with its parameters bound. A
   * method with several possible implementations (an abstract one) is walked once per implementation, paths joined.
   * An async function nobody waits for (`void save()`, `save();`) runs as its own task: the caller's asynchronous
   * locks are not held by it, so what it takes queues behind them rather than nesting under them.
   */
  private inline(call: CallExpression, state: State, frame: Frame): void {
    // Holding nothing, a call that can run no function the walk inlines changes nothing: most calls are such, and
    // telling what they run would ask the type checker (in JavaScript, to infer the receiver's type).
    if (state.held.length === 0 && !this.host.mayInline(call) && !callsBoundParameter(call, frame)) return;
    const targets = this.targetsOf(call, frame);
    if (targets.length === 0) return this.handOver(call, state, frame);
    // The arguments are resolved only for a target the walk enters: most targets take no lock and call no callback.
    let values: (Value | undefined)[] | undefined;
    const detached = isDetached(call) && targets.some((t) => isAsyncFunction(t.fn));
    const start = detached ? withoutAsyncHolds(state) : state;
    const outcomes = targets.map((target) => {
      const path = targets.length === 1 && !detached ? start : start.clone();
      if (!this.entersInto(target.fn, frame)) return path;
      values ??= call.getArguments().map((argument) => this.host.resolver.resolve(argument, frame.env) ?? computedArgument(argument));
      const bindings = closureBindings(target.value, frame);
      const parameters = (target.fn as Node & { getParameters?(): Node[] }).getParameters?.() ?? [];
      values.forEach((value, index) => {
        const parameter = parameters[index];
        if (parameter) bindings.set(parameter, value);
      });
      // Parameters after the last argument are their defaults, unless a spread argument may fill them.
      const spread = call.getArguments().some((a) => Node.isSpreadElement(a));
      const omitted = spread ? undefined : new Set(parameters.slice(values.length).filter((p) => !(p as Node & { isRestParameter?(): boolean }).isRestParameter?.()));
      this.inlineFunction(target.fn, call, bindings, target.thisValue, path, frame, omitted);
      return path;
    });
    if (detached) state.spawned ||= outcomes.some((s) => s.spawned);
    else if (targets.length > 1) state.become(merge(outcomes));
  }

  /**
   * The functions a call runs, as far as this walk knows: a parameter bound to a function at the call site, a
   * function-valued field of a known object (`tx.listen(...)` with `tx` an object literal), the override of the
   * receiver's class, or the declaration the name resolves to.
   */
  private targetsOf(call: CallExpression, frame: Frame): { fn: Node; thisValue?: Value; value?: Value }[] {
    let callee: Node = call.getExpression();
    while (Node.isParenthesizedExpression(callee) || Node.isNonNullExpression(callee)) callee = callee.getExpression();
    if (Node.isIdentifier(callee)) {
      const declaration = declarationOf(callee);
      if (declaration && Node.isParameterDeclaration(declaration)) {
        const value = frame.env.bindings.get(declaration);
        return value?.fn ? [{ fn: value.fn, thisValue: closureThis(value, undefined), value }] : [];
      }
    }
    if (!Node.isPropertyAccessExpression(callee)) {
      const target = this.host.calleeOf(call);
      return target ? [{ fn: target }] : [];
    }
    const receiver = this.host.resolver.resolve(callee.getExpression(), frame.env);
    const field = receiver?.fields?.get(callee.getName());
    if (field?.fn) return [{ fn: field.fn, thisValue: closureThis(field, receiver), value: field }];
    return this.host.callTargets(call, receiver).map((fn) => ({ fn, thisValue: receiver }));
  }

  /**
   * A call of a callback the caller handed in (`callback(tx)` in `transaction(callback)`), which the analysis cannot
   * see, given an object with functions (`const tx = { listen: () => this.listen(...) }`): it may call any of them
   * while this walk holds its locks, so each is walked from here on a copy of the state, for what it takes.
   */
  private handOver(call: CallExpression, state: State, frame: Frame): void {
    if (!state.held.some((h) => h.definite)) return;
    const callee = call.getExpression();
    if (!Node.isIdentifier(callee) || !this.host.resolver.resolve(callee, frame.env)?.id.startsWith('param:')) return;
    for (const argument of call.getArguments()) {
      const handed = this.host.resolver.resolve(argument, frame.env);
      for (const field of handed?.fields?.values() ?? []) {
        if (!field.fn) continue;
        this.inlineFunction(field.fn, call, closureBindings(field, frame), closureThis(field, handed), state.clone(), frame);
      }
    }
  }

  /** Whether inlining `target` here walks its body at all (budget and recursion aside): what it binds matters only then. */
  private entersInto(target: Node, frame: Frame): boolean {
    if (frame.depth >= MAX_INLINE_DEPTH) return false;
    // A function that only calls the callbacks it is handed matters where those are bound.
    return this.host.touchesLocks(target) || this.host.callsParameters(target);
  }

  /** Walks `target`'s body as called from `call`, with its parameters bound as given. */
  private inlineFunction(target: Node, call: CallExpression, bindings: Map<Node, Value | undefined>, thisValue: Value | undefined, state: State, frame: Frame, omitted?: ReadonlySet<Node>): void {
    if (!this.entersInto(target, frame)) return;
    if (frame.budget.left <= 0) {
      frame.budget.callsCut = true;
      return;
    }
    // Recursion: a function already being walked is walked again only while holding something new, so
    // `visit -> descend -> visit` still shows what visit takes under descend's lock, and the walk terminates.
    const activeKey = `${target.getStart()}:${state.held.map((h) => h.lock.id).sort().join(',')}`;
    if (frame.active.has(activeKey)) return;
    const inner: Frame = {
      root: frame.root,
      env: { bindings, thisValue, workerData: frame.env.workerData, omitted },
      stack: [...frame.stack, call],
      depth: frame.depth + 1,
      active: new Set([...frame.active, activeKey]),
      returns: [],
      finallies: [],
      usings: [],
      catches: [],
      loops: [],
      callback: false,
      budget: frame.budget,
      tries: new Map(),
    };
    frame.budget.left--;
    const local = state.clone();
    this.walkBody(target, local, inner);
    const outcomes = [...inner.returns];
    if (!local.dead) outcomes.push(local);
    state.become(outcomes.length > 0 ? merge(outcomes) : local);
  }

  private acquire(lock: Value, mode: AcquireMode, method: string, node: Node, state: State, frame: Frame, group?: number, api?: LockApi, shared?: boolean): Held {
    const stack = [...frame.stack, node];
    const extra = { ...(api ? { api } : {}), ...(shared ? { shared } : {}) };
    this.host.acquired({ root: frame.root, lock, mode, method, stack, heldBefore: state.held.filter((h) => h.definite), group, ...extra });
    const held: Held = { lock, mode, method, stack, definite: true, local: !state.borrowed.delete(lock.id), group, ...extra };
    const callee = Node.isCallExpression(node) ? node.getExpression() : undefined;
    // Only a loop or an array method's callback can take (or release) every element: elsewhere no symbol lookup is spent.
    const inLoop = frame.loops.length > 0 || frame.callback;
    if (frame.unrolling || (inLoop && callee && Node.isPropertyAccessExpression(callee) && isElementExpression(callee.getExpression()))) held.element = true;
    state.held.push(held);
    return held;
  }
}


/** Whether a call's callee is named as a parameter this walk bound at a call site (`fn()` in `withRetry(fn)`). */
function callsBoundParameter(call: CallExpression, frame: Frame): boolean {
  let callee: ts.Expression = call.compilerNode.expression;
  while (ts.isNonNullExpression(callee) || ts.isParenthesizedExpression(callee)) callee = callee.expression;
  if (!ts.isIdentifier(callee) || frame.env.bindings.size === 0) return false;
  const name = callee.text;
  for (const declaration of frame.env.bindings.keys()) {
    const node = declaration.compilerNode;
    if (ts.isParameter(node) && ts.isIdentifier(node.name) && node.name.text === name) return true;
  }
  return false;
}

/** Whether `expression` is, or contains, a name for `declaration` (`release`, `{ release }`, `() => release()`). */
function referencesDeclaration(expression: Node, declaration: Node): boolean {
  const named = (node: Node): boolean => Node.isIdentifier(node) && declarationOf(node) === declaration;
  const inner = unwrapAwait(expression);
  if (named(inner)) return true;
  if (!Node.isObjectLiteralExpression(inner) && !Node.isArrowFunction(inner) && !Node.isFunctionExpression(inner) && !Node.isArrayLiteralExpression(inner)) return false;
  return inner.getDescendantsOfKind(ts.SyntaxKind.Identifier).some(named);
}

/**
 * An argument the analysis cannot resolve but that is computed here (`` `${a}:${b}` ``, `key(a)`): one value per call
 * site, so a helper's key parameter (`lockFor(key)`) tells two call sites' keys apart and one site's apart from none.
 */
function computedArgument(argument: Node): Value | undefined {
  let node = argument;
  while (Node.isParenthesizedExpression(node) || Node.isAsExpression(node) || Node.isNonNullExpression(node)) node = node.getExpression();
  const computed = Node.isTemplateExpression(node) || Node.isBinaryExpression(node) || Node.isCallExpression(node) || Node.isConditionalExpression(node) || Node.isElementAccessExpression(node);
  return computed ? { id: `arg:${node.getSourceFile().getFilePath()}:${node.getStart()}`, name: node.getText() } : undefined;
}

/** The field declaration of `this.release` (or `this.#release`): where a releaser can be kept between methods. */
function releaserField(expression: Node): Node | undefined {
  if (!Node.isPropertyAccessExpression(expression) || expression.getExpression().getKind() !== ts.SyntaxKind.ThisKeyword) return undefined;
  const declaration = declarationOf(expression.getNameNode());
  return declaration && Node.isPropertyDeclaration(declaration) ? declaration : undefined;
}

/**
 * `releaseLock = await acquireLock(key)` into a `let` declared before a conditional acquisition (renovate's http
 * layer takes its lock only for reads): the variable holds the releaser, as `const release = await m.acquire()` does.
 */
function releaserVariable(expression: Node): Node | undefined {
  if (!Node.isIdentifier(expression)) return undefined;
  const declaration = declarationOf(expression);
  return declaration && Node.isVariableDeclaration(declaration) ? declaration : undefined;
}

/** The bindings a function value's body sees: the walk's, and those of the place it was made. */
function closureBindings(value: Value | undefined, frame: Frame): Map<Node, Value | undefined> {
  const bindings = new Map(frame.env.bindings);
  for (const [declaration, bound] of value?.closure?.bindings ?? []) bindings.set(declaration, bound);
  return bindings;
}

/** What `this` is in a function value's body: lexical for an arrow, else the object it is called on (or was read from). */
function closureThis(value: Value, receiver: Value | undefined): Value | undefined {
  if (value.fn && Node.isArrowFunction(value.fn)) return value.closure?.thisValue;
  return receiver ?? value.closure?.thisValue;
}

function isAsyncFunction(fn: Node): boolean {
  return (fn as Node & { isAsync?(): boolean }).isAsync?.() === true;
}

/**
 * A call whose promise nobody waits for: a statement of its own (`save();`), `void save()`, the start of a
 * `.then`/`.catch`/`.finally` chain that is itself such a statement, or what a `forEach` callback returns.
 */
function isDetached(call: Node): boolean {
  let node: Node = call;
  let parent = node.getParent();
  for (;;) {
    while (parent && Node.isParenthesizedExpression(parent)) {
      node = parent;
      parent = parent.getParent();
    }
    if (!parent) return false;
    if (Node.isExpressionStatement(parent) || Node.isVoidExpression(parent)) return true;
    if (Node.isArrowFunction(parent) && parent.getBody() === node) {
      const owner = parent.getParent();
      const method = owner && Node.isCallExpression(owner) ? owner.getExpression() : undefined;
      return method !== undefined && Node.isPropertyAccessExpression(method) && method.getName() === 'forEach';
    }
    if (Node.isPropertyAccessExpression(parent) && /^(then|catch|finally)$/.test(parent.getName())) {
      const chained = parent.getParent();
      if (!chained || !Node.isCallExpression(chained)) return false;
      node = chained;
      parent = chained.getParent();
      continue;
    }
    return false;
  }
}

/** A copy of the state for a task of its own: the locks a thread holds stay held, asynchronous holds are the caller task's. */
function withoutAsyncHolds(state: State): State {
  const copy = state.clone();
  copy.held = copy.held.filter((h) => h.mode !== 'async' && !isAwaitableApi(h.api));
  return copy;
}

/** Promises that settle without rejecting: a timer, `Promise.resolve(v)`, a lock's own wait. */
function neverRejects(call: CallExpression): boolean {
  const callee = call.getExpression().getText();
  return /^(Promise\.(resolve|allSettled)|setTimeout|setImmediate|queueMicrotask|(timers\.)?(scheduler\.)?(wait|yield)|sleep|delay|tick|nextTick)$/.test(callee) || /\.(waitForUnlock|acquire|lockAsync|acquireAsync|waitAsync)$/.test(callee);
}

/** `await request(...)`, `return request(...)` or an arrow function's body: the caller waits for it to settle. */
function isAwaitedOrReturned(call: Node): boolean {
  if (isAwaited(call)) return true;
  let parent = call.getParent();
  while (parent && Node.isParenthesizedExpression(parent)) parent = parent.getParent();
  return parent !== undefined && (Node.isReturnStatement(parent) || Node.isArrowFunction(parent));
}

/** How many holds of a state were taken as collection elements (a loop that changes this is a lock-all or unlock-all). */
function elementHolds(state: State): number {
  let count = 0;
  for (const held of state.held) if (held.element) count++;
  return count;
}

/** `for (let i = 0; i < xs.length; i++)`: the counter's declaration and `xs`. */
function countedLoop(statement: Node): { counter: Node; collection: Node } | undefined {
  if (!Node.isForStatement(statement)) return undefined;
  const initializer = statement.getInitializer();
  const condition = statement.getCondition();
  if (!initializer || !Node.isVariableDeclarationList(initializer) || !condition || !Node.isBinaryExpression(condition)) return undefined;
  const [declaration] = initializer.getDeclarations();
  const start = declaration?.getInitializer();
  if (!declaration || initializer.getDeclarations().length !== 1 || !start || start.getText() !== '0') return undefined;
  if (condition.getOperatorToken().getText() !== '<' || condition.getLeft().getText() !== declaration.getName()) return undefined;
  const bound = condition.getRight();
  if (!Node.isPropertyAccessExpression(bound) || bound.getName() !== 'length') return undefined;
  const step = statement.getIncrementor()?.getText().replace(/\s/g, '');
  const name = declaration.getName();
  if (step !== `${name}++` && step !== `++${name}` && step !== `${name}+=1`) return undefined;
  return { counter: declaration, collection: bound.getExpression() };
}

/**
 * A cheap test before resolving a loop's collection: only an array literal, a copy or reversal of one, or a name
 * bound at a call site or declared with an array literal can have known elements. Most loops are none of these.
 */
function mayHaveKnownElements(expression: Node, frame: Frame, depth = 0): boolean {
  let node = expression;
  while (Node.isParenthesizedExpression(node) || Node.isNonNullExpression(node) || Node.isAsExpression(node)) node = node.getExpression();
  if (Node.isArrayLiteralExpression(node)) return true;
  if (depth > 3) return false;
  if (Node.isCallExpression(node)) {
    const callee = node.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return false;
    const source = callee.getName() === 'from' ? node.getArguments()[0] : callee.getExpression();
    return source !== undefined && mayHaveKnownElements(source, frame, depth + 1);
  }
  if (!Node.isIdentifier(node)) return false;
  if (frame.env.bindings.size === 0) {
    // Nothing bound: only a local array literal can be known.
    const declaration = declarationOf(node);
    const initializer = declaration && Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined;
    return initializer !== undefined && mayHaveKnownElements(initializer, frame, depth + 1);
  }
  return true;
}
