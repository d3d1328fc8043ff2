/**
 * The program model's answers that other rules build on: held locks through callers, lock identity through
 * aliases, getters and imports, runtime calls, shared memory and coroutines.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Node, Project, SyntaxKind, ts, type SourceFile } from 'ts-morph';
import { buildModel } from '../../src/engine/model/program-model.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deadbolt-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(path.join(dir, 'locks.ts'), `import { Mutex } from '@deadbolt/runtime';
export const shared = new Mutex({ name: 'shared' });
`);
writeFileSync(path.join(dir, 'main.ts'), `import { Mutex, Semaphore } from '@deadbolt/runtime';
import { shared as imported } from './locks.js';

const counts = new Int32Array(new SharedArrayBuffer(16));
const local = new Int32Array(4);
const permits = new Semaphore(2);

class Store {
  private readonly mutex = new Mutex({ name: 'store' });
  private get lock(): Mutex { return this.mutex; }
  private total = 0;

  add(): void {
    using _ = this.lock.lock();
    this.bump();
  }

  addTwice(): void {
    const alias = this.mutex;
    alias.withLock(() => this.bump());
  }

  private bump(): void {
    this.total++;
  }

  loose(): void {
    this.total = 0;
  }
}

export function tally(): void {
  imported.lock();
  counts[0]++;
  imported.unlock();
  local[0]++;
  permits.acquire();
  permits.release();
}

export async function later(): Promise<void> {
  await Promise.resolve();
}
export { Store };
`);

function load(): { main: SourceFile; model: ReturnType<typeof buildModel> } {
  const project = new Project({
    compilerOptions: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true },
  });
  const files = [project.addSourceFileAtPath(path.join(dir, 'locks.ts')), project.addSourceFileAtPath(path.join(dir, 'main.ts'))];
  return { main: files[1]!, model: buildModel(project, files, {}) };
}

function find(file: SourceFile, text: string): Node {
  const node = file.getDescendants().find((n) => n.getText() === text);
  assert.ok(node, `no node ${text}`);
  return node;
}

test('heldAt: a helper called only under a lock holds what every caller holds', () => {
  const { main, model } = load();
  assert.deepEqual(model.heldAt(find(main, 'this.total++')).map((l) => l.name), ['this.mutex']);
  assert.deepEqual(model.heldAt(find(main, 'this.total = 0')), []);
  assert.deepEqual(model.heldAt(find(main, 'counts[0]++')).map((l) => l.name), ['shared']);
  assert.deepEqual(model.heldAt(find(main, 'local[0]++')), []);
});

test('lockOf: aliases, getters and imports resolve to the declaration they stand for', () => {
  const { main, model } = load();
  const viaGetter = model.lockOf(find(main, 'this.lock'));
  const viaAlias = model.lockOf(find(main, 'alias'));
  assert.equal(viaGetter?.kind, 'Mutex');
  assert.equal(viaGetter?.id, viaAlias?.id);
  const imported = model.lockOf(find(main, 'imported'));
  assert.equal(imported?.name, 'shared');
  assert.match(imported?.id ?? '', /locks\.ts:/);
  assert.equal(model.lockOf(find(main, 'local')), undefined);
});

test('runtimeCall, isSharedMemory, enclosingCoroutine and callees', () => {
  const { main, model } = load();
  const acquire = find(main, 'permits.acquire()');
  assert.deepEqual({ ...model.runtimeCall(acquire), receiver: undefined }, { className: 'Semaphore', method: 'acquire', receiver: undefined });
  assert.equal(model.runtimeCall(find(main, 'Promise.resolve()')), undefined);
  assert.equal(model.isSharedMemory(find(main, 'counts[0]').getFirstChildByKind(SyntaxKind.Identifier)!), true);
  assert.equal(model.isSharedMemory(find(main, 'local[0]').getFirstChildByKind(SyntaxKind.Identifier)!), false);
  const awaited = find(main, 'await Promise.resolve()');
  assert.equal((model.enclosingCoroutine(awaited) as Node & { getName(): string }).getName(), 'later');
  assert.equal(model.enclosingCoroutine(find(main, 'counts[0]++')), undefined);
  const add = main.getClassOrThrow('Store').getMethodOrThrow('add');
  assert.deepEqual(model.callees(add).map((fn) => (fn as Node & { getName(): string }).getName()), ['bump']);
});
