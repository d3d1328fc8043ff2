/** A pending async wait keeps the process alive, as a pending timer does, and stops doing so once it ends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Mutex } from '../src/index.js';
import { call, startAgent, withWorkers } from './harness.js';

const refTimers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

test('while an async wait is parked, one more ref\'d handle keeps the loop alive; afterwards it is gone', async () => {
  const mutex = new Mutex();
  await withWorkers(async (start) => {
    const agent = await startAgent(start, { m: mutex.handle });
    await call(agent, 'm', 'lock');
    const before = refTimers();
    const pending = mutex.lockAsync();
    const second = mutex.lockAsync();
    assert.equal(refTimers(), before + 1, 'one shared keeper, however many waits are parked');
    agent.post({ target: 'm', method: 'unlock' });
    (await pending).unlock();
    (await second).unlock();
    assert.equal(refTimers(), before);
    await agent.next();
  });
});

test('a program whose only pending work is a lockAsync waits for it, then exits', async () => {
  const script = fileURLToPath(new URL('./workers/keep-alive-main.js', import.meta.url));
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(process.execPath, [script, '--run'], { timeout: 20_000 }, (error, out) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), stdout: out });
    });
    child.stdin?.end();
  });
  assert.equal(stdout.trim(), 'acquired');
  assert.equal(code, 0);
});
