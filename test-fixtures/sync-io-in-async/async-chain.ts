// Sync I/O in a module's own helpers that async code calls (a benchmark's `main` resetting its database files, a
// store's private snapshot): the fix makes the helpers async and awaits their calls, since nothing outside this
// module can call them. An exported helper gets the same fix as an unsafe one (code outside this program may call
// it); one passed around as a value keeps its finding without a fix.
import * as fs from 'node:fs';

function resetDatabase(fileName: string): void {
  if (fs.existsSync(fileName)) {
    fs.unlinkSync(fileName); // the next run starts empty
  }
}

function prepare(dir: string): number {
  resetDatabase(`${dir}/bench.db`);
  return fs.statSync(dir).mtimeMs;
}

export async function main(dir: string): Promise<void> {
  resetDatabase(`${dir}/memory.db`); // expect: sync-io-in-async
  const started = prepare(dir); // expect: sync-io-in-async
  console.log(started);
}

/** Exported: code outside this program may call it without awaiting, so its fix is unsafe. */
export function readManifest(dir: string): string {
  return fs.readFileSync(`${dir}/manifest.json`, 'utf8');
}

export async function load(dir: string): Promise<string> {
  return readManifest(dir).trim(); // expect: sync-io-in-async
}

function sizeOf(file: string): number {
  return fs.statSync(file).size;
}

export async function sizes(files: string[]): Promise<number[]> {
  const first = sizeOf(files[0]!); // expect: sync-io-in-async
  return [first, ...files.slice(1).map(sizeOf)];
}

/**
 * A cache filled through a helper: the sync read lets no other task in between the check and the write, so making
 * the helper async and awaiting it would open the check-then-act race async-atomicity reports. Reported, no fix.
 */
let manifest: string | undefined;

function readCachedManifest(dir: string): string {
  return fs.readFileSync(`${dir}/cached-manifest.json`, 'utf8');
}

export async function cachedManifest(dir: string): Promise<string> {
  if (manifest !== undefined) return manifest;
  manifest = readCachedManifest(dir); // expect: sync-io-in-async
  return manifest;
}

export class SnapshotStore {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  #snapshot(): string {
    return fs.readFileSync(this.#path, 'utf8');
  }

  async flush(): Promise<number> {
    const text = this.#snapshot(); // expect: sync-io-in-async
    return text.length;
  }
}

/**
 * A recursive delete, as test runners write it to clean their scratch directory: the helper calls itself in its
 * own body, where it can await itself once it is async.
 */
function removeTree(location: string): void {
  const stat = fs.lstatSync(location);
  if (stat.isDirectory() && !stat.isSymbolicLink()) {
    for (const entry of fs.readdirSync(location)) {
      removeTree(`${location}/${entry}`);
    }
    fs.rmdirSync(location);
  } else {
    fs.unlinkSync(location);
  }
}

export async function cleanUp(dir: string): Promise<void> {
  removeTree(dir); // expect: sync-io-in-async
}

/** The same walk through `map`, whose callback cannot await: reported, no fix. */
function listTree(location: string): string[] {
  if (!fs.statSync(location).isDirectory()) return [location];
  return fs.readdirSync(location).flatMap((entry) => listTree(`${location}/${entry}`));
}

export async function countFiles(dir: string): Promise<number> {
  return listTree(dir).length; // expect: sync-io-in-async
}
