/** Runs the real `deadbolt` bin in a child process, as users and CI do, and captures what it prints. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WITHIN_MS } from '../helpers/deadline.js';

/** server/bin/deadbolt.js, from server/dist/test/cli. */
export const BIN = fileURLToPath(new URL('../../../bin/deadbolt.js', import.meta.url));
export const CLI_FIXTURES = fileURLToPath(new URL('../../../../test-fixtures/cli/', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function deadbolt(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    // A generous bound so a hung analysis fails the test instead of the whole run.
    timeout: WITHIN_MS,
    env: { ...process.env, NO_COLOR: undefined, ...env },
  });
  // ETIMEDOUT when the bound above ran out: say which command it was.
  if (result.error) throw new Error(`deadbolt ${args.join(' ')} in ${cwd}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
