/** The version of the package's bins: the version field of server/package.json, read when asked. */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // From server/dist/src/cli/version.js up to server/package.json.
  const manifest = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * `--help`/`-h` and `--version`/`-v` for the protocol bins (deadbolt-lsp, deadbolt-dap): answered and the process
 * ended before any session starts, since a session would otherwise sit waiting for a client on stdin.
 */
export function answerHelpOrVersion(args: readonly string[], usage: string): void {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`${packageVersion()}\n`);
    process.exit(0);
  }
}
