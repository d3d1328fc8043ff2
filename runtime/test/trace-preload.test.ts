/**
 * The tracing preload end to end, without the adapter: a generated program runs under `node --import preload.js`
 * with the trace channel on fd 3, and the test reads the batches the collector writes. Checks worker naming (also
 * for workers created with their own execArgv), hold sites in the program's file, exits, output while the main
 * thread is blocked, lock orders published once each with both stacks, the socket channel, and that without
 * DEADBOLT_TRACE the preload does nothing.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TraceBatch, TraceEvent } from '../src/trace/events.js';
import { WITHIN_MS } from './harness.js';

const PRELOAD = fileURLToPath(new URL('../src/trace/preload.js', import.meta.url));
const RUNTIME = new URL('../src/index.js', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'deadbolt-trace-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source.replaceAll('RUNTIME', RUNTIME));
  return file;
}

interface Run {
  child: ChildProcess;
  batches: TraceBatch[];
  stdout: () => string;
  /** Resolves once some batch or output satisfies `done`. */
  until(done: () => boolean): Promise<void>;
  exit: Promise<number | null>;
}

/** Runs `file` under the preload with the trace on fd 3, on `socket` (a path the test listens on), or untraced. */
function run(file: string, traced = true, socket?: string): Run {
  const env = { ...process.env };
  if (traced) env.DEADBOLT_TRACE = socket === undefined ? 'fd:3' : `socket:${socket}`;
  else delete env.DEADBOLT_TRACE;
  const child = spawn(process.execPath, ['--import', PRELOAD, file], { env, stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
  // A generous bound so a hung program fails its test, saying so, instead of hanging the suite.
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, WITHIN_MS);
  child.on('close', () => clearTimeout(guard));
  const hangError = (): Error => new Error(`${file} did not exit within ${WITHIN_MS} ms and was killed; stdout: ${out}`);
  const batches: TraceBatch[] = [];
  let out = '';
  let pending = '';
  const checks: (() => void)[] = [];
  const poke = () => checks.slice().forEach((c) => c());
  const trace = (stream: Readable): void => {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
        batches.push(JSON.parse(pending.slice(0, i)) as TraceBatch);
        pending = pending.slice(i + 1);
      }
      poke();
    });
  };
  if (socket === undefined) trace(child.stdio[3] as Readable);
  else listeners.get(socket)?.(trace);
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    poke();
  });
  const exit = new Promise<number | null>((resolve, reject) => child.on('close', (code) => (poke(), hung ? reject(hangError()) : resolve(code))));
  return {
    child,
    batches,
    stdout: () => out,
    exit,
    until(done) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (done()) {
            checks.splice(checks.indexOf(check), 1);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            if (!done()) reject(hung ? hangError() : new Error(`program ended first; stdout: ${out}`));
          }
        };
        checks.push(check);
        check();
      });
    },
  };
}

const events = (r: Run): TraceEvent[] => r.batches.flatMap((b) => b.events);

/** Per socket path, how its test hands the accepted connection to the run's batch reader. */
const listeners = new Map<string, (read: (stream: Readable) => void) => void>();

/** Listens on a fresh socket path; the first connection's lines become the run's batches. */
async function listen(): Promise<{ path: string; close(): void }> {
  const path = join(dir, `trace-${listeners.size}.sock`);
  let reader: ((stream: Readable) => void) | undefined;
  let accepted: Readable | undefined;
  const server = createServer((socket) => {
    accepted = socket;
    reader?.(socket);
  });
  listeners.set(path, (read) => {
    reader = read;
    if (accepted !== undefined) read(accepted);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, close: () => server.close() };
}

test('workers are named (also with an explicit execArgv), their holds point at the program, their exits are seen', async () => {
  const file = program(
    'named.mjs',
    `import { Mutex } from 'RUNTIME';
     import { Worker, isMainThread, workerData } from 'node:worker_threads';
     if (isMainThread) {
       const a = new Worker(new URL(import.meta.url), { name: 'alpha', workerData: new Mutex({ name: 'first' }).handle });
       await new Promise((r) => a.once('exit', r));
       const b = new Worker(new URL(import.meta.url), { workerData: new Mutex({ name: 'second' }).handle, execArgv: [] });
       await new Promise((r) => b.once('exit', r));
     } else {
       const m = Mutex.from(workerData);
       m.lock(); // exits holding it: the table must keep the lock after the thread is gone
     }`,
  );
  const r = run(file);
  assert.equal(await r.exit, 0);
  const named = events(r).filter((e) => e.type === 'thread-name') as { thread: number; name: string }[];
  // The second has no name option: it is shown by its thread id, not its file name (every worker of a file would share that).
  assert.deepEqual(named.map((e) => e.name), ['alpha', `worker #${named[1]!.thread}`]);
  const exits = new Set(events(r).filter((e) => e.type === 'thread-exit').map((e) => e.thread));
  const workers = events(r).filter((e) => e.type === 'thread-name').map((e) => e.thread);
  for (const w of workers) assert.ok(exits.has(w), `exit of worker ${w} seen`);
  const last = r.batches.at(-1)!;
  for (const w of workers) {
    const held = last.holdings.find((h) => h.thread === w)?.held ?? [];
    assert.equal(held.length, 1, `worker ${w} still lists the lock it never released`);
    assert.equal(held[0]!.site?.file, file);
    assert.equal(held[0]!.site?.line, 10);
  }
});

test('a worker\'s output reaches stdout while the main thread is blocked in Atomics.wait', async () => {
  const file = program(
    'blocked.mjs',
    `import { Worker, isMainThread, workerData } from 'node:worker_threads';
     if (isMainThread) {
       const flag = new Int32Array(new SharedArrayBuffer(4));
       new Worker(new URL(import.meta.url), { workerData: flag });
       Atomics.wait(flag, 0, 0, 30000);
       console.log('main unblocked');
     } else {
       console.log('hello from the worker');
     }`,
  );
  const r = run(file);
  try {
    await r.until(() => r.stdout().includes('hello from the worker'));
    assert.ok(!r.stdout().includes('main unblocked'), 'the output came while main was still blocked');
  } finally {
    r.child.kill('SIGKILL');
    await r.exit;
  }
});

test('without DEADBOLT_TRACE the preload leaves the program alone', async () => {
  const file = program('plain.mjs', `import { Worker } from 'node:worker_threads'; console.log(Worker.name);`);
  const r = run(file, false);
  assert.equal(await r.exit, 0);
  assert.equal(r.batches.length, 0);
  assert.equal(r.stdout().trim(), 'Worker', 'the Worker class is the original one');
});

test('a worker is shown by its name option, or by its thread id when it has none', async () => {
  const { threadName } = await import('../src/trace/worker-patch.js');
  assert.equal(threadName('teller', 4), 'teller');
  assert.equal(threadName(undefined, 4), 'worker #4');
  assert.equal(threadName('  ', 7), 'worker #7');
});

test('each lock order a thread shows is published once, with the stacks that took both locks', async () => {
  const file = program(
    'orders.mjs',
    `import { Mutex, RecursiveMutex } from 'RUNTIME';
     import { Worker, isMainThread, workerData } from 'node:worker_threads';
     if (isMainThread) {
       const a = new Mutex({ name: 'a' });
       const b = new Mutex({ name: 'b' });
       const start = (name, first, second) => new Promise((r) => new Worker(new URL(import.meta.url), { name, workerData: { first: first.handle, second: second.handle } }).once('exit', r));
       await start('ab', a, b);
       await start('ba', b, a);
       const r = new RecursiveMutex({ name: 'r' });
       r.lock();
       r.lock();
       r.unlock();
       r.unlock();
     } else {
       const first = Mutex.from(workerData.first);
       const second = Mutex.from(workerData.second);
       for (let i = 0; i < 3; i++) {
         first.lock();
         second.lock();
         second.unlock();
         first.unlock();
       }
     }`,
  );
  const r = run(file);
  assert.equal(await r.exit, 0);
  const orders = events(r).filter((e) => e.type === 'lock-order');
  const names = new Map(events(r).flatMap((e) => (e.type === 'created' && e.name !== undefined ? [[e.lock, e.name] as const] : [])));
  const threads = new Map(events(r).flatMap((e) => (e.type === 'thread-name' ? [[e.thread, e.name] as const] : [])));
  // Three rounds each, but one record per thread and order; taking the recursive lock again is no order at all.
  assert.deepEqual(orders.map((o) => `${threads.get(o.thread)}: ${names.get(o.held)} -> ${names.get(o.taken)}`).sort(), ['ab: a -> b', 'ba: b -> a']);
  for (const o of orders) {
    assert.deepEqual([o.heldAt[0]?.file, o.heldAt[0]?.line], [file, 18], 'the held lock was taken by first.lock()');
    assert.deepEqual([o.takenAt[0]?.file, o.takenAt[0]?.line], [file, 19], 'the order was made by second.lock()');
  }
});

test('the trace reaches a socket named by DEADBOLT_TRACE=socket:<path>, and a missing socket leaves the program untraced', async () => {
  const file = program(
    'socket.mjs',
    `import { Mutex } from 'RUNTIME';
     const m = new Mutex({ name: 'over-socket' });
     m.lock();
     m.unlock();
     console.log('done');`,
  );
  const listener = await listen();
  try {
    const r = run(file, true, listener.path);
    assert.equal(await r.exit, 0);
    assert.ok(events(r).some((e) => e.type === 'created' && e.name === 'over-socket'), 'the lock was reported over the socket');
  } finally {
    listener.close();
  }
  const missing = run(file, true, join(dir, 'nobody-listens.sock'));
  assert.equal(await missing.exit, 0, 'the program still runs');
  assert.equal(missing.stdout().trim(), 'done');
});
