// The language server as the VSIX runs it: dist/server.js, started with `node --stdio`, analyses in the
// dist/analysisWorker.js bundle beside it and publishes the fixture workspace's lock-order cycle. A bundle that
// leaves a module unresolved (a dependency's UMD build requiring its own files) fails here, not only in the editor.
// Its quick fix is asked for too: the worker bundle type-checks it (the fix gate) before the server offers it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { WITHIN_MS } from './deadline.js';

const client = join(__dirname, '..', '..');
const server = join(client, 'dist', 'server.js');
const fixtureWorkspace = join(client, 'e2e', 'workspace');

interface Diagnostic {
  code?: string | number;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

test('the bundled language server publishes the lock-order cycle of the fixture workspace', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'deadbolt-bundled-server-'));
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  // @deadbolt/runtime installed as in a user's project, so its lock types resolve.
  const runtime = join(workspace, 'node_modules', '@deadbolt', 'runtime');
  cpSync(join(client, '..', 'runtime', 'package.json'), join(runtime, 'package.json'));
  cpSync(join(client, '..', 'runtime', 'dist', 'src'), join(runtime, 'dist', 'src'), { recursive: true });
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const bank = join(workspace, 'src', 'bank.ts');
  const bankUri = pathToFileURL(bank).href;
  const found = new Promise<Diagnostic[]>((resolve) => {
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
      if (params.uri === bankUri && params.diagnostics.length > 0) resolve(params.diagnostics);
    });
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before publishing:\n${stderr}`))),
  );
  let timer: NodeJS.Timeout | undefined;
  // A deadline, not a speed target: the first analysis loads TypeScript and the workspace on a possibly busy machine.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no diagnostics for bank.ts within ${WITHIN_MS} ms:\n${stderr}`)), WITHIN_MS);
  });
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(workspace).href,
      workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bank' }],
      capabilities: {},
    });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: bankUri, languageId: 'typescript', version: 1, text: readFileSync(bank, 'utf8') },
    });
    const diagnostics = await Promise.race([found, exited, deadline]);
    const cycle = diagnostics.find((d) => d.code === 'lock-order' && /accounts/.test(d.message));
    assert.ok(cycle, `a lock-order diagnostic naming accounts, got ${JSON.stringify(diagnostics)}`);
    const actions = (await Promise.race([
      connection.sendRequest('textDocument/codeAction', { textDocument: { uri: bankUri }, range: cycle.range, context: { diagnostics: [cycle], only: ['quickfix'] } }),
      exited,
      deadline,
    ])) as { title: string }[] | null;
    const fixes = (actions ?? []).map((a) => a.title).filter((title) => !title.startsWith('Suppress'));
    assert.ok(fixes.length > 0, `a type-checked quick fix for the cycle, got ${JSON.stringify(actions)}\n${stderr}`);
  } finally {
    clearTimeout(timer);
    connection.dispose();
    child.kill();
    rmSync(workspace, { recursive: true, force: true });
  }
});
