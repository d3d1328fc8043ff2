// Bundles everything the extension ships with esbuild (the one bundler): the extension host code, the language
// server and debug adapter from server/, and the webview script. `tsc -b` only type-checks; this makes dist/.
// `--production` (what scripts/package-vsix.mjs builds) minifies and writes no source maps and no map links.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const server = join(here, '..', 'server');
const dist = join(here, 'dist');
const production = process.argv.includes('--production') || process.env.CI === 'true';
const require = createRequire(import.meta.url);

// The server sources are ESM and may use import.meta.url; in the CJS bundle it becomes the bundle's own URL.
const importMetaShim = {
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__import_meta_url' },
};

/**
 * The adapter compiles TypeScript programs with esbuild's JS API, which drives an esbuild executable. The native one
 * is specific to an OS and CPU, and the VSIX is one package for every platform, so the bundled adapter uses
 * esbuild-wasm instead: the same API and version, run as WebAssembly by `node`. It cannot be bundled (it finds its
 * files relative to itself), so dap.js requires the copy that ships beside it (copied below).
 */
const esbuildAsWasm = {
  name: 'esbuild-as-wasm',
  setup(b) {
    b.onResolve({ filter: /^esbuild$/ }, () => ({ path: './esbuild-wasm/lib/main.js', external: true }));
  },
};
const esbuildVersion = require('esbuild/package.json').version;
const wasmDir = dirname(require.resolve('esbuild-wasm/package.json'));
const wasmVersion = JSON.parse(readFileSync(join(wasmDir, 'package.json'), 'utf8')).version;
if (wasmVersion !== esbuildVersion) {
  // The adapter is tested with the native esbuild; the VSIX must run the same compiler.
  throw new Error(`esbuild-wasm ${wasmVersion} differs from esbuild ${esbuildVersion}: install esbuild-wasm@${esbuildVersion} in client/`);
}

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Prefer a dependency's ES module build: some packages' `main` is a UMD build whose factory requires its own files
  // by relative path at run time (jsonc-parser's lib/umd), which a bundle cannot resolve.
  mainFields: ['module', 'main'],
  // Maps help while developing; the VSIX ships none, so a production bundle carries no link to a missing map.
  sourcemap: !production,
  minify: production,
  // Minified or not, classes and functions keep their names: stack traces and any name-based checks stay readable.
  keepNames: true,
  logLevel: 'warning',
  // `vscode` is not a package: the editor provides it to the extension host at run time.
  external: ['vscode'],
};

// A production build leaves no map from an earlier development build beside its bundles.
// (tsc's own output under dist/src, dist/test, ... is not shipped and keeps its maps.)
if (production) {
  for (const bundle of ['extension.js', 'server.js', 'analysisWorker.js', 'dap.js', 'panel/webview.js']) rmSync(join(dist, `${bundle}.map`), { force: true });
}
// The stylesheet is copied first so a failing bundle never leaves a panel without it.
rmSync(join(dist, 'panel'), { recursive: true, force: true });
mkdirSync(join(dist, 'panel'), { recursive: true });
cpSync(join(here, 'webview', 'panel.css'), join(dist, 'panel', 'panel.css'));

await Promise.all([
  // The extension runs parts of the adapter (lock tracing in the JavaScript debugger), which find files by import.meta.url.
  build({ ...node, ...importMetaShim, entryPoints: [join(here, 'src', 'extension.ts')], outfile: join(dist, 'extension.js') }),
  build({ ...node, ...importMetaShim, entryPoints: [join(server, 'src', 'lsp', 'main.ts')], outfile: join(dist, 'server.js') }),
  // The server runs the analysis in a worker it finds next to itself (new URL('./analysisWorker.js', import.meta.url)).
  build({ ...node, ...importMetaShim, entryPoints: [join(server, 'src', 'lsp', 'analysisWorker.ts')], outfile: join(dist, 'analysisWorker.js') }),
  build({
    ...node,
    ...importMetaShim,
    entryPoints: [join(server, 'src', 'dap', 'main.ts')],
    outfile: join(dist, 'dap.js'),
    plugins: [esbuildAsWasm],
  }),
  build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: [join(here, 'webview', 'main.ts')],
    outfile: join(dist, 'panel', 'webview.js'),
  }),
]);

// The debug adapter preloads the runtime's tracer into the debugged program, which runs outside the bundle,
// so the tracer's compiled files ship next to dap.js (without maps in production, and then without links to them).
const runtimeDir = dirname(require.resolve('@deadbolt/runtime/package.json'));
const traceDir = join(runtimeDir, 'dist', 'src', 'trace');
if (existsSync(traceDir)) {
  rmSync(join(dist, 'trace'), { recursive: true, force: true });
  const shipped = (p) => !p.endsWith('.d.ts') && !p.endsWith('.d.ts.map') && !(production && p.endsWith('.map'));
  cpSync(traceDir, join(dist, 'trace'), { recursive: true, filter: shipped });
  if (production) {
    for (const file of readdirSync(join(dist, 'trace'), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js')) continue;
      const path = join(dist, 'trace', file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    }
  }
  // The tracer is ESM, and the extension's package.json (no "type") would make Node read it as CommonJS.
  writeFileSync(join(dist, 'trace', 'package.json'), '{ "type": "module" }\n');
}
// Diagnostics link each rule id to its doc page; the server looks for the pages beside itself first, so the
// VSIX carries them and the links work offline and match the installed version.
rmSync(join(dist, 'docs'), { recursive: true, force: true });
cpSync(join(here, '..', 'docs', 'rules'), join(dist, 'docs', 'rules'), { recursive: true });
// esbuild-wasm's files, as its package lays them out (lib/main.js runs `node bin/esbuild`, which loads esbuild.wasm).
rmSync(join(dist, 'esbuild'), { recursive: true, force: true });
rmSync(join(dist, 'esbuild-wasm'), { recursive: true, force: true });
for (const file of ['package.json', 'LICENSE.md', 'lib/main.js', 'bin/esbuild', 'esbuild.wasm', 'wasm_exec.js', 'wasm_exec_node.js']) {
  mkdirSync(dirname(join(dist, 'esbuild-wasm', file)), { recursive: true });
  cpSync(join(wasmDir, file), join(dist, 'esbuild-wasm', file));
}

console.log(`client: bundled extension, server, debug adapter and webview into ${dist}${production ? ' (production: minified, no source maps)' : ''}`);
