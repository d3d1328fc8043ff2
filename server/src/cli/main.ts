/** Entry point of `deadbolt` (server/bin/deadbolt.js): runs the command line against the real process and sets the exit code. */
import { run } from './run.js';

try {
  process.exitCode = await run(process.argv.slice(2), { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  // An engine crash is a bug, not a finding: say so plainly and exit 2 so CI does not read it as "problems found".
  process.stderr.write(`deadbolt: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
}
