/**
 * deadbolt-lsp in a real editor: spawns headless Neovim with diagnostics.lua on a file with a lock-order cycle and
 * asserts what it printed (the diagnostics it received and the code actions it was offered, including the reorder
 * fix). Neovim must be installed (`apt-get install -y neovim`); when it is missing this test fails saying so.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { closed, WITHIN_MS } from '../helpers/deadline.js';

const SCRIPT = fileURLToPath(new URL('../../../test/nvim/diagnostics.lua', import.meta.url));
const SERVER_BIN = fileURLToPath(new URL('../../../bin/deadbolt-lsp.js', import.meta.url));
const LSP_FIXTURES = fileURLToPath(new URL('../../../../test-fixtures/lsp/', import.meta.url));
/**
 * Bound on the whole editor session: the script waits at most WITHIN_MS (passed as DEADBOLT_WAIT_MS) for the
 * diagnostics and for each code-action answer, so a hang shows as its FAIL line first.
 */
const SESSION_MS = 5 * WITHIN_MS;

async function runNeovim(rule: string, folder: string, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const ROOT = `${LSP_FIXTURES}${folder}/`;
  const FILE = `${ROOT}${file}`;
  const child = spawn('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${SCRIPT}`], {
    env: { ...process.env, DEADBOLT_LSP_BIN: SERVER_BIN, DEADBOLT_ROOT: ROOT, DEADBOLT_FILE: FILE, DEADBOLT_RULE: rule, DEADBOLT_NODE: process.execPath, DEADBOLT_WAIT_MS: String(WITHIN_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    const { code } = await closed(child, 'the headless Neovim session', SESSION_MS);
    return { code, stdout, stderr };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
}

function assertNeovim(): void {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.ok(
    probe.status === 0,
    'Neovim is not installed, and this test needs a real editor: install it with `apt-get update && apt-get install -y neovim` (0.7 or newer)',
  );
}

test('headless Neovim receives the lock-order diagnostics and code actions of a deadlocking file', async () => {
  assertNeovim();
  const { code, stdout, stderr } = await runNeovim('lock-order', 'single-file', 'deadlock.ts');
  const context = `nvim exited ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`;
  assert.equal(code, 0, context);
  const lines = stdout.split('\n');
  assert.ok(lines.includes('DONE'), context);
  assert.ok(!lines.some((l) => l.startsWith('FAIL') || l.startsWith('SERVER_EXIT')), context);

  const cycles = lines.filter((l) => l.startsWith('DIAG lock-order '));
  assert.ok(cycles.length > 0, context);
  for (const line of cycles) {
    const [, , where, source] = line.split(' ');
    assert.equal(source, 'deadbolt', line);
    // The cycle closes on line 17 (ledger inside wallet, against the declaration order); line 10 only opens it.
    assert.equal(where!.split(':')[0], '17', line);
    assert.match(line, /ledger/);
    assert.match(line, /wallet/);
  }

  // The finding gets the preferred fix that swaps the two acquisitions (nothing runs between them), a lockAll that is
  // safe too, and the suppression.
  const actions = lines.filter((l) => l.startsWith('ACTION '));
  assert.ok(actions.includes('ACTION 17 quickfix true Take `ledger` before `wallet`, the order used elsewhere'), context);
  assert.ok(actions.includes('ACTION 17 quickfix false Take `ledger` and `wallet` together with lockAll'), context);
  assert.ok(actions.includes('ACTION 17 quickfix false Suppress lock-order on this line'), context);
  assert.ok(!actions.some((a) => a.startsWith('ACTION 10 ')), context);
});

test('headless Neovim offers "Take `a` and `b` together with lockAll" on the classic lock/unlock deadlock', async () => {
  assertNeovim();
  const { code, stdout, stderr } = await runNeovim('lock-order', 'classic', 'actions.ts');
  const context = `nvim exited ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`;
  assert.equal(code, 0, context);
  const actions = stdout.split('\n').filter((l) => l.startsWith('ACTION '));
  // Code between the two acquisitions would run holding both: offered, not preferred, and the title says so.
  const lockAll = actions.filter((a) => a.startsWith('ACTION 20 quickfix false Take `a` and `b` together with lockAll'));
  assert.equal(lockAll.length, 1, context);
  assert.match(lockAll[0]!, /\(unsafe: code that held one of them then runs holding both\)$/);
  assert.ok(!actions.some((a) => / true /.test(a.slice(0, 30))), `nothing is preferred here:\n${context}`);
});
