/**
 * Finds what blocks inside each coroutine of a file, for the two rules that report it: `blocking-in-async`
 * (waits on other threads or time) and `sync-io-in-async` (Node's `*Sync` I/O). Both share the walk, the chains
 * through sync helpers, the messages and the async-twin fixes; only the category of blocking differs.
 */
import { Node, type SourceFile } from 'ts-morph';
import type { RuleContext } from '../rule.js';
import type { RelatedLocation, RuleId } from '../types.js';
import { isBusyWait, type BlockingCall } from './blocking-calls.js';
import { BlockingSummaries, forEachInlineNode, isFunctionLike, type BlockingCategory, type BlockingStep, type FunctionLike } from './blocking-summary.js';
import { findNodesCached } from './compiler-walk.js';
import { asyncTwinFix, zlibCallbackTwin } from '../fixes/async-twin.js';
import { asyncChainFix } from '../fixes/async-chain.js';
import { isAwaitableApi } from '../model/lock-models.js';
import { spanOf } from '../span.js';
import { isCoroutine, isCoroutineCandidate } from './coroutines.js';

/** Reports, under `rule`, every blocking call of `category` (and for waits, every busy-wait) inside a coroutine of `context.files`. */
export function reportBlockingInCoroutines(context: RuleContext, rule: RuleId, category: BlockingCategory): void {
  const summaries = new BlockingSummaries(context.config, category);
  for (const file of context.files) checkFile(context, rule, category, summaries, file);
}

function checkFile(context: RuleContext, rule: RuleId, category: BlockingCategory, summaries: BlockingSummaries, file: SourceFile): void {
  for (const node of findNodesCached(file, isCoroutineCandidate)) {
    if (!isFunctionLike(node) || !isCoroutine(node)) continue;
    const body = node.getBody();
    if (body === undefined) continue;
    forEachInlineNode(body, (inner) => {
      if (Node.isCallExpression(inner)) {
        const found = summaries.classify(inner);
        if (found === undefined) return;
        // A generator coroutine suspends with `yield`, not `await`: the async twin's fix does not fit it. Under a
        // lock taken without an async wait the twin's `await` would suspend holding it (an await-holding-lock error
        // traded for this finding), so that lock is the thing to change first and no fix is offered.
        // Through a sync helper, the fix makes the chain async: the helper, its blocking calls and its calls.
        const fix = !isAsync(node) || holdsSyncLock(context, inner, node)
          ? undefined
          : found.direct === undefined ? asyncChainFix(inner, context.config, context.model) : asyncTwinFix(inner, found.direct, node, context.config);
        context.report({
          rule,
          message: messageFor(node, found.chain, found.direct),
          span: spanOf(inner),
          related: relatedFor(found.chain),
          fixes: fix === undefined ? [] : [fix],
        });
      } else if (category === 'wait' && isBusyWait(inner)) {
        context.report({
          rule,
          message: `A busy-wait loop spins inside ${describeCoroutine(node)}: no other task on this event loop runs until it ends. Await a timer or Atomics.waitAsync instead.`,
          span: spanOf(inner),
          related: [],
          fixes: [],
        });
      }
    });
  }
}

/**
 * Whether a lock held at `call` was taken by a blocking or try acquisition: one the coroutine took with
 * `lockAsync`/`withLockAsync`, or a Web Lock or async-mutex lock, may be held across an await; any other may not
 * (await-holding-lock).
 */
function holdsSyncLock(context: RuleContext, call: Node, coroutine: FunctionLike): boolean {
  const held = context.model.heldAt(call);
  if (held.length === 0) return false;
  const start = coroutine.getStart();
  const end = coroutine.getEnd();
  const takenAsync = new Set<string>();
  for (const fact of context.model.facts.acquisitions) {
    // Web Locks and async-mutex are async locks wherever they are taken: holding one across an await is their idiom.
    if (isAwaitableApi(fact.api)) {
      takenAsync.add(fact.lock.id);
      continue;
    }
    const site = fact.stack[fact.stack.length - 1];
    if (fact.mode !== 'async' || site === undefined || site.getSourceFile() !== coroutine.getSourceFile()) continue;
    if (site.getStart() >= start && site.getEnd() <= end) takenAsync.add(fact.lock.id);
  }
  return held.some((lock) => !takenAsync.has(lock.id));
}

function isAsync(node: FunctionLike): boolean {
  return (Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node) || Node.isArrowFunction(node)) && node.isAsync();
}

function describeCoroutine(node: FunctionLike): string {
  const name = Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node) ? node.getName() : undefined;
  const generator = (Node.isFunctionDeclaration(node) || Node.isFunctionExpression(node) || Node.isMethodDeclaration(node)) && node.isGenerator();
  const kind = generator ? (isAsync(node) ? 'async generator' : 'generator coroutine') : 'async function';
  if (Node.isMethodDeclaration(node)) return `${generator ? kind : 'async method'} \`${name}\``;
  if (name !== undefined) return `${kind} \`${name}\``;
  const holder = node.getParent();
  if (holder !== undefined && (Node.isVariableDeclaration(holder) || Node.isPropertyDeclaration(holder) || Node.isPropertyAssignment(holder))) {
    return `${kind} \`${holder.getName()}\``;
  }
  return `${kind.startsWith('async') ? 'an' : 'a'} ${kind}`;
}

function messageFor(coroutine: FunctionLike, chain: BlockingStep[], direct: BlockingCall | undefined): string {
  const where = describeCoroutine(coroutine);
  if (direct === undefined) {
    const path = chain.map((step) => step.description).join(' → ');
    return `${chain[0]!.description} blocks the thread inside ${where} through sync calls: ${path}. No other task on this event loop runs meanwhile; make the chain async.`;
  }
  return `${direct.description} blocks the thread inside ${where}: no other task on this event loop runs until it returns. ${adviceFor(direct)}`;
}

/**
 * fs functions that fs/promises exports under the name without `Sync`. `existsSync` is absent on purpose: Node
 * has no promise-returning `exists`, so the advice names `access` instead.
 */
const FS_PROMISES_NAMES = new Set([
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchmod', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir',
  'mkdtemp', 'open', 'opendir', 'readdir', 'readFile', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs',
  'symlink', 'truncate', 'unlink', 'utimes', 'writeFile',
]);

function adviceFor(blocking: BlockingCall): string {
  switch (blocking.kind) {
    case 'atomics-wait':
      return 'Use `await Atomics.waitAsync(...).value`.';
    case 'runtime':
      return `Use \`await ${blocking.receiver}.${blocking.twin}()\`.`;
    case 'runtime-function':
      return `Use \`await ${blocking.twin}()\`.`;
    case 'node-sync':
      return nodeSyncAdvice(blocking.module, blocking.name);
    case 'configured':
      return 'Use an asynchronous alternative.';
  }
}

function nodeSyncAdvice(module: string, name: string): string {
  const zlibTwin = module === 'zlib' ? zlibCallbackTwin(name) : undefined;
  if (zlibTwin !== undefined) return `zlib has no promise API: use \`await promisify(${zlibTwin})(...)\` (promisify from node:util).`;
  if (module !== 'fs') return `Use the asynchronous ${module} API.`;
  if (name === 'existsSync') return 'fs/promises has no `exists`: use `await access(path)` from fs/promises and treat a rejection as absent.';
  const twin = name.slice(0, -'Sync'.length);
  if (FS_PROMISES_NAMES.has(twin)) return `Use \`await ${twin}()\` from fs/promises.`;
  return 'Use the asynchronous fs API (a FileHandle from `open()` in fs/promises, or the callback form).';
}

/** Each step after the call in the coroutine, so an editor can walk the chain down to what blocks. */
export function relatedFor(chain: BlockingStep[]): RelatedLocation[] {
  return chain.slice(1).map((step, index) => ({
    span: spanOf(step.node),
    message: index === chain.length - 2 ? `${step.description} blocks here` : `which calls ${step.description}`,
  }));
}
