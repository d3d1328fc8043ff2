// What the corpus scripts share: the repositories of repos.json, and their command line (`--corpus dir`, `--out
// file`, `--timeout seconds` and the names to run, which default to all).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const { repositories } = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));

/** Reads `argv` (process.argv without node and the script): `option(name)` takes `--name value` out, `rest` is the names. */
export function commandLine(argv, defaultTimeoutSeconds) {
  const rest = [...argv];
  const option = (name) => {
    const at = rest.indexOf(name);
    return at < 0 ? undefined : rest.splice(at, 2)[1];
  };
  const corpus = resolve(option('--corpus') ?? process.env.DEADBOLT_CORPUS ?? join(here, '..', '.corpus'));
  const out = option('--out');
  const timeoutSeconds = Number(option('--timeout') ?? defaultTimeoutSeconds);
  return { option, corpus, out, timeoutSeconds, rest };
}
