/** Entry point of `deadbolt-dap`: serves one debug session over stdin/stdout (or `--server=<port>` for adapter development). */
import { DebugSession } from '@vscode/debugadapter';
import { DeadboltDebugSession } from './session.js';

DebugSession.run(DeadboltDebugSession);
