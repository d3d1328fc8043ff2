/**
 * Entry point of `deadbolt-dap`: answers --help and --version, else serves one debug session over stdin/stdout (or
 * `--server=<port>` for adapter development).
 */
import { DebugSession } from '@vscode/debugadapter';
import { answerHelpOrVersion } from '../cli/version.js';
import { DeadboltDebugSession } from './session.js';

const USAGE = `usage: deadbolt-dap [--server=<port>]
       deadbolt-dap --help | --version

The Deadbolt debug adapter (debug type "deadbolt"): editors start it and speak the Debug Adapter Protocol over
stdin/stdout. It runs a Node.js program (.js, .mjs or .ts) with lock tracing and stops when its threads deadlock.
--server=<port> serves sessions on a TCP port instead, for developing the adapter.
`;

const args = process.argv.slice(2);
answerHelpOrVersion(args, USAGE);
const unknown = args.find((a) => !a.startsWith('--server='));
if (unknown !== undefined) {
  process.stderr.write(`deadbolt-dap: unknown argument '${unknown}'\n${USAGE}`);
  process.exit(2);
}

DebugSession.run(DeadboltDebugSession);
