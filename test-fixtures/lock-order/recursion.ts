// Recursive and mutually recursive lock-taking functions: the analysis terminates and still sees the inverted pair.
import { Mutex } from '@deadbolt/runtime';

const tree = new Mutex({ name: 'tree' });
const leaf = new Mutex({ name: 'leaf' });

export function visit(depth: number): void {
  tree.withLock(() => {
    leaf.withLock(() => {});
  });
  if (depth > 0) visit(depth - 1);
}

function prune(depth: number): void {
  leaf.withLock(() => {
    tree.withLock(() => {}); // expect: lock-order
  });
  if (depth > 0) pruneNext(depth);
}

function pruneNext(depth: number): void {
  prune(depth - 1);
}

export function start(): void {
  prune(3);
}
