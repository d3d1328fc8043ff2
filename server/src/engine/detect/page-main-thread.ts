/**
 * Finds blocking waits on a browser page's main thread, for `blocking-on-main-thread`: a file that uses the page's
 * globals (`document`, `window`) and none of a worker's runs on the main thread, where the engine refuses
 * Atomics.wait and the runtime throws BlockingNotAllowedError at every blocking call. Its sync code (top level, event
 * handlers, helpers) is checked here; its coroutines are `blocking-in-async`'s, which reports the same calls there.
 */
import { Node, ts, type CallExpression, type SourceFile } from 'ts-morph';
import type { RuleContext } from '../rule.js';
import type { Fix } from '../types.js';
import { blockingCallOf, isBusyWait, runsInline, type BlockingCall } from './blocking-calls.js';
import { BlockingSummaries, forEachInlineNode, isAsyncOrGenerator, isFunctionLike, type BlockingStep, type FunctionLike } from './blocking-summary.js';
import { relatedFor } from './blocking-in-coroutines.js';
import { isCoroutine } from './coroutines.js';
import { asyncTwinFix } from '../fixes/async-twin.js';
import { spanOf } from '../span.js';

/** Globals only a page (a Window) has. */
const PAGE_GLOBALS = new Set(['document', 'window']);
/** Globals only a worker has, or that a worker script uses to talk to its creator. */
const WORKER_GLOBALS = new Set(['importScripts', 'WorkerGlobalScope', 'DedicatedWorkerGlobalScope', 'parentPort', 'workerData']);

/** Whether `file` is page code: it names a page global, and no worker global, as a free identifier (not a local). */
export function isPageScript(file: SourceFile): boolean {
  let page = false;
  let worker = false;
  const visit = (node: ts.Node): void => {
    if (worker) return;
    if (ts.isIdentifier(node) && !isPropertyName(node)) {
      if (PAGE_GLOBALS.has(node.text) && isGlobal(file, node)) page = true;
      else if (WORKER_GLOBALS.has(node.text)) worker = true;
    }
    // `self.onmessage = ...` / `self.postMessage(...)`: a worker talking to its creator.
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'self' && /^(onmessage|postMessage)$/.test(node.name.text)) worker = true;
    ts.forEachChild(node, visit);
  };
  visit(file.compilerNode);
  return page && !worker;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
}

/** A free identifier: declared nowhere in the program's own files (the DOM lib declares it, or nothing does). */
function isGlobal(file: SourceFile, identifier: ts.Identifier): boolean {
  const symbol = file.getProject().getTypeChecker().compilerObject.getSymbolAtLocation(identifier);
  const declarations = symbol?.declarations ?? [];
  return declarations.every((declaration) => declaration.getSourceFile().isDeclarationFile);
}

/** Reports, under `blocking-on-main-thread`, each runtime wait or Atomics.wait reached from a page script's sync code. */
export function reportBlockingOnMainThread(context: RuleContext): void {
  const summaries = new BlockingSummaries(context.config, 'wait');
  for (const file of context.files) {
    if (!isPageScript(file)) continue;
    file.forEachDescendant((node) => {
      if (!Node.isCallExpression(node) || inCoroutine(node)) return;
      const found = summaries.classify(node);
      if (found === undefined) return;
      const last = found.chain[found.chain.length - 1]!;
      const blocking = Node.isCallExpression(last.node) ? blockingCallOf(last.node, context.config) : undefined;
      if (blocking === undefined || (blocking.kind !== 'runtime' && blocking.kind !== 'runtime-function' && blocking.kind !== 'atomics-wait')) return;
      const fix = found.direct === undefined ? undefined : handlerFix(node, found.direct, context, summaries);
      context.report({
        rule: 'blocking-on-main-thread',
        message: messageFor(found.chain, blocking),
        span: spanOf(node),
        related: relatedFor(found.chain),
        fixes: fix === undefined ? [] : [fix],
      });
    });
  }
}

/** Whether the call runs as part of a coroutine (through callbacks that run inline): blocking-in-async reports it. */
function inCoroutine(call: Node): boolean {
  for (let fn = enclosingFunction(call); fn !== undefined; fn = enclosingFunction(fn)) {
    if (isCoroutine(fn)) return true;
    if (!runsInline(fn)) return false;
  }
  return false;
}

function enclosingFunction(node: Node): FunctionLike | undefined {
  return node.getFirstAncestor(isFunctionLike) as FunctionLike | undefined;
}

function messageFor(chain: BlockingStep[], blocking: BlockingCall): string {
  const twin = blocking.kind === 'runtime' ? `\`await ${blocking.receiver}.${blocking.twin}()\`` : blocking.kind === 'runtime-function' ? `\`await ${blocking.twin}()\`` : '`await Atomics.waitAsync(...).value`';
  const what = blocking.kind === 'atomics-wait' ? 'the engine throws a TypeError there' : 'the runtime throws BlockingNotAllowedError there, at every call';
  const via = chain.length > 1 ? ` through sync calls: ${chain.map((step) => step.description).join(' → ')}` : '';
  return `${chain[0]!.description} would block a browser page's main thread${via}, where Atomics.wait is not allowed: ${what}. Use ${twin} in an async function, or run it in a Worker.`;
}

/**
 * The async twin in a callback the page calls and ignores the result of (an event handler, a timer): the callback
 * becomes async. Unsafe: code after the await then runs later, where `event.preventDefault()` comes too late. Only
 * for a handler whose one wait this is: another would still throw in the async handler (and stall it).
 */
function handlerFix(call: CallExpression, blocking: BlockingCall, context: RuleContext, summaries: BlockingSummaries): Fix | undefined {
  const handler = enclosingFunction(call);
  if (handler === undefined || !isCallback(handler) || isAsyncOrGenerator(handler) || waitsBesides(handler, call, summaries)) return undefined;
  const twin = asyncTwinFix(call, blocking, handler, context.config);
  if (twin === undefined) return undefined;
  const at = handler.getStart();
  const asyncEdit = { file: call.getSourceFile().getFilePath(), start: at, end: at, newText: 'async ' };
  return { title: `${twin.title} (the handler becomes async)`, safety: 'unsafe', preferred: false, edits: [asyncEdit, ...twin.edits] };
}

/** Whether `fn` waits anywhere but at `call`: another blocking call or chain, or a busy-wait. */
function waitsBesides(fn: FunctionLike, call: CallExpression, summaries: BlockingSummaries): boolean {
  let other = false;
  forEachInlineNode(fn.getBody()!, (node) => {
    if (other || node === call) return;
    other = (Node.isCallExpression(node) && summaries.classify(node) !== undefined) || isBusyWait(node);
  });
  return other;
}

/** A function expression or arrow handed to a call (`addEventListener('click', ...)`) or stored in an `on*` property. */
function isCallback(fn: FunctionLike): boolean {
  if (!Node.isArrowFunction(fn) && !Node.isFunctionExpression(fn)) return false;
  const parent = fn.getParent();
  if (parent !== undefined && Node.isCallExpression(parent) && parent.getArguments().includes(fn)) return !runsInline(fn);
  if (parent !== undefined && Node.isBinaryExpression(parent) && parent.getRight() === fn) {
    const left = parent.getLeft();
    return Node.isPropertyAccessExpression(left) && /^on[a-z]+$/.test(left.getName());
  }
  return false;
}
