/**
 * Issue 16.4, with a real worker: lock ids never repeat, also past 2^32 allocations (where a 32-bit counter
 * wrapped and handed out the ids of live locks, so lockAll took one lock for two). The shared counter is set
 * just below 2^32 through the environment data that carries it to workers, as 4 billion `new Mutex()` would.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEnvironmentData } from 'node:worker_threads';
import { lockAll, Mutex } from '../src/index.js';
import { call, startAgent, withWorkers } from './harness.js';

// The first lock of this process, made before the counter is moved: a wrapped counter hands out its id again.
const first = new Mutex({ name: 'first' });

/** Moves the process's shared id counter, whatever its width (a Uint32 before the fix, a BigInt64 after). */
function setIdCounter(value: number): void {
  for (const key of ['deadbolt.idSpace.v1', 'deadbolt.idSpace.v2']) {
    const space = getEnvironmentData(key) as { buffer?: SharedArrayBuffer } | undefined;
    const buffer = space?.buffer;
    if (buffer === undefined) continue;
    if (buffer.byteLength === 4) new Uint32Array(buffer)[0] = value;
    else new BigInt64Array(buffer)[0] = BigInt(value);
    return;
  }
  throw new Error('no id space in the environment data');
}

test('ids made past 2^32, here and in a worker, never repeat a live id; lockAll takes every lock', async () => {
  setIdCounter(2 ** 32 - 3);
  const mine = Array.from({ length: 10 }, () => new Mutex());
  const theirs = await withWorkers(async (start) => {
    const agent = await startAgent(start, {});
    return (await call(agent, 'thread', 'newIds', 10)).value as number[];
  });
  const all = [first.id, ...mine.map((m) => m.id), ...theirs];
  assert.equal(new Set(all).size, all.length, `repeated ids among ${all.join(', ')}`);
  assert.ok(all.every((id) => Number.isSafeInteger(id) && id > 0));
  for (const late of mine) {
    lockAll([first, late], () => {
      assert.equal(first.isHeldByCurrentThread(), true);
      assert.equal(late.isHeldByCurrentThread(), true, `lockAll skipped lock #${late.id}`);
    });
  }
});
