/**
 * What the runtime needs from the engine, tested in child processes that lack it, as a page does: without
 * SharedArrayBuffer (a page that is not cross-origin isolated) the package still loads and each primitive's
 * constructor throws SharedMemoryUnavailableError; without Atomics.waitAsync an async wait that must park polls
 * instead (wait-async.ts; the worker tests are in no-wait-async.test.ts); and esbuild's IIFE and CommonJS bundles
 * load without warnings.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WITHIN_MS } from './harness.js';

/** The browser entry (not node.ts), as a page imports it. */
const ENTRY = new URL('../src/index.js', import.meta.url).href;

/** Runs `code` as an ES module in a fresh Node; resolves with what it printed as JSON on its last line. */
function runModule(code: string, file?: string): Promise<unknown> {
  const args = file === undefined ? ['--input-type=module', '-e', code] : [file];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: WITHIN_MS }, (error, stdout, stderr) => {
      if (error !== null) return reject(new Error(`child node failed (${error.message}): ${stderr}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!));
      } catch {
        reject(new Error(`child node printed no JSON: ${stdout} ${stderr}`));
      }
    });
  });
}

/** Makes this child look like a browser realm: no worker_threads to find, and the given globals removed. */
const BROWSER_LIKE = `process.getBuiltinModule = undefined;`;

test('without SharedArrayBuffer the package loads, and creating any primitive says why it cannot', async () => {
  const result = await runModule(`
    ${BROWSER_LIKE}
    delete globalThis.SharedArrayBuffer;
    globalThis.crossOriginIsolated = false;
    const d = await import(${JSON.stringify(ENTRY)});
    const out = {};
    const makers = {
      Mutex: () => new d.Mutex(), RecursiveMutex: () => new d.RecursiveMutex(), Semaphore: () => new d.Semaphore(1),
      Event: () => new d.Event(), Barrier: () => new d.Barrier(2), SharedQueue: () => new d.SharedQueue({ capacity: 1 }),
      checked: () => d.configure({ checkLockOrder: true }),
    };
    for (const [kind, make] of Object.entries(makers)) {
      try { make(); out[kind] = 'created'; } catch (e) { out[kind] = { name: e.name, isClass: e instanceof d.SharedMemoryUnavailableError, message: e.message }; }
    }
    console.log(JSON.stringify(out));
  `);
  const out = result as Record<string, { name: string; isClass: boolean; message: string }>;
  for (const [kind, error] of Object.entries(out)) {
    assert.equal(error.name, 'SharedMemoryUnavailableError', `${kind}: ${JSON.stringify(error)}`);
    assert.equal(error.isClass, true);
    assert.match(error.message, /needs SharedArrayBuffer/);
    assert.match(error.message, /Cross-Origin-Opener-Policy: same-origin/, `${kind} says how to isolate the page`);
  }
  assert.match(out['Mutex']!.message, /^new Mutex:/);
  assert.match(out['checked']!.message, /^configure\(\{ checkLockOrder: true \}\):/);
});

test('without Atomics.waitAsync, async waits that must park poll instead, and end by wake-up, timeout or abort', async () => {
  const result = await runModule(`
    ${BROWSER_LIKE}
    delete Atomics.waitAsync;
    const d = await import(${JSON.stringify(ENTRY)});
    const settle = (p) => p.then((v) => ({ ok: v === undefined ? true : typeof v === 'object' ? 'object' : v }), (e) => ({ error: e.name }));
    const later = (fn) => setTimeout(fn, 20);
    const out = {};
    const mutex = new d.Mutex();
    out.uncontended = await settle(mutex.lockAsync());
    out.timedOut = await settle(mutex.lockAsync({ timeout: 30 }));
    const controller = new AbortController();
    later(() => controller.abort());
    out.aborted = await settle(mutex.lockAsync({ signal: controller.signal }));
    later(() => mutex.unlock());
    out.contended = await settle(mutex.lockAsync({ timeout: ${WITHIN_MS} }));
    out.heldAfter = mutex.isHeldByCurrentThread();
    const semaphore = new d.Semaphore(0);
    later(() => semaphore.release());
    out.acquire = await settle(semaphore.acquireAsync({ timeout: ${WITHIN_MS} }));
    const event = new d.Event();
    later(() => event.set());
    out.event = await settle(event.waitAsync({ timeout: ${WITHIN_MS} }));
    const barrier = new d.Barrier(2);
    out.barrier = (await Promise.all([barrier.waitAsync({ timeout: ${WITHIN_MS} }), barrier.waitAsync({ timeout: ${WITHIN_MS} })])).sort();
    console.log(JSON.stringify(out));
  `);
  assert.deepEqual(result, {
    uncontended: { ok: 'object' },
    timedOut: { error: 'TimeoutError' },
    aborted: { error: 'AbortError' },
    contended: { ok: 'object' },
    heldAfter: true,
    acquire: { ok: true },
    event: { ok: true },
    barrier: [0, 1],
  });
});

test('esbuild bundles the browser entry as IIFE and CommonJS without warnings, and both load and lock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'deadbolt-bundle-'));
  try {
    for (const format of ['iife', 'cjs'] as const) {
      const result = await build({
        entryPoints: [fileURLToPath(ENTRY)],
        bundle: true,
        platform: 'browser',
        format,
        globalName: 'deadbolt',
        write: false,
        logLevel: 'silent',
      });
      assert.deepEqual(result.warnings.map((w) => w.text), [], `${format} bundle warnings`);
      const bundle = result.outputFiles[0]!.text;
      const file = join(dir, `runtime.${format}.cjs`);
      const use = `const m = new deadbolt.Mutex({ name: 'b' }); m.lock(); m.unlock(); console.log(JSON.stringify({ id: m.id, format: '${format}' }));`;
      await writeFile(file, format === 'iife' ? `${bundle}\n${use}` : `const deadbolt = (() => { const module = { exports: {} }; ((exports, module) => { ${bundle} })(module.exports, module); return module.exports; })();\n${use}`);
      const out = (await runModule('', file)) as { id: number; format: string };
      assert.equal(out.format, format);
      assert.equal(typeof out.id, 'number');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
