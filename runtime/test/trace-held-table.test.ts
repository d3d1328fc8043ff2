/**
 * Held-lock tables alone: acquisition order is kept, releases remove the latest entry for a lock, the collector's
 * snapshot sees owners and entries, overflow is counted, and a table outlives a thread that never released.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeldTableWriter, readHeldTables } from '../src/trace/held-table.js';
import { createTraceBuffer, MAX_HELD, viewsOf } from '../src/trace/layout.js';

test('entries keep acquisition order and release removes the latest entry of that lock', () => {
  const views = viewsOf(createTraceBuffer(4, 4));
  const table = HeldTableWriter.allocate(views, 5)!;
  table.add(1, 10, true);
  table.add(2, 20, false);
  table.add(1, 11, true); // a recursive re-entry
  table.add(3, 30, true);
  assert.equal(table.remove(1), true);
  assert.deepEqual(table.entries(), [
    { lock: 1, site: 10, exact: true },
    { lock: 2, site: 20, exact: false },
    { lock: 3, site: 30, exact: true },
  ]);
  assert.equal(table.remove(9), false, 'a lock this thread never listed');
});

test('the snapshot lists every allocated table by owning thread', () => {
  const views = viewsOf(createTraceBuffer(4, 4));
  const main = HeldTableWriter.allocate(views, 0)!;
  const worker = HeldTableWriter.allocate(views, 3)!;
  main.add(7, -1, true);
  worker.add(8, 2, true);
  worker.add(9, 3, true);
  assert.deepEqual(readHeldTables(views), [
    { thread: 0, held: [{ lock: 7, site: -1, exact: true }], overflow: 0 },
    { thread: 3, held: [{ lock: 8, site: 2, exact: true }, { lock: 9, site: 3, exact: true }], overflow: 0 },
  ]);
});

test('more locks than a table lists are counted as overflow and released from it first', () => {
  const views = viewsOf(createTraceBuffer(4, 1));
  const table = HeldTableWriter.allocate(views, 1)!;
  for (let i = 0; i < MAX_HELD + 2; i++) table.add(i, -1, true);
  assert.equal(readHeldTables(views)[0]!.overflow, 2);
  assert.equal(table.size, MAX_HELD + 2);
  table.remove(MAX_HELD + 1);
  assert.equal(readHeldTables(views)[0]!.overflow, 1);
});

test('allocation fails cleanly once every table is taken', () => {
  const views = viewsOf(createTraceBuffer(4, 1));
  assert.ok(HeldTableWriter.allocate(views, 1));
  assert.equal(HeldTableWriter.allocate(views, 2), undefined);
});

test('lock ids above 32 bits are listed and released exactly', () => {
  // A worker that loads the runtime before the main thread draws ids from base threadId * 2^32, and Node before
  // 20.16 (no process.getBuiltinModule) from a random base near 2^52: ids must survive the table whole.
  const views = viewsOf(createTraceBuffer(4, 1));
  const table = HeldTableWriter.allocate(views, 1)!;
  const big = 3 * 2 ** 32 + 7;
  const huge = 2 ** 52 + 2 ** 40 + 5;
  table.add(big, 1, true);
  table.add(7, 2, true);
  table.add(huge, 3, false);
  assert.deepEqual(readHeldTables(views)[0]!.held.map((h) => h.lock), [big, 7, huge]);
  assert.equal(table.remove(7), true, 'the id 7 is not mistaken for 3 * 2^32 + 7');
  assert.deepEqual(table.entries().map((h) => h.lock), [big, huge]);
  assert.equal(table.remove(huge), true);
  assert.equal(table.remove(big), true);
  assert.deepEqual(readHeldTables(views)[0]!.held, []);
});
