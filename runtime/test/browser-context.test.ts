/**
 * The browser context's pieces that run on Node too: startWorker refuses a thread without a browser context, thread
 * labels name workers, and a token from outside the thread table is never judged dead by it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from '../src/index.js';
import { threadText } from '../src/browser-context.js';
import { isDead, ownerLabel, probe, table } from '../src/thread-table.js';

test('startWorker on Node throws a TypeError saying worker_threads Workers get the context by themselves', () => {
  assert.throws(() => startWorker('./w.js', { name: 'w' }), (error: Error) => {
    assert.equal(error.name, 'TypeError');
    assert.match(error.message, /^startWorker: this thread has no browser context .*on Node, worker_threads Workers receive the context by themselves/);
    return true;
  });
});

test('threads are named "main thread", "worker 3", or "worker \'decoder\' (id 3)"', () => {
  assert.equal(threadText(0, undefined), 'main thread');
  assert.equal(threadText(3, undefined), 'worker 3');
  assert.equal(threadText(3, ''), 'worker 3');
  assert.equal(threadText(3, 'decoder'), "worker 'decoder' (id 3)");
});

test('tokens of threads without a table (the top generation bit set) are never judged dead nor probed', () => {
  assert.notEqual(table, undefined, 'Node threads share a table');
  // Every slot, lowest and highest generations of the outside range: none is an entry of this table.
  for (const token of [1 << 27, (1 << 27) | 1, (1 << 27) | 4095, (1 << 28) - 1, ((1 << 27) | (77 << 12)) + 5]) {
    assert.equal(isDead(token), false, `isDead(${token})`);
    assert.equal(probe(token), false, `probe(${token})`);
    assert.equal(ownerLabel(token), 'another thread');
  }
});
