/**
 * Generated graphs for the layout tests: a static lock graph of a given size with a given number of disjoint
 * cycles, built so that no other cycle exists (ordinary edges only go from a lower lock index to a higher one,
 * and a cycle's locks leave it by no ordinary edge), and a live graph of threads and locks with one deadlock.
 */
import type { LiveLockGraph, LockEdge, StaticLockGraph } from '../../src/protocol/index.js';

/** A small deterministic PRNG, so a failing layout can be reproduced. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const RESOURCES = ['accounts', 'ledger', 'orders', 'stock', 'sessions', 'cache', 'journal', 'inventory', 'billing', 'audit', 'queue', 'config'];

/**
 * How ordinary edges pick their locks: `random` joins any lower lock to any higher one (many small groups), `layered`
 * joins a lock to one of the next few (one long connected band, as layered code makes: a controller's lock held
 * while a service's is taken, held while a repository's is taken, and so on).
 */
export type EdgeShape = 'random' | 'layered';

export function staticGraph(locks: number, edges: number, cycles: number, files: number, seed = 1, shape: EdgeShape = 'random'): StaticLockGraph {
  const next = random(seed);
  const nodes = Array.from({ length: locks }, (_, i) => {
    const file = `file:///work/app/src/module${i % files}.ts`;
    return {
      id: `n${i}`,
      name: `${RESOURCES[i % RESOURCES.length]}${Math.floor(i / RESOURCES.length)}Lock`,
      kind: 'Mutex' as const,
      declaration: { uri: file, range: { start: { line: i, character: 0 }, end: { line: i, character: 10 } } },
    };
  });
  const site = (from: number, to: number) => ({
    thread: 'main',
    steps: [{ location: nodes[to]!.declaration, message: `takes ${nodes[to]!.name} while holding ${nodes[from]!.name}` }],
  });
  const out: LockEdge[] = [];
  const cycleList: string[][] = [];
  const inCycle = new Set<number>();
  // Cycles of two and three locks over the first locks, each lock in one cycle.
  let index = 0;
  for (let c = 0; c < cycles; c++) {
    const size = c % 2 === 0 ? 2 : 3;
    const members = Array.from({ length: size }, (_, k) => index + k);
    index += size;
    members.forEach((m) => inCycle.add(m));
    cycleList.push(members.map((m) => `n${m}`));
    members.forEach((m, k) => out.push({ from: `n${m}`, to: `n${members[(k + 1) % size]}`, chains: [site(m, members[(k + 1) % size]!)] }));
  }
  const seen = new Set(out.map((e) => `${e.from}>${e.to}`));
  let walk = 0;
  while (out.length < edges) {
    // A layered graph walks the locks in order, so consecutive locks join into one long band.
    let a = shape === 'layered' ? walk++ % locks : Math.floor(next() * locks);
    let b = shape === 'layered' ? a + 1 + Math.floor(next() * 3) : Math.floor(next() * locks);
    if (a === b || b >= locks) continue;
    if (a > b) [a, b] = [b, a];
    // A cycle lock may be entered from outside but never left, or a second cycle would close through it.
    if (inCycle.has(a)) continue;
    const key = `n${a}>n${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ from: `n${a}`, to: `n${b}`, chains: [site(a, b)] });
  }
  return { nodes, edges: out, cycles: cycleList };
}

/** `threads` threads over `locks` locks: each thread holds one or two locks and most wait; threads 0 and 1 deadlock. */
export function liveGraph(threads: number, locks: number): LiveLockGraph {
  const lockIds = Array.from({ length: locks }, (_, i) => `L${i}`);
  const holders = new Map<string, number[]>(lockIds.map((l) => [l, []]));
  const waiters = new Map<string, number[]>(lockIds.map((l) => [l, []]));
  const list = Array.from({ length: threads }, (_, t) => {
    const held = [lockIds[t % locks]!, ...(t % 3 === 0 ? [lockIds[(t + threads) % locks]!] : [])];
    held.forEach((l) => holders.get(l)!.push(t));
    const waitsFor = t === 0 ? lockIds[1]! : t === 1 ? lockIds[0]! : t % 2 === 0 ? lockIds[(t + 1) % locks]! : undefined;
    if (waitsFor) waiters.get(waitsFor)!.push(t);
    return { id: t, name: t === 0 ? 'main' : `worker-${t}`, state: waitsFor ? ('waiting' as const) : ('running' as const), ...(waitsFor ? { waitingFor: waitsFor } : {}) };
  });
  return {
    threads: list,
    locks: lockIds.map((id, i) => ({ id, name: `${RESOURCES[i % RESOURCES.length]}${i}`, kind: 'Mutex', holders: holders.get(id)!, waiters: waiters.get(id)! })),
    cycles: [{ threads: [0, 1], locks: ['L1', 'L0'], description: 'main waits for ledger1 held by worker-1, which waits for accounts0 held by main' }],
    deadlock: true,
  };
}
