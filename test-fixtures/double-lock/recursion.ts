// Mutual recursion under locks: visit re-enters itself through descend while still holding `tree`.
import { Mutex } from '@deadbolt/runtime';

const tree = new Mutex({ name: 'tree' });
const leaf = new Mutex({ name: 'leaf' });

function visit(depth: number): void {
  tree.withLock(() => {
    if (depth > 0) descend(depth - 1); // expect: double-lock
  });
}

function descend(depth: number): void {
  leaf.withLock(() => {
    visit(depth); // expect: double-lock
  });
}

export function start(): void {
  visit(3);
}
