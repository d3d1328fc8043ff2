/**
 * Whether putting an `await` at a call opens a window for another task: a synchronous call runs to its end without
 * letting any other task of the thread in, its awaited twin does not. When the coroutine reads shared state before
 * the call and writes it once the call returns (`if (cached) return cached; cached = load()`), the rewrite turns a
 * correct check-then-act into the race `async-atomicity` reports, so such a call gets no twin fix.
 */
import { Node } from 'ts-morph';
import { isWriteCandidate, locationOf, ownerOf, writtenExpression } from '../detect/shared-state.js';

/** True when `call`'s coroutine reads a shared location before `call` starts and writes it after `call` returns. */
export function opensRaceWindow(call: Node): boolean {
  const owner = ownerOf(call);
  if (owner === undefined) return false;
  const start = call.getStart();
  const writtenAfter = new Set<string>();
  const writeTargets = new Set<Node>();
  const nodes = owner.getDescendants();
  for (const write of nodes) {
    if (!isWriteCandidate(write.compilerNode) || write.getEnd() < call.getEnd() || ownerOf(write) !== owner) continue;
    const target = writtenExpression(write);
    const location = target === undefined ? undefined : locationOf(target);
    if (location === undefined || target === undefined) continue;
    writtenAfter.add(location.key);
    writeTargets.add(target);
  }
  if (writtenAfter.size === 0) return false;
  for (const read of nodes) {
    if (read.getEnd() > start || (!Node.isIdentifier(read) && !Node.isPropertyAccessExpression(read))) continue;
    if (writeTargets.has(read) || ownerOf(read) !== owner) continue;
    const location = locationOf(read);
    if (location !== undefined && writtenAfter.has(location.key)) return true;
  }
  return false;
}
