// Bundles everything the extension ships with esbuild (the one bundler): the extension host code, the language
// server and debug adapter from server/, and the webview script. `tsc -b` only type-checks; this makes dist/.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  // Minified or not, classes and functions keep their names: stack traces and any name-based checks stay readable.
  keepNames: true,
  logLevel: 'warning',
  // `vscode` is not a package: the editor provides it to the extension host at run time.
  external: ['vscode'],
};

// The stylesheet is copied first so a failing bundle never leaves a panel without it.
rmSync(join(dist, 'panel'), { recursive: true, force: true });
mkdirSync(join(dist, 'panel'), { recursive: true });
cpSync(join(here, 'webview', 'panel.css'), join(dist, 'panel', 'panel.css'));

await Promise.all([
  build({ ...node, entryPoints: [join(here, 'src', 'extension.ts')], outfile: join(dist, 'extension.js') }),
  build({ ...node, ...importMetaShim, entryPoints: [join(server, 'src', 'lsp', 'main.ts')], outfile: join(dist, 'server.js') }),
  // The server runs the analysis in a worker it finds next to itself (new URL('./analysisWorker.js', import.meta.url)).
  build({ ...node, ...importMetaShim, entryPoints: [join(server, 'src', 'lsp', 'analysisWorker.ts')], outfile: join(dist, 'analysisWorker.js') }),
  build({
    ...node,
    ...importMetaShim,
    entryPoints: [join(server, 'src', 'dap', 'main.ts')],
    outfile: join(dist, 'dap.js'),
    // esbuild's API inside the adapter finds its binary through ESBUILD_BINARY_PATH (below), not require.resolve.
    logOverride: { 'require-resolve-not-external': 'silent' },
  }),
  build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    minify: production,
    logLevel: 'warning',
    entryPoints: [join(here, 'webview', 'main.ts')],
    outfile: join(dist, 'panel', 'webview.js'),
  }),
]);

// The debug adapter preloads the runtime's tracer into the debugged program, which runs outside the bundle,
// so the tracer's compiled files ship next to dap.js.
const runtimeDir = dirname(require.resolve('@deadbolt/runtime/package.json'));
const traceDir = join(runtimeDir, 'dist', 'src', 'trace');
if (existsSync(traceDir)) {
  rmSync(join(dist, 'trace'), { recursive: true, force: true });
  cpSync(traceDir, join(dist, 'trace'), { recursive: true, filter: (p) => !p.endsWith('.d.ts') && !p.endsWith('.d.ts.map') });
  // The tracer is ESM, and the extension's package.json (no "type") would make Node read it as CommonJS.
  writeFileSync(join(dist, 'trace', 'package.json'), '{ "type": "module" }\n');
}
// Diagnostics link each rule id to its doc page; the server looks for the pages beside itself first, so the
// VSIX carries them and the links work offline and match the installed version.
rmSync(join(dist, 'docs'), { recursive: true, force: true });
cpSync(join(here, '..', 'docs', 'rules'), join(dist, 'docs', 'rules'), { recursive: true });
// The adapter compiles TypeScript programs with esbuild's JS API (bundled into dap.js), which runs esbuild's native
// binary; the binary cannot be bundled, so it ships beside dap.js and the extension points ESBUILD_BINARY_PATH at it.
// This makes the VSIX specific to the platform it was built on.
const esbuildPlatform = `@esbuild/${process.platform}-${process.arch}`;
const esbuildBinary = join(dirname(require.resolve(`${esbuildPlatform}/package.json`)), 'bin', 'esbuild');
rmSync(join(dist, 'esbuild'), { recursive: true, force: true });
mkdirSync(join(dist, 'esbuild'), { recursive: true });
copyFileSync(esbuildBinary, join(dist, 'esbuild', 'esbuild'));
chmodSync(join(dist, 'esbuild', 'esbuild'), 0o755);

console.log(`client: bundled extension, server, debug adapter and webview into ${dist}${production ? ' (minified)' : ''}`);
