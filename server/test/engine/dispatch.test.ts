/** Method dispatch (model/dispatch.ts): the method a class runs for a name, its own or inherited, read once per class and name. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClassDeclaration, Project } from 'ts-morph';
import { Dispatch } from '../../src/engine/model/dispatch.js';

test('methodOf finds the own or inherited method and reads each class once per name however often it is asked', () => {
  const project = new Project({ useInMemoryFileSystem: true });
  const file = project.createSourceFile('/classes.ts', [
    'class Base { run(): void {} stop(): void {} }',
    'class Child extends Base { run(): void {} }',
  ].join('\n'));
  const base = file.getClassOrThrow('Base');
  const child = file.getClassOrThrow('Child');
  const childRun = child.getMethodOrThrow('run');
  const baseStop = base.getMethodOrThrow('stop');
  const dispatch = new Dispatch([file]);
  let reads = 0;
  const getMembers = ClassDeclaration.prototype.getMembers;
  ClassDeclaration.prototype.getMembers = function (this: ClassDeclaration) {
    reads++;
    return getMembers.call(this);
  } as ClassDeclaration['getMembers'];
  try {
    // A walk asks this at every inlined `this.run()` / `this.stop()`: ten times each here.
    for (let i = 0; i < 10; i++) {
      assert.equal(dispatch.methodOf(child, 'run'), childRun);
      assert.equal(dispatch.methodOf(child, 'stop'), baseStop);
      assert.equal(dispatch.methodOf(child, 'missing'), undefined);
    }
  } finally {
    ClassDeclaration.prototype.getMembers = getMembers;
  }
  // run: Child's members; stop: Child's, then Base's; missing: both. Once each, not once per question.
  assert.equal(reads, 5);
});
