/**
 * Writes a workspace of a chosen size for the lock-graph tests: `locks` module-level mutexes spread over `files`
 * files, `edges` functions that each take one lock while holding another (in the three styles people write:
 * `using`, `withLock` callbacks, lock/unlock in try/finally, across imports), of which exactly `cycles` close a
 * cycle, and one function per lock that takes it alone. Ordinary orders only go from a lower lock index to a higher one and a cycle's locks are never held
 * while taking an outside lock, so no other cycle exists. Deterministic for a given seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspaceShape {
  locks: number;
  edges: number;
  cycles: number;
  files: number;
  seed?: number;
}

const DOMAINS = ['billing', 'orders', 'inventory', 'accounts', 'sessions', 'shipping', 'catalog', 'audit', 'payments', 'search', 'reports'];
const RESOURCES = ['ledger', 'queue', 'cache', 'index', 'journal', 'table', 'buffer', 'registry', 'pool', 'stats', 'config', 'outbox', 'snapshot'];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function generateWorkspace(root: string, shape: WorkspaceShape): void {
  const next = random(shape.seed ?? 7);
  const fileOf = (lock: number): number => lock % shape.files;
  const fileName = (file: number): string => `${DOMAINS[file % DOMAINS.length]}${file >= DOMAINS.length ? Math.floor(file / DOMAINS.length) + 1 : ''}.ts`;
  const lockName = (lock: number): string => `${RESOURCES[lock % RESOURCES.length]}${Math.floor(lock / RESOURCES.length) || ''}Lock`;

  const orders: [number, number][] = [];
  const inCycle = new Set<number>();
  let index = 0;
  for (let c = 0; c < shape.cycles; c++) {
    // Mostly pairs, every third a triangle: 6 cycles make exactly 14 edges, as in the workspace of the issue.
    const members = Array.from({ length: c % 3 === 1 ? 3 : 2 }, (_, k) => index + k);
    index += members.length;
    members.forEach((m, k) => {
      inCycle.add(m);
      orders.push([m, members[(k + 1) % members.length]!]);
    });
  }
  const seen = new Set(orders.map(([a, b]) => `${a}>${b}`));
  while (orders.length < shape.edges) {
    let a = Math.floor(next() * shape.locks);
    let b = Math.floor(next() * shape.locks);
    if (a === b) continue;
    if (a > b) [a, b] = [b, a];
    if (inCycle.has(a) || seen.has(`${a}>${b}`)) continue;
    seen.add(`${a}>${b}`);
    orders.push([a, b]);
  }

  const src = join(root, 'src');
  mkdirSync(src, { recursive: true });
  for (let file = 0; file < shape.files; file++) {
    const own = Array.from({ length: shape.locks }, (_, i) => i).filter((i) => fileOf(i) === file);
    const functions = orders.map((o, i) => [o, i] as const).filter(([[a]]) => fileOf(a) === file);
    const imports = new Map<number, Set<string>>();
    for (const [[, b]] of functions) {
      if (fileOf(b) !== file) (imports.get(fileOf(b)) ?? imports.set(fileOf(b), new Set()).get(fileOf(b))!).add(lockName(b));
    }
    const lines = [
      `// ${fileName(file).replace('.ts', '')}: generated for the lock-graph tests.`,
      `import { Mutex } from '@deadbolt/runtime';`,
      ...[...imports].map(([f, names]) => `import { ${[...names].sort().join(', ')} } from './${fileName(f).replace('.ts', '.js')}';`),
      '',
      ...own.map((i) => `export const ${lockName(i)} = new Mutex({ name: '${lockName(i)}' });`),
      '',
      // The work under the locks touches no shared state, so the only findings are the lock-order cycles.
      'function work(what: string): number {',
      '  return what.length;',
      '}',
      '',
      // Every lock is also taken on its own somewhere, as most locks are: such a lock is in the graph with no edge.
      ...own.flatMap((i) => [`export function touch${i}(): void {`, `  using _held = ${lockName(i)}.lock();`, `  work('touch${i}');`, '}', '']),
    ];
    for (const [[a, b], i] of functions) {
      const outer = lockName(a);
      const inner = lockName(b);
      switch (i % 3) {
        case 0:
          lines.push(`export function step${i}(): void {`, `  using _outer = ${outer}.lock();`, `  using _inner = ${inner}.lock();`, `  work('step${i}');`, '}', '');
          break;
        case 1:
          lines.push(`export function step${i}(): void {`, `  ${outer}.withLock(() => {`, `    ${inner}.withLock(() => {`, `      work('step${i}');`, '    });', '  });', '}', '');
          break;
        default:
          lines.push(
            `export function step${i}(): void {`, `  const outer = ${outer}.lock();`, '  try {', `    const inner = ${inner}.lock();`,
            '    try {', `      work('step${i}');`, '    } finally {', '      inner.unlock();', '    }', '  } finally {', '    outer.unlock();', '  }', '}', '',
          );
      }
    }
    writeFileSync(join(src, fileName(file)), lines.join('\n'));
  }
}
