/**
 * Generates the analysis benchmark's project: N modules of about 100 lines each, one in ten taking runtime locks
 * and calling into other lock modules, the rest ordinary typed code. A seeded PRNG makes every run identical.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** mulberry32: tiny, fast and good enough to pick shapes; the same seed gives the same project. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedProject {
  dir: string;
  modules: number;
  lines: number;
  lockModules: number;
}

const name = (i: number) => `mod${String(i).padStart(4, '0')}`;

/** Writes the project into `dir` (emptied first) with a tsconfig.json for both tsc and deadbolt. */
export function generateProject(dir: string, modules = 1000, seed = 20261121): GeneratedProject {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  const random = prng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const lockModules: number[] = [];
  let lines = 0;

  for (let i = 0; i < modules; i++) {
    const isLockModule = i % 10 === 0;
    // Plain modules import up to two earlier modules, so the import graph is a DAG like real code.
    const imports = i === 0 ? [] : [...new Set([pick(i), pick(i)])].filter((j) => j % 10 !== 0);
    const lockImports = isLockModule && lockModules.length > 0 ? [...new Set([lockModules[pick(lockModules.length)]!, lockModules[pick(lockModules.length)]!])] : [];
    const text = isLockModule ? lockModule(i, lockImports, pick) : plainModule(i, imports, pick);
    if (isLockModule) lockModules.push(i);
    writeFileSync(path.join(dir, 'src', `${name(i)}.ts`), text);
    lines += text.split('\n').length;
  }
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2024', 'ESNext.Disposable'],
          types: ['node'], strict: true, noEmit: true, skipLibCheck: true,
        },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
  return { dir, modules, lines, lockModules: lockModules.length };
}

function plainModule(i: number, imports: number[], pick: (n: number) => number): string {
  const out = [`// Generated module ${i}: ordinary typed code with no concurrency.`];
  for (const j of imports) out.push(`import { Store${j}, total${j} } from './${name(j)}.js';`);
  out.push(
    '',
    `export interface Item${i} {`,
    '  id: number;',
    '  name: string;',
    '  tags: string[];',
    '  score?: number;',
    '}',
    '',
    `export class Store${i} {`,
    `  private readonly items = new Map<number, Item${i}>();`,
    '',
    `  add(item: Item${i}): void {`,
    '    if (this.items.has(item.id)) throw new Error(`duplicate ${item.id}`);',
    '    this.items.set(item.id, item);',
    '  }',
    '',
    `  find(predicate: (item: Item${i}) => boolean): Item${i} | undefined {`,
    '    for (const item of this.items.values()) if (predicate(item)) return item;',
    '    return undefined;',
    '  }',
    '',
    '  get size(): number {',
    '    return this.items.size;',
    '  }',
    '}',
    '',
  );
  const functions = 5 + pick(3);
  for (let k = 0; k < functions; k++) {
    out.push(
      `export function compute${i}_${k}(values: readonly number[], factor = ${1 + pick(9)}): number {`,
      '  let sum = 0;',
      '  for (let index = 0; index < values.length; index++) {',
      `    const value = values[index] ?? 0;`,
      `    if (value % ${2 + pick(5)} === 0) sum += value * factor;`,
      '    else sum -= value;',
      '  }',
      `  return Math.round(sum / ${1 + pick(7)});`,
      '}',
      '',
    );
  }
  out.push(`export function total${i}(items: readonly Item${i}[]): number {`);
  out.push(`  return items.reduce((acc, item) => acc + (item.score ?? item.tags.length), 0)${imports.length > 0 ? ` + total${imports[0]}([])` : ''};`);
  out.push('}', '');
  for (const j of imports) out.push(`export const store${i}From${j} = new Store${j}();`);
  return `${out.join('\n')}\n`;
}

function lockModule(i: number, lockImports: number[], pick: (n: number) => number): string {
  const out = [
    `// Generated lock module ${i}: takes its own lock, then calls into earlier lock modules while holding it.`,
    "import { Mutex } from '@deadbolt/runtime';",
  ];
  for (const j of lockImports) out.push(`import { update${j} } from './${name(j)}.js';`);
  out.push(
    '',
    `export const lock${i} = new Mutex({ name: 'lock${i}' });`,
    `const counters${i} = new Int32Array(new SharedArrayBuffer(${16 * (1 + pick(4))}));`,
    `let balance${i} = 0;`,
    '',
    `export function update${i}(amount: number): number {`,
    `  using _guard = lock${i}.lock();`,
    `  balance${i} += amount;`,
  );
  // Always call earlier modules (lower numbers) under the lock: a consistent order, so no cycle.
  for (const j of lockImports) out.push(`  update${j}(amount);`);
  out.push(
    `  Atomics.add(counters${i}, 0, 1);`,
    `  return balance${i};`,
    '}',
    '',
    `export async function refresh${i}(): Promise<number> {`,
    `  using _guard = await lock${i}.lockAsync();`,
    `  return Atomics.load(counters${i}, 0) + balance${i};`,
    '}',
    '',
  );
  for (let k = 0; k < 8; k++) {
    out.push(
      `export function audit${i}_${k}(entries: readonly { id: number; amount: number }[]): number {`,
      `  lock${i}.lock();`,
      '  try {',
      '    let sum = 0;',
      '    for (const entry of entries) {',
      `      if (entry.amount > ${pick(100)}) sum += entry.amount;`,
      '    }',
      `    Atomics.add(counters${i}, ${k % 4}, sum);`,
      '    return sum;',
      '  } finally {',
      `    lock${i}.unlock();`,
      '  }',
      '}',
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
