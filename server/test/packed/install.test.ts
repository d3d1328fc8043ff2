/**
 * What a first user gets from npm: `npm pack` of @deadbolt/runtime and @deadbolt/server, installed into a fresh
 * project in a temporary directory outside the repository, then the CLI, the language server (over stdio) and the
 * debug adapter run from that project's node_modules on code written there. Also checks what the tarballs carry:
 * LICENSE, README, engines, repository, rule docs, and source maps whose sources exist.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { BoundedDebugClient, withDeadline, WITHIN_MS } from '../helpers/deadline.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** Bounds one wait on a busy two-core machine (a first analysis, a request). */
const WAIT_MS = WITHIN_MS;
/** Bounds one npm command (a pack with its scripts, an install from the cache): minutes on a loaded machine. */
const NPM_MS = 5 * WITHIN_MS;

let work: string;
let app: string;
/** The packed tarballs, by package name. */
const tarballs = new Map<string, string>();

/**
 * npm exports its own configuration to the scripts it runs (under `npm test`, `npm_config_local_prefix` names the
 * repository); an npm started from here must see none of it, or it would install into the repository.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(config_(user_agent|local_prefix|workspaces?|prefix|global_prefix)|package_|lifecycle_|command$|execpath$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function npm(cwd: string, ...args: string[]): string {
  const result = spawnSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', shell: process.platform === 'win32', timeout: NPM_MS });
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const ACCOUNTS = `import { Mutex } from '@deadbolt/runtime';

const accounts = new Mutex({ name: 'accounts' });
const audit = new Mutex({ name: 'audit' });

export function deposit(amount: number): number {
  accounts.lock();
  try {
    audit.lock();
    try {
      return amount;
    } finally {
      audit.unlock();
    }
  } finally {
    accounts.unlock();
  }
}

export function review(): void {
  audit.lock();
  try {
    accounts.lock();
    accounts.unlock();
  } finally {
    audit.unlock();
  }
}
`;

const STUCK = `import { Barrier, Mutex, type BarrierHandle, type MutexHandle } from '@deadbolt/runtime';
import { isMainThread, Worker, workerData } from 'node:worker_threads';

interface Plan { first: MutexHandle; second: MutexHandle; ready: BarrierHandle }

if (isMainThread) {
  const inventory = new Mutex({ name: 'inventory' });
  const orders = new Mutex({ name: 'orders' });
  const ready = new Barrier(2);
  new Worker(new URL(import.meta.url), { name: 'picker', workerData: { first: inventory.handle, second: orders.handle, ready: ready.handle } });
  new Worker(new URL(import.meta.url), { name: 'packer', workerData: { first: orders.handle, second: inventory.handle, ready: ready.handle } });
} else {
  const plan = workerData as Plan;
  const first = Mutex.from(plan.first);
  const second = Mutex.from(plan.second);
  first.lock();
  Barrier.from(plan.ready).wait();
  second.lock(); // both wait here
}
`;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'deadbolt-packed-'));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const packed = JSON.parse(npm(REPO, 'pack', '-w', 'runtime', '-w', 'server', '--pack-destination', packs, '--json')) as { name: string; filename: string }[];
  for (const p of packed) tarballs.set(p.name, join(packs, p.filename));
  app = join(work, 'app');
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'first-user', private: true, type: 'module' }, null, 2));
  writeFileSync(join(app, 'src', 'accounts.ts'), ACCOUNTS);
  writeFileSync(join(app, 'src', 'stuck.ts'), STUCK);
  npm(app, 'install', '--no-audit', '--no-fund', ...packed.map((p) => join(packs, p.filename)));
});

after(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

const pkg = (name: string) => join(app, 'node_modules', '@deadbolt', name);

test('the installed packages carry LICENSE, README, engines, repository and the rule docs', () => {
  for (const name of ['runtime', 'server']) {
    const manifest = JSON.parse(readFileSync(join(pkg(name), 'package.json'), 'utf8'));
    assert.ok(existsSync(join(pkg(name), 'LICENSE')), `${name} has LICENSE`);
    assert.ok(existsSync(join(pkg(name), 'README.md')), `${name} has README.md`);
    assert.match(manifest.engines?.node ?? '', /^>=20\.11/, `${name} declares engines.node`);
    assert.match(manifest.repository?.url ?? '', /github\.com/, `${name} declares its repository`);
  }
  for (const rule of ['lock-order', 'double-lock', 'lock-leak', 'unguarded-write', 'non-atomic-update', 'blocking-in-async', 'await-holding-lock', 'async-atomicity']) {
    assert.ok(existsSync(join(pkg('server'), 'docs', 'rules', `${rule}.md`)), `docs/rules/${rule}.md ships`);
  }
  // The page the rule pages link to, and the configuration's schema for editors' `$schema`.
  assert.ok(existsSync(join(pkg('server'), 'docs', 'configuration.md')), 'docs/configuration.md ships');
  const schema = JSON.parse(readFileSync(join(pkg('server'), 'deadbolt.config.schema.json'), 'utf8'));
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.ok(existsSync(join(pkg('runtime'), 'dist', 'types-ts5.2', 'index.d.ts')), 'the runtime carries declarations for TypeScript 5.2-5.6');
});

test('every source map in the installed packages points at sources that exist', () => {
  let maps = 0;
  for (const name of ['runtime', 'server']) {
    for (const file of readdirSync(pkg(name), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.map')) continue;
      maps++;
      const path = join(pkg(name), file);
      const map = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; sourceRoot?: string; sourcesContent?: string[] };
      map.sources.forEach((source, i) => {
        if (map.sourcesContent?.[i] != null) return;
        const target = resolve(dirname(path), map.sourceRoot ?? '', source);
        assert.ok(existsSync(target), `${name}/${file} points at ${source}, which is not in the package`);
      });
    }
  }
  assert.ok(maps > 50, `source maps were checked (${maps})`);
});

test('the CLI runs from the fresh project: version, and a lock-order finding in code written there', () => {
  const bin = join(app, 'node_modules', '.bin', 'deadbolt');
  const version = spawnSync(bin, ['--version'], { cwd: app, encoding: 'utf8', timeout: WAIT_MS });
  assert.equal(version.stdout.trim(), '0.1.0', version.stderr);
  const check = spawnSync(bin, ['check', 'src', '--format', 'json'], { cwd: app, encoding: 'utf8', timeout: WAIT_MS });
  assert.equal(check.status, 1, check.stderr);
  const report = JSON.parse(check.stdout) as { diagnostics: { file: string; rule: string }[] };
  assert.ok(report.diagnostics.some((d) => d.rule === 'lock-order' && d.file === 'src/accounts.ts'), check.stdout);
});

test('the language server answers --version, initializes over stdio and links diagnostics to docs that exist', async () => {
  const bin = join(app, 'node_modules', '.bin', 'deadbolt-lsp');
  assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: WAIT_MS }).stdout.trim(), '0.1.0');
  const child = spawn(bin, ['--stdio'], { cwd: app, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const file = join(app, 'src', 'accounts.ts');
  const uri = pathToFileURL(file).href;
  const published = new Promise<PublishDiagnosticsParams>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      if (params.uri === uri && params.diagnostics.length > 0) resolve(params);
    });
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  try {
    const init = (await withDeadline(connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(app).href,
      workspaceFolders: [{ uri: pathToFileURL(app).href, name: 'first-user' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { codeDescriptionSupport: true } } },
    }), "response to 'initialize' from the installed language server", WAIT_MS)) as { serverInfo?: { name: string } };
    assert.ok(init.serverInfo === undefined || /deadbolt/i.test(init.serverInfo.name));
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: ACCOUNTS } });
    const { diagnostics } = await withDeadline(published, `diagnostics for ${uri} from the installed language server`, WAIT_MS);
    const finding = diagnostics.find((d) => d.code === 'lock-order');
    assert.ok(finding, JSON.stringify(diagnostics));
    const href = finding.codeDescription?.href ?? '';
    assert.ok(href.startsWith('file:'), href);
    assert.ok(existsSync(fileURLToPath(href)), `the rule doc ${href} exists`);
    assert.ok(fileURLToPath(href).startsWith(pkg('server')), `${href} is the installed package's own page`);
    await withDeadline(connection.sendRequest('shutdown'), "response to 'shutdown' from the installed language server", WAIT_MS);
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
  }
});

test('the debug adapter runs a TypeScript program of the fresh project and stops on its deadlock', async () => {
  const dc = new BoundedDebugClient(process.execPath, join(pkg('server'), 'bin', 'deadbolt-dap.js'), 'deadbolt');
  dc.defaultTimeout = WAIT_MS;
  await dc.start();
  try {
    const stopped = new Promise<DebugProtocol.StoppedEvent>((resolve) => dc.once('stopped', resolve));
    await Promise.all([dc.configurationSequence(), dc.launch({ program: join(app, 'src', 'stuck.ts'), cwd: app })]);
    const event = await withDeadline(stopped, "'stopped' event from the installed adapter", WAIT_MS);
    assert.equal(event.body.reason, 'deadlock');
    assert.match(event.body.description ?? '', /picker holds (inventory|orders)/);
    assert.match(event.body.description ?? '', /packer holds (inventory|orders)/);
    const threads = (await dc.threadsRequest()).body.threads;
    const picker = threads.find((t) => t.name === 'picker');
    assert.ok(picker, JSON.stringify(threads));
    const frames = (await dc.stackTraceRequest({ threadId: picker.id })).body.stackFrames;
    const stuckLine = STUCK.split('\n').findIndex((l) => l.includes('both wait here')) + 1;
    assert.equal(frames[0]?.source?.path, join(app, 'src', 'stuck.ts'), JSON.stringify(frames));
    assert.equal(frames[0]?.line, stuckLine);
    await dc.terminateRequest();
  } finally {
    await dc.stop();
  }
});

/** Every export of the runtime, used as a program would use it, for the compilers below to check. */
const EVERY_EXPORT = `import {
  Barrier, BrokenBarrierError, Condition, configure, DeadlockError, droppedOrderEdges, Event, jsonCodec, lockAll, lockAllAsync,
  LockGuard, LockNotHeldError, LockOrderViolation, Mutex, OwnerDiedError, RecursiveMutex, Semaphore, SharedQueue, TimeoutError,
  type AsyncWaitOptions, type MutexHandle, type WaitOptions,
} from '@deadbolt/runtime';
import { createTraceBuffer, viewsOf, type TraceEvent } from '@deadbolt/runtime/trace';

const wait: WaitOptions = { timeout: 10 };
const waitAsync: AsyncWaitOptions = { timeout: 10, signal: AbortSignal.timeout(100) };
const mutex = new Mutex({ name: 'accounts', rank: 1 });
const handle: MutexHandle = mutex.handle;
const again = Mutex.from(handle);
export function all(): void {
  using _guard: LockGuard = again.lock(wait);
  const recursive = new RecursiveMutex();
  recursive.withLock(() => recursive.withLock(() => undefined));
  const permits = new Semaphore(2, { name: 'permits' });
  permits.withPermit(() => undefined);
  const condition = new Condition(new Mutex());
  const event = new Event();
  event.set();
  const barrier = new Barrier(1);
  barrier.wait();
  const queue = new SharedQueue<unknown>({ capacity: 4, codec: jsonCodec });
  queue.tryPut({ id: 1 });
  lockAll([mutex, recursive], () => condition.notifyAll());
  void lockAllAsync([mutex], async () => undefined, waitAsync);
  configure({ checkLockOrder: false });
  const errors = [BrokenBarrierError, DeadlockError, LockNotHeldError, LockOrderViolation, OwnerDiedError, TimeoutError];
  const views = viewsOf(createTraceBuffer());
  const event2: TraceEvent | undefined = undefined;
  void [errors, views, event2, droppedOrderEdges()];
}
`;

/**
 * The declarations under the compilers the runtime's README promises: the oldest supported (5.2) and 5.6, the last
 * before typed arrays became generic, each installed from npm, checking a program that uses every export, with the
 * strict options and no skipLibCheck, under both module resolutions that read `exports`.
 */
for (const version of ['5.2.2', '5.6.3']) {
  test(`the runtime's declarations type-check under TypeScript ${version} without skipLibCheck`, { timeout: 300_000 }, () => {
    const project = join(work, `typescript-${version}`);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `on-typescript-${version}`, private: true, type: 'module' }, null, 2));
    writeFileSync(join(project, 'every-export.ts'), EVERY_EXPORT);
    npm(project, 'install', '--no-audit', '--no-fund', tarballs.get('@deadbolt/runtime')!, `typescript@${version}`, '@types/node@20');
    for (const [module, moduleResolution] of [['NodeNext', 'NodeNext'], ['ESNext', 'Bundler']]) {
      const tsconfig = {
        compilerOptions: { target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], module, moduleResolution, strict: true, noEmit: true, types: ['node'] },
        files: ['every-export.ts'],
      };
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
      const tsc = spawnSync(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' });
      assert.equal(tsc.status, 0, `TypeScript ${version}, ${moduleResolution}:\n${tsc.stdout}${tsc.stderr}`);
    }
  });
}
