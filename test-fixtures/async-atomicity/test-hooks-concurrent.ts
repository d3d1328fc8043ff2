// Vitest's `describe.concurrent` runs the tests of a block at once, and each one's `afterEach` as it ends: the hook
// clearing `made` can run while another test adds to it, so the batch is lost as in any other coroutine.
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';

declare function scaffold(): Promise<string>;

describe.concurrent('scaffolding, in parallel', () => {
  const made = new Set<string>();

  afterEach(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
    made.clear(); // expect: async-atomicity
  });

  it('makes one', async () => {
    const dir = await scaffold();
    made.add(dir);
    expect(existsSync(dir)).toBe(true);
  });

  it('makes another', async () => {
    made.add(await scaffold());
  });
});
