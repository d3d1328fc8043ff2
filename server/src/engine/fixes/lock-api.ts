/**
 * The API a fix speaks for the lock it touches. A lock is known by how the program takes it (the acquisition call,
 * its API, and for a `lockModels` class the model its type matches) or by its type; a fix then writes only methods
 * that API has: the runtime's by class (a Mutex's `withLock`, a Semaphore's `withPermit`), async-mutex's
 * `runExclusive` and the release function `acquire()` resolves to, Web Locks' `request`, and what a configured
 * class's model declares. A method no model declares is never written on a lock.
 */
import { Node } from 'ts-morph';
import { RUNTIME_BLOCKING } from '../detect/blocking-calls.js';
import { CustomLockModels } from '../model/custom-locks.js';
import type { AcquireMode } from '../model/facts.js';
import { ASYNC_MUTEX_MODEL, asyncMutexClassOfType, isAsyncMutexDeclaration, type LockApi, type LockMethods } from '../model/lock-models.js';
import { runtimeClassOfType } from '../model/runtime.js';
import type { DeadboltConfig, LockModelConfig } from '../types.js';

/** A lock's API and its method tables, as fixes need them. */
export interface LockApiOf {
  api: LockApi;
  /** What each method does (the runtime's for the lock's class). */
  methods: LockMethods;
  /** Whether `acquire` resolves to a function that releases (async-mutex): its releases are calls of that function. */
  releaseByFunction: boolean;
  /** The awaitable method that does what a blocking one does, with the same arguments, where the API has one. */
  asyncTwins: Readonly<Record<string, string>>;
}

/** The runtime's lock classes' own methods: a Mutex has no `acquire`, a Semaphore no `withLock`. */
const MUTEX_METHODS: LockMethods = {
  acquire: { lock: 'blocking', lockAsync: 'async' },
  tryAcquire: ['tryLock'],
  release: ['unlock'],
  runUnder: { withLock: 'blocking', withLockAsync: 'async' },
};
const RUNTIME_CLASS_METHODS: Readonly<Record<string, LockMethods>> = {
  Mutex: MUTEX_METHODS,
  RecursiveMutex: MUTEX_METHODS,
  Semaphore: {
    acquire: { acquire: 'blocking', acquireAsync: 'async' },
    tryAcquire: ['tryAcquire'],
    release: ['release'],
    runUnder: { withPermit: 'blocking', withPermitAsync: 'async' },
  },
};

/** The runtime class's API, for a lock whose class is known (`Mutex`, `RecursiveMutex`, `Semaphore`). */
export function runtimeLockApi(className: string | undefined): LockApiOf | undefined {
  const methods = className === undefined ? undefined : RUNTIME_CLASS_METHODS[className];
  if (methods === undefined) return undefined;
  return { api: 'runtime', methods, releaseByFunction: false, asyncTwins: RUNTIME_BLOCKING[className!] ?? {} };
}

const ASYNC_MUTEX_API: LockApiOf = { api: 'async-mutex', methods: ASYNC_MUTEX_MODEL, releaseByFunction: true, asyncTwins: {} };

/** A configured class's API: what its model declares, and the async twins it names (or `<method>Async`, when declared so). */
export function customLockApi(model: LockModelConfig): LockApiOf {
  const twins: Record<string, string> = {};
  const asyncMethods = new Set([...entries(model.acquire), ...entries(model.runUnder)].filter(([, wait]) => wait === 'async').map(([name]) => name));
  for (const [method, wait] of [...entries(model.acquire), ...entries(model.runUnder)]) {
    if (wait !== 'blocking') continue;
    const twin = model.asyncTwins?.[method] ?? (asyncMethods.has(`${method}Async`) ? `${method}Async` : undefined);
    if (twin !== undefined && asyncMethods.has(twin)) twins[method] = twin;
  }
  return { api: 'custom', methods: model, releaseByFunction: false, asyncTwins: twins };
}

function entries(table: Readonly<Record<string, AcquireMode>> | undefined): [string, AcquireMode][] {
  return Object.entries(table ?? {});
}

/**
 * The API of the lock an acquisition call takes, from what the walker recorded of it (`api`, and the lock's runtime
 * class as `kind`); a configured class's model is found again from the receiver's type. Undefined for Web Locks
 * (a request names its lock; see web-locks-order.ts) and for calls whose lock cannot be told.
 */
export function lockApiOfCall(call: Node, api: LockApi | undefined, kind: string | undefined, config: DeadboltConfig): LockApiOf | undefined {
  if (api === 'web-locks') return undefined;
  if (api === 'async-mutex') return ASYNC_MUTEX_API;
  const receiver = receiverOf(call);
  if (api === 'custom') {
    const method = methodOf(call);
    if (receiver === undefined || method === undefined) return undefined;
    const found = CustomLockModels.of(config).lockCallAt(receiver, method);
    return found === undefined ? undefined : customLockApi(found.model);
  }
  const known = kind !== undefined && Object.hasOwn(RUNTIME_CLASS_METHODS, kind) ? kind : receiver === undefined ? undefined : classOfExpression(receiver);
  // The walker read this call as the runtime's (untyped JavaScript, a parameter): its method says which class.
  return runtimeLockApi(known ?? runtimeClassOfMethod(methodOf(call)));
}

/** The runtime class whose acquisition `method` is: `lock`, `withLock`... are a Mutex's, `acquire`, `withPermit`... a Semaphore's. */
function runtimeClassOfMethod(method: string | undefined): string | undefined {
  if (method === undefined) return undefined;
  return Object.keys(RUNTIME_CLASS_METHODS).find((name) => {
    const methods = RUNTIME_CLASS_METHODS[name]!;
    return Object.hasOwn(methods.acquire ?? {}, method) || Object.hasOwn(methods.runUnder ?? {}, method) || methods.tryAcquire?.includes(method);
  });
}

/** The API of the lock an expression denotes, by its checked type (or, for async-mutex, its declaration). */
export function lockApiOfExpression(expression: Node, config: DeadboltConfig): LockApiOf | undefined {
  const custom = CustomLockModels.of(config).modelAt(expression);
  if (custom !== undefined) return customLockApi(custom);
  let type;
  try {
    type = expression.getType().getNonNullableType();
  } catch {
    return undefined;
  }
  if (asyncMutexClassOfType(type) !== undefined) return ASYNC_MUTEX_API;
  const declaration = (Node.isPropertyAccessExpression(expression) ? expression.getNameNode() : expression).getSymbol()?.getDeclarations()[0];
  if (isAsyncMutexDeclaration(declaration)) return ASYNC_MUTEX_API;
  return runtimeLockApi(classOfExpression(expression));
}

function classOfExpression(expression: Node): string | undefined {
  try {
    const type = expression.getType().getNonNullableType();
    return asyncMutexClassOfType(type) === undefined ? runtimeClassOfType(type) : undefined;
  } catch {
    return undefined;
  }
}

/** The lock expression of `lock.method(...)`. */
export function receiverOf(call: Node): Node | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getExpression() : undefined;
}

/** The method of `lock.method(...)`. */
export function methodOf(call: Node): string | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  return Node.isPropertyAccessExpression(callee) ? callee.getName() : undefined;
}

/** The first method of a table that waits as asked, if any. */
function methodWaiting(table: Readonly<Record<string, AcquireMode>> | undefined, wait: AcquireMode): string | undefined {
  return entries(table).find(([, w]) => w === wait)?.[0];
}

/**
 * `body` (statements, already indented one level below `indent`) run under the lock `lock` (its code at the place
 * of the edit), in the API's own words: a run-under method (`withLock`, `withPermitAsync`, `runExclusive`, a model's
 * `runUnder`), else its acquire method and first release method around a `try`/`finally`. In a coroutine an awaited
 * async form, outside one a blocking form; undefined when the API has none (an async-only lock outside a coroutine).
 */
export function runUnderText(lock: LockApiOf, lockText: string, body: string, indent: string, coroutine: boolean): string | undefined {
  const { methods } = lock;
  const wait: AcquireMode = coroutine ? 'async' : 'blocking';
  const runner = methodWaiting(methods.runUnder, wait);
  if (runner !== undefined) {
    return `${coroutine ? 'await ' : ''}${lockText}.${runner}(${coroutine ? 'async ' : ''}() => {\n${body}\n${indent}});`;
  }
  const acquire = methodWaiting(methods.acquire, wait);
  if (acquire === undefined) return undefined;
  const taken = `${coroutine ? 'await ' : ''}${lockText}.${acquire}()`;
  if (lock.releaseByFunction) return undefined; // the release function needs a name that is free here; runUnder covers async-mutex
  const release = methods.release?.[0];
  if (release === undefined) return undefined;
  return `${taken};\n${indent}try {\n${body}\n${indent}} finally {\n${indent}  ${lockText}.${release}();\n${indent}}`;
}
