import { Mutex, Semaphore } from '@deadbolt/runtime';
import { readFileSync } from 'node:fs';

// 1. callbacks by reference
class Store {
  private mu = new Mutex({ name: 'store' });
  private data = new Map<string, number>();
  private bump(k: string) { this.mu.lock(); try { this.data.set(k, (this.data.get(k) ?? 0) + 1); } finally { this.mu.unlock(); } }
  bumpMany(keys: string[]) { this.mu.withLock(() => keys.map(this.bump.bind(this))); } // H+ double-lock
  bumpLoose(keys: string[]) { keys.forEach((k) => this.bump(k)); } // H-
}
export const s = new Store();
const m1 = new Mutex({ name: 'm1' });
function tick() { m1.lock(); m1.unlock(); }
export function every() { m1.withLock(tick); } // H+ double-lock
export function some() { [1, 2].forEach(tick); } // H-

// 2. collections
const shardLocks: Record<string, Mutex> = { a: new Mutex({ name: 'A' }), b: new Mutex({ name: 'B' }) };
export function ab() { shardLocks.a!.withLock(() => shardLocks['b']!.withLock(() => 0)); } // H+ lock-order
export function ba() { shardLocks.b!.withLock(() => shardLocks.a!.withLock(() => 0)); } // H+ lock-order
const pool = new Map<number, Mutex>();
pool.set(1, new Mutex()); pool.set(2, new Mutex());
export function p12() { const x = pool.get(1)!; const y = pool.get(2)!; x.lock(); y.lock(); y.unlock(); x.unlock(); } // H- (one order)
export function p12b() { using _x = pool.get(1)!.lock(); using _y = pool.get(2)!.lock(); } // H-
const buckets: Mutex[] = [new Mutex(), new Mutex(), new Mutex()];
export function move(from: number, to: number) { using _a = buckets[from]!.lock(); using _b = buckets[to]!.lock(); } // H+ lock-order (self-loop)
export function moveSafe(from: number, to: number) { const lo = Math.min(from, to), hi = Math.max(from, to); using _a = buckets[lo]!.lock(); using _b = buckets[hi]!.lock(); } // H- (provable)

// 3. loops
function lockAllOf(ms: Mutex[]) { ms.forEach((m) => m.lock()); }
function unlockAllOf(ms: Mutex[]) { ms.forEach((m) => m.unlock()); }
const x = new Mutex({ name: 'x' }), y = new Mutex({ name: 'y' });
export function xy() { lockAllOf([x, y]); try { } finally { unlockAllOf([x, y]); } } // H+ lock-order
export function yx() { lockAllOf([y, x]); try { } finally { unlockAllOf([y, x]); } } // H+ lock-order
export function each(ms: Mutex[]) { for (const m of ms) { m.lock(); } try { return 1; } finally { for (const m of ms.slice().reverse()) m.unlock(); } } // H- leak

// 4. exceptions
const cfg = new Mutex({ name: 'cfg' });
function parse(t: string) { const v = JSON.parse(t) as { n: number }; if (typeof v.n !== 'number') throw new Error('bad'); return v.n; }
export function load(t: string) { cfg.lock(); const n = parse(t); cfg.unlock(); return n; } // H+ lock-leak
export function loadSafe(t: string) { cfg.lock(); try { return parse(t); } finally { cfg.unlock(); } } // H-
export function readCfg(p: string) { const sem = permits; sem.acquire(); const t = readFileSync(p, 'utf8'); sem.release(); return t; } // H+ lock-leak
const permits = new Semaphore(1);
export function quiet() { cfg.lock(); const n = Math.max(1, 2); console.log(n); cfg.unlock(); } // H-

// 5. generators
export async function* pages(): AsyncGenerator<number> { const g = cfg.lock(); try { yield 1; } finally { g.unlock(); } } // H+ await-holding-lock (yield line)
export function* nums(): Generator<number> { cfg.lock(); try { yield 1; } finally { cfg.unlock(); } } // H-
declare function co<T>(g: () => Generator<unknown, T>): Promise<T>;
export const r = co(function* () { readFileSync('x'); yield 1; return 1; }); // H+ blocking-in-async
export const arr = [...nums()]; // H-
