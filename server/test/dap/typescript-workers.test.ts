/**
 * deadbolt-dap on a TypeScript program whose workers live in another .ts file (main.ts starts two workers from
 * worker.ts, one by its .ts URL and one by the .js path NodeNext style gives it): the adapter compiles both, the
 * deadlock stops the session, and the cycle's frames name worker.ts at its hold and wait lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fixtureSource, startSession } from './harness.js';

const MAIN = fixtureSource('multi-file/main');
const WORKER = fixtureSource('multi-file/worker');

function workerLine(marker: string): number {
  return readFileSync(WORKER, 'utf8').split('\n').findIndex((l) => l.includes(`// @${marker}`)) + 1;
}

test('workers started from another .ts file run, deadlock, and show worker.ts hold and wait lines', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: MAIN });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'deadlock', s.output());
    assert.match(stopped.body.description, /lockA/);
    assert.match(stopped.body.description, /lockB/);

    const hold = workerLine('hold');
    const wait = workerLine('wait');
    const workers = (await s.client.threadsRequest()).body.threads.filter((t) => t.name !== 'main');
    assert.equal(workers.length, 2, JSON.stringify(workers));
    const held = new Set<string>();
    for (const thread of workers) {
      // Both come from worker.ts with no name option: they are told apart by thread id, in the list and the stop.
      assert.match(thread.name, /^worker #\d+$/, 'an unnamed worker is named for its thread id');
      assert.ok(stopped.body.description.includes(`${thread.name} holds`), `${thread.name} in: ${stopped.body.description}`);
      const frames = (await s.client.stackTraceRequest({ threadId: thread.id })).body.stackFrames;
      const rows = frames.map((f) => [f.name, f.source?.path, f.line] as const);
      assert.deepEqual(rows[0]!.slice(1), [WORKER, wait], `top frame waits at worker.ts's @wait line: ${JSON.stringify(rows)}`);
      const holding = rows.find(([name, path, line]) => name.startsWith('holds ') && path === WORKER && line === hold);
      assert.ok(holding, `a frame holds a lock at worker.ts's @hold line: ${JSON.stringify(rows)}`);
      held.add(holding[0]);
    }
    assert.deepEqual([...held].sort(), ['holds lockA', 'holds lockB']);
    assert.notEqual(workers[0]!.name, workers[1]!.name);
    assert.match(s.output('stdout'), /started two transfers/);

    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});
