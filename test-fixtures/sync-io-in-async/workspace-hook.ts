// A package manager's readPackage hook, as monorepos write it to link their workspace packages into a demo: an
// async hook whose local helpers read manifests inside `forEach` callbacks. The fix turns each such `forEach` over
// a fresh array into a `for...of` loop, where the awaited read is legal.
import fs from 'node:fs';
import path from 'node:path';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export const hooks = {
  async readPackage(pkg: Manifest, workspace: Record<string, string>): Promise<Manifest> {
    const injectPeers = (manifestPath: string) => {
      try {
        const local = JSON.parse(fs.readFileSync(manifestPath, 'utf-8')) as Manifest;
        Object.keys(local.peerDependencies ?? {}).forEach((peer) => {
          if (workspace[peer]) (pkg.dependencies ??= {})[peer] = `file:${workspace[peer]}`;
        });
      } catch {
        // Ignore missing files or parse errors
      }
    };

    const scanDeps = (deps?: Record<string, string>) => {
      if (!deps) return;
      Object.keys(deps).forEach((dep) => {
        if (workspace[dep]) {
          deps[dep] = `file:${workspace[dep]}`;
          injectPeers(path.resolve(workspace[dep]!, 'package.json'));
        }
      });
    };

    scanDeps(pkg.dependencies); // expect: sync-io-in-async
    scanDeps(pkg.devDependencies); // expect: sync-io-in-async
    return pkg;
  },
};

/** Writes every generated file; the callback is the coroutine's own `forEach` body. */
export async function writeAll(outDir: string, files: Record<string, string>): Promise<void> {
  await fs.promises.mkdir(outDir, { recursive: true });
  Object.entries(files).forEach(([name, content]) => {
    fs.writeFileSync(path.join(outDir, name), content); // expect: sync-io-in-async
  });
}

/** A callback that reassigns its parameter: the loop's variable is a `let`. */
export async function makeDirs(dir: string, names: string[]): Promise<void> {
  names.map((n) => n.trim()).forEach((name) => {
    name = name.toLowerCase();
    fs.mkdirSync(path.join(dir, name), { recursive: true }); // expect: sync-io-in-async
  });
}

/** A `forEach` over an array the caller owns may see it change while it waits: reported, no fix. */
export async function touchAll(paths: string[]): Promise<void> {
  paths.forEach((p) => {
    fs.utimesSync(p, new Date(), new Date()); // expect: sync-io-in-async
  });
}

/** A callback that returns early ends one iteration, which `for...of` would not express as written: no fix. */
export async function removeStale(dir: string, keep: Set<string>): Promise<void> {
  (await fs.promises.readdir(dir)).map((name) => path.join(dir, name)).forEach((file) => {
    if (keep.has(file)) return;
    fs.unlinkSync(file); // expect: sync-io-in-async
  });
}
