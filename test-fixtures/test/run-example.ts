/**
 * Runs one compiled example (test-fixtures/dist/examples/<name>.js) in its own Node process and returns its
 * exit code and output, so the example tests check what a user running it would see.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXAMPLES_DIR = fileURLToPath(new URL('../examples/', import.meta.url));

export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A generous bound: examples end in a few seconds, a minute on a machine shared with other busy processes; this
 * only stops a hung one from hanging the suite.
 */
const KILL_AFTER_MS = 120_000;

/** Runs the example; fails, naming it, if it has not exited within KILL_AFTER_MS (it is killed then). */
export function runExample(name: string, args: string[] = [], env: Record<string, string> = {}): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [`${EXAMPLES_DIR}${name}.js`, ...args],
      { env: { ...process.env, ...env }, timeout: KILL_AFTER_MS },
      (error, stdout, stderr) => {
        if (error?.killed === true) {
          reject(new Error(`example ${name} did not exit within ${KILL_AFTER_MS} ms and was killed; stdout:\n${stdout}\nstderr:\n${stderr}`));
          return;
        }
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every runnable example (helpers that are not programs, such as piscina task files, end in "-task"). */
export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.js') && !f.endsWith('-task.js'))
    .map((f) => f.slice(0, -'.js'.length))
    .sort();
}

/** The first capture group of `pattern` in `text` as a number; fails loudly when the line is missing. */
export function numberAfter(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (match === null) throw new Error(`no match for ${pattern} in:\n${text}`);
  return Number(match[1]);
}
