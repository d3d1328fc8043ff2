/**
 * deadbolt-lsp in a real editor: spawns headless Neovim with diagnostics.lua on a file with a lock-order cycle and
 * asserts what it printed (the diagnostics it received and the code actions it was offered, including the reorder
 * fix). Neovim must be installed (`apt-get install -y neovim`); when it is missing this test fails saying so.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const SCRIPT = fileURLToPath(new URL('../../../test/nvim/diagnostics.lua', import.meta.url));
const SERVER_BIN = fileURLToPath(new URL('../../../bin/deadbolt-lsp.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../test-fixtures/lsp/single-file/', import.meta.url));
const FILE = `${ROOT}deadlock.ts`;
/** Bound on the whole editor session; the script's own waits are shorter, so a hang shows as its FAIL line. */
const SESSION_MS = 90_000;

function runNeovim(rule: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', '-n', '-c', `luafile ${SCRIPT}`], {
      env: { ...process.env, DEADBOLT_LSP_BIN: SERVER_BIN, DEADBOLT_ROOT: ROOT, DEADBOLT_FILE: FILE, DEADBOLT_RULE: rule, DEADBOLT_NODE: process.execPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), SESSION_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('headless Neovim receives the lock-order diagnostics and code actions of a deadlocking file', async () => {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.ok(
    probe.status === 0,
    'Neovim is not installed, and this test needs a real editor: install it with `apt-get update && apt-get install -y neovim` (0.7 or newer)',
  );

  const { code, stdout, stderr } = await runNeovim('lock-order');
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
    // The cycle's acquisitions are on lines 10 (wallet inside ledger) and 17 (ledger inside wallet).
    assert.ok(['10', '17'].includes(where!.split(':')[0]!), line);
    assert.match(line, /ledger/);
    assert.match(line, /wallet/);
  }

  // Each side of the cycle can be suppressed; the side against the consistent order (wallet, then ledger, on line 17)
  // gets the preferred fix that swaps the two acquisitions.
  const actions = lines.filter((l) => l.startsWith('ACTION '));
  assert.ok(actions.includes('ACTION 10 quickfix false Suppress lock-order on this line'), context);
  assert.ok(actions.includes('ACTION 17 quickfix false Suppress lock-order on this line'), context);
  assert.ok(actions.includes('ACTION 17 quickfix true Take `ledger` before `wallet`, the order used elsewhere'), context);
});
