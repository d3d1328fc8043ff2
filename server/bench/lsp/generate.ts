/**
 * Writes the synthetic project the LSP benchmark edits: N modules of about 100 lines in a chain of imports, every
 * tenth one using @deadbolt/runtime locks and shared memory (so the analyser has real work), the rest plain code.
 * Written for the LSP benchmark because no shared generator existed in server/bench/ when it was needed.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedProject {
  root: string;
  files: string[];
  lines: number;
  /** A concurrency module in the middle of the chain: the one the benchmark edits. */
  edited: string;
}

function concurrencyModule(i: number): string[] {
  return [
    `import { Mutex } from '@deadbolt/runtime';`,
    `const lock${i} = new Mutex({ name: 'lock${i}' });`,
    `const cells${i} = new Int32Array(new SharedArrayBuffer(64));`,
    `export function work${i}(n: number): number {`,
    `  lock${i}.lock();`,
    `  try {`,
    `    return Atomics.add(cells${i}, n % 16, 1) + step${i}(n);`,
    `  } finally {`,
    `    lock${i}.unlock();`,
    `  }`,
    `}`,
    `export function peek${i}(): number {`,
    `  return Atomics.load(cells${i}, 0);`,
    `}`,
    `// EDIT-HERE`,
  ];
}

function plainBody(i: number, target: number): string[] {
  const lines: string[] = [];
  lines.push(`export interface Record${i} { id: number; name: string; tags: string[]; score: number }`);
  lines.push(`export function step${i}(n: number): number {`, `  return n > 0 ? (n * ${(i % 7) + 1}) % 97 : 0;`, `}`);
  while (lines.length < target) {
    const k = lines.length;
    lines.push(
      `export function make${i}_${k}(id: number, name: string): Record${i} {`,
      `  const tags = name.split('-').filter((t) => t.length > 0);`,
      `  return { id, name, tags, score: tags.reduce((s, t) => s + t.length, step${i}(id)) };`,
      `}`,
      `export class Store${i}_${k} {`,
      `  private readonly items = new Map<number, Record${i}>();`,
      `  add(item: Record${i}): void { this.items.set(item.id, item); }`,
      `  best(): Record${i} | undefined { return [...this.items.values()].sort((a, b) => b.score - a.score)[0]; }`,
      `}`,
    );
  }
  return lines;
}

export function generateProject(root: string, modules = 1000, linesPerModule = 100): GeneratedProject {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: { target: 'ES2023', lib: ['ES2024', 'ESNext.Disposable'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true },
        include: ['src'],
      },
      null,
      2,
    ),
  );
  const files: string[] = [];
  let lines = 0;
  for (let i = 0; i < modules; i++) {
    const head = i > 0 ? [`import { step${i - 1} } from './m${i - 1}.js';`, `export const chained${i} = step${i - 1}(${i});`] : [];
    const special = i % 10 === 0 ? concurrencyModule(i) : [];
    const body = plainBody(i, linesPerModule - head.length - special.length);
    const text = [...head, ...special, ...body].join('\n') + '\n';
    const file = join(root, 'src', `m${i}.ts`);
    writeFileSync(file, text);
    files.push(file);
    lines += text.split('\n').length - 1;
  }
  return { root, files, lines, edited: files[Math.floor(modules / 2 / 10) * 10]! };
}
