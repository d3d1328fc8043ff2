/**
 * deadbolt-dap on the promise-based locks programs use besides Deadbolt's own: a Node 24 worker pool whose jobs
 * deadlock on Web Locks, and a single-threaded service whose two async tasks deadlock on two async-mutex Mutexes.
 * Each must stop with reason `deadlock`, frames at the request/acquire lines, and the live graph naming the locks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LiveLockGraph } from '../../src/protocol/index.js';
import { fixtureProgram, fixtureSource, markerLine, type Session, startSession, stackOf } from './harness.js';

/** Web Locks are on `navigator` from Node 24 on; `npm test` runs this file on 24.9.0 too (test:adapter-nodes). */
const webLocks = (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks !== undefined;
if (!webLocks) console.log(`# Web Locks tests skipped on Node ${process.version}: navigator.locks needs Node 24 (they run under on-node.sh 24.9.0)`);

async function stack(s: Session, name: string): Promise<[string, string | undefined, number][]> {
  return (await stackOf(s.client, name)).rows;
}

async function threadNames(s: Session): Promise<string[]> {
  return (await s.client.threadsRequest()).body.threads.map((t) => t.name);
}

test('Web Locks: two workers nesting requests in opposite orders stop as a deadlock', { skip: webLocks ? false : `navigator.locks needs Node 24, this is ${process.version}` }, async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('web-locks-pool') });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'deadlock');
    assert.match(stopped.body.description, /sync-orders › task \d+ .*holds orders and waits for stock/);
    assert.match(stopped.body.description, /sync-stock › task \d+ .*holds stock and waits for orders/);

    const source = fixtureSource('web-locks-pool');
    const names = await threadNames(s);
    for (const [worker, held, waited] of [['sync-orders', 'orders', 'stock'], ['sync-stock', 'stock', 'orders']] as const) {
      const task = names.find((n) => n.startsWith(`${worker} › task`) && stopped.body.description.includes(`${n} holds ${held}`));
      assert.ok(task !== undefined, `a task of ${worker} among ${names.join(', ')}`);
      const rows = await stack(s, task);
      assert.deepEqual(rows[0]!.slice(1), [source, markerLine('web-locks-pool', 'wait')], `${task}: ${JSON.stringify(rows)}`);
      assert.match(rows[0]![0], new RegExp(`waits for ${waited}`));
      assert.ok(rows.some(([name, path, line]) => name === `holds ${held}` && path === source && line === markerLine('web-locks-pool', 'hold')), JSON.stringify(rows));
    }

    const graph = (await s.waitFor('deadbolt/lockGraph', (e) => (e.body as LiveLockGraph).deadlock)).body as LiveLockGraph;
    assert.equal(graph.cycles.length, 1);
    assert.deepEqual(graph.cycles[0]!.locks.map((id) => graph.locks.find((l) => l.id === id)!.name).sort(), ['orders', 'stock']);
    const waiting = graph.threads.filter((t) => t.state === 'waiting' && t.name.includes('› task'));
    assert.deepEqual(waiting.map((t) => graph.locks.find((l) => l.id === t.waitingFor)!.name).sort(), ['orders', 'stock']);
    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});

test('async-mutex: two async tasks of one thread waiting for each other stop as a deadlock', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('async-mutex-service') });
    const stopped = await s.waitFor('stopped');
    assert.equal(stopped.body.reason, 'deadlock');
    assert.match(stopped.body.description, /^Deadlock: main › task \d+ .*holds Mutex \d \(async-mutex-service\.ts:\d+\) and waits for Mutex/);

    const source = fixtureSource('async-mutex-service');
    const names = (await threadNames(s)).filter((n) => n.startsWith('main › task'));
    const rows = await Promise.all(names.map((n) => stack(s, n)));
    const waitLines = rows.map((r) => r[0]![2]).sort((a, b) => a - b);
    assert.deepEqual(waitLines, [markerLine('async-mutex-service', 'wait-audit'), markerLine('async-mutex-service', 'wait-stock')].sort((a, b) => a - b), JSON.stringify(rows));
    const holdLines = rows.flatMap((r) => r.filter(([name]) => name.startsWith('holds ')).map(([, path, line]) => `${path}:${line}`)).sort();
    assert.deepEqual(holdLines, [`${source}:${markerLine('async-mutex-service', 'hold-acquire')}`, `${source}:${markerLine('async-mutex-service', 'hold-audit')}`].sort());

    const graph = (await s.waitFor('deadbolt/lockGraph', (e) => (e.body as LiveLockGraph).deadlock)).body as LiveLockGraph;
    assert.equal(graph.cycles.length, 1);
    assert.equal(graph.cycles[0]!.threads.length, 2);
    for (const id of graph.cycles[0]!.locks) assert.match(graph.locks.find((l) => l.id === id)!.name ?? '', /^Mutex \d \(async-mutex-service\.ts:\d+\)$/);
    await s.client.terminateRequest();
    await s.waitFor('terminated');
  } finally {
    await s.close();
  }
});

/** Launches `async-reentry` and returns the stop and the stack of the one task in the cycle. */
async function selfDeadlock(s: Session, args: string[]): Promise<{ description: string; rows: [string, string | undefined, number][] }> {
  await s.client.launch({ program: fixtureProgram('async-reentry'), args });
  const stopped = await s.waitFor('stopped');
  assert.equal(stopped.body.reason, 'deadlock', s.output());
  const graph = (await s.waitFor('deadbolt/lockGraph', (e) => (e.body as LiveLockGraph).deadlock)).body as LiveLockGraph;
  assert.equal(graph.cycles.length, 1);
  assert.equal(graph.cycles[0]!.threads.length, 1, 'one task waits for itself');
  const task = graph.threads.find((t) => t.id === graph.cycles[0]!.threads[0])!;
  return { description: stopped.body.description as string, rows: await stack(s, task.name) };
}

test('async-mutex: runExclusive re-entered through a callee stops as a deadlock of one task', async () => {
  const s = await startSession();
  try {
    const { description, rows } = await selfDeadlock(s, []);
    assert.match(description, /main › task \d+ \(Cache\.refresh\) holds Mutex 1 \(async-reentry\.ts:\d+\) and waits for Mutex 1/);
    const source = fixtureSource('async-reentry');
    assert.deepEqual(rows[0]!.slice(1), [source, markerLine('async-reentry', 'wait-mutex')], JSON.stringify(rows));
    assert.ok(rows.some(([name, path, line]) => name.startsWith('holds Mutex 1') && path === source && line === markerLine('async-reentry', 'hold-mutex')), JSON.stringify(rows));
  } finally {
    await s.close();
  }
});

test('Web Locks: a request nested in a request for the same name stops as a deadlock', { skip: webLocks ? false : `navigator.locks needs Node 24, this is ${process.version}` }, async () => {
  const s = await startSession();
  try {
    const { description, rows } = await selfDeadlock(s, ['--web-locks']);
    assert.match(description, /main › task \d+ \(saveSettings\) holds settings and waits for settings/);
    const source = fixtureSource('async-reentry');
    assert.deepEqual(rows[0]!.slice(1), [source, markerLine('async-reentry', 'wait-web')], JSON.stringify(rows));
    assert.ok(rows.some(([name, path, line]) => name === 'holds settings' && path === source && line === markerLine('async-reentry', 'hold-web')), JSON.stringify(rows));
  } finally {
    await s.close();
  }
});

test('heavy correct use of async-mutex (and Web Locks on Node 24) runs to its end without a stop', async () => {
  const s = await startSession();
  try {
    await s.client.launch({ program: fixtureProgram('async-locks-busy') });
    const exited = await s.waitFor('exited');
    assert.equal(exited.body.exitCode, 0, s.output());
    assert.match(s.output('stdout'), new RegExp(`total 1225${webLocks ? ' with web locks' : ''}`));
    assert.deepEqual(s.events.filter((e) => e.event === 'stopped').map((e) => e.body.description), []);
    // The last graph still lists the locks it saw, and no task is left holding or waiting.
    const graphs = s.events.filter((e) => e.event === 'deadbolt/lockGraph').map((e) => e.body as LiveLockGraph);
    const last = graphs[graphs.length - 1]!;
    assert.ok(last.locks.some((l) => /^Mutex \d \(async-locks-busy\.ts:\d+\)$/.test(l.name ?? '')), JSON.stringify(last.locks));
    assert.deepEqual(last.threads.filter((t) => t.name.includes('› task')), []);
  } finally {
    await s.close();
  }
});
