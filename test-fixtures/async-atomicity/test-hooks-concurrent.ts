// A suite run with `{ concurrency: true }` (node:test; Vitest's `describe.concurrent` is the same) runs its tests at
// once, and each one's `afterEach` as it ends: the hook clearing `made` can run while another test adds to it, so the
// batch is lost as in any other coroutine.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';

declare function scaffold(): Promise<string>;

describe('scaffolding, in parallel', { concurrency: true }, () => {
  const made = new Set<string>();

  afterEach(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
    made.clear(); // expect: async-atomicity
  });

  it('makes one', async () => {
    const dir = await scaffold();
    made.add(dir);
    assert.ok(existsSync(dir));
  });

  it('makes another', async () => {
    made.add(await scaffold());
  });
});
