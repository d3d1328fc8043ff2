/**
 * The Chromium suite's local server (node:http on a free port): the runtime's browser entry bundled by esbuild as an ES
 * module and as an IIFE, the page and worker scripts of ./assets, the context worker also bundled together with the
 * runtime (by esbuild, plain and minified, and by Rollup), and five pages: `/` (cross-origin isolated by COOP and COEP, as SharedArrayBuffer
 * requires), `/context/` (isolated, starting its workers with startWorker), `/iife/` (isolated, loading the IIFE bundle),
 * `/no-wait-async/` (isolated, removing Atomics.waitAsync before it loads the runtime) and `/plain/` (not isolated).
 */

import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { rollup, type RollupLog } from 'rollup';

/** The browser entry (index.js, not node.ts), compiled; the assets stay in the source tree (tsc does not copy them). */
const ENTRY = fileURLToPath(new URL('../../src/index.js', import.meta.url));
const ASSETS = new URL('../../../test/browser/assets/', import.meta.url);

const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const PAGES: Record<string, string> = {
  '/': '<!doctype html><title>deadbolt</title><script type="module" src="/page.js"></script>',
  '/context/': '<!doctype html><title>deadbolt context</title><script type="module" src="/context-page.js"></script>',
  '/iife/': `<!doctype html><title>deadbolt iife</title><script src="/runtime.iife.js"></script><script>
    const m = new deadbolt.Mutex({ name: 'iife' });
    let lock;
    try { m.lock(); lock = 'no error'; } catch (e) { lock = e.name; }
    const guard = m.tryLock();
    window.result = { isolated: crossOriginIsolated, tryLock: guard !== undefined, lock };
    guard?.unlock();
    window.ready = true;
  </script>`,
  '/plain/': `<!doctype html><title>deadbolt plain</title><script type="module">
    window.result = { isolated: crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer };
    try {
      const d = await import('/runtime.js');
      window.result.loaded = true;
      try { new d.Mutex({ name: 'plain' }); window.result.created = true; }
      catch (e) { window.result.error = { name: e.name, message: e.message, deadbolt: e instanceof d.SharedMemoryUnavailableError }; }
    } catch (e) { window.result.loadError = String(e); }
    window.ready = true;
  </script>`,
  // As an engine without Atomics.waitAsync (Firefox before 145, Safari before 16.4): removed before the runtime loads.
  '/no-wait-async/': `<!doctype html><title>deadbolt without waitAsync</title><script type="module">
    delete Atomics.waitAsync;
    window.result = { waitAsync: typeof Atomics.waitAsync };
    try {
      const d = await import('/runtime.js');
      const { call, deadline, shared } = await import('/page-helpers.js');
      const workers = [0, 1].map(() => new Worker('/worker.js', { type: 'module' }));
      const mutex = new d.Mutex({ name: 'counter' });
      const counter = shared(1);
      const n = 2000;
      const runs = workers.map((w, i) => call(w, { scenario: 'mutex', mutex: mutex.handle, counter: counter.buffer, n }, 'mutex worker ' + i));
      for (let i = 0; i < 200; i++) await deadline(mutex.withLockAsync(() => counter[0]++), 'withLockAsync on the page');
      await Promise.all(runs);
      Object.assign(window.result, { counter: counter[0], expected: 2 * n + 200 });
      const flag = shared(1);
      await call(workers[0], { scenario: 'hold', mutex: mutex.handle, flag: flag.buffer }, 'a worker taking the mutex');
      const aborter = new AbortController();
      const aborted = mutex.lockAsync({ signal: aborter.signal }).then(() => 'taken', (e) => e.name);
      const timedOut = mutex.lockAsync({ timeout: 20 }).then(() => 'taken', (e) => e.name);
      const waiting = mutex.lockAsync({ timeout: 60000 });
      setTimeout(() => aborter.abort(), 10);
      window.result.endings = [await deadline(aborted, 'the aborted lockAsync'), await deadline(timedOut, 'the timed-out lockAsync')];
      const released = performance.now();
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      (await deadline(waiting, 'lockAsync after the worker released')).unlock();
      window.result.handoffMs = performance.now() - released;
      for (const w of workers) w.terminate();
    } catch (e) { window.result.error = { name: e.name, message: e.message }; }
    window.ready = true;
  </script>`,
};

export interface SuiteServer {
  url: string;
  /** The text the server sends for a script path, e.g. '/context-worker.min.js'. */
  script(path: string): string | undefined;
  close(): Promise<void>;
}

async function bundle(format: 'esm' | 'iife'): Promise<string> {
  const result = await build({ entryPoints: [ENTRY], bundle: true, platform: 'browser', format, globalName: 'deadbolt', write: false, logLevel: 'silent' });
  if (result.warnings.length > 0) throw new Error(`esbuild warned bundling the runtime as ${format}: ${result.warnings.map((w) => w.text).join('; ')}`);
  return result.outputFiles[0]!.text;
}

/** The assets import the runtime as '/runtime.js'; bundled, that is the browser entry itself. */
const runtimeEntry: Plugin = {
  name: 'runtime-entry',
  setup(b) {
    b.onResolve({ filter: /^\/runtime\.js$/ }, () => ({ path: ENTRY }));
  },
};

/** A worker module of ./assets bundled with the runtime into one file, as a user's bundler would ship it. */
async function bundleWithRuntime(asset: string, minify: boolean): Promise<string> {
  const entry = fileURLToPath(new URL(asset, ASSETS));
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify, plugins: [runtimeEntry], write: false, logLevel: 'silent' });
  if (result.warnings.length > 0) throw new Error(`esbuild warned bundling ${asset}: ${result.warnings.map((w) => w.text).join('; ')}`);
  return result.outputFiles[0]!.text;
}

/** The same worker module bundled with the runtime by Rollup (ES module output), the other bundler the suite covers. */
async function bundleWithRollup(asset: string): Promise<string> {
  const warnings: RollupLog[] = [];
  const bundled = await rollup({
    input: fileURLToPath(new URL(asset, ASSETS)),
    plugins: [{ name: 'runtime-entry', resolveId: (id) => (id === '/runtime.js' ? ENTRY : null) }],
    onwarn: (warning) => void warnings.push(warning),
  });
  try {
    if (warnings.length > 0) throw new Error(`rollup warned bundling ${asset}: ${warnings.map((w) => w.message).join('; ')}`);
    const { output } = await bundled.generate({ format: 'es' });
    return output[0].code;
  } finally {
    await bundled.close();
  }
}

export async function startServer(): Promise<SuiteServer> {
  const files: Record<string, string> = {
    '/runtime.js': await bundle('esm'),
    '/runtime.iife.js': await bundle('iife'),
    '/page.js': await readFile(new URL('page.js', ASSETS), 'utf8'),
    '/worker.js': await readFile(new URL('worker.js', ASSETS), 'utf8'),
    '/page-helpers.js': await readFile(new URL('page-helpers.js', ASSETS), 'utf8'),
    '/serve-scenarios.js': await readFile(new URL('serve-scenarios.js', ASSETS), 'utf8'),
    '/context-page.js': await readFile(new URL('context-page.js', ASSETS), 'utf8'),
    '/context-worker.js': await readFile(new URL('context-worker.js', ASSETS), 'utf8'),
    '/classic-worker.js': await readFile(new URL('classic-worker.js', ASSETS), 'utf8'),
    '/context-worker.bundle.js': await bundleWithRuntime('context-worker.js', false),
    '/context-worker.min.js': await bundleWithRuntime('context-worker.js', true),
    '/context-worker.rollup.js': await bundleWithRollup('context-worker.js'),
  };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const isolation = path === '/plain/' ? {} : ISOLATED;
    const page = PAGES[path];
    const script = files[path];
    if (page !== undefined) response.writeHead(200, { 'Content-Type': 'text/html', ...isolation }).end(page);
    else if (script !== undefined) response.writeHead(200, { 'Content-Type': 'text/javascript', ...isolation }).end(script);
    else response.writeHead(404, isolation).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script: (path) => files[path],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
