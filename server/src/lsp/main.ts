/**
 * Entry point of `deadbolt-lsp`: checks the command line, opens the stdio connection and starts the server.
 * Nothing may write to stdout but the protocol, so stray console output is redirected to the editor's log.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { answerHelpOrVersion } from '../cli/version.js';
import { startServer } from './server.js';

const USAGE = 'usage: deadbolt-lsp --stdio\n       deadbolt-lsp --help | --version\n\nThe Deadbolt language server; editors start it and speak LSP over stdin/stdout.\n';

const args = process.argv.slice(2);
answerHelpOrVersion(args, USAGE);
if (!args.includes('--stdio')) {
  process.stderr.write(`deadbolt-lsp: only --stdio is supported\n${USAGE}`);
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
// A library that logs to stdout would corrupt the message stream; send it to the editor's output instead.
console.log = (...parts: unknown[]) => connection.console.log(parts.map(String).join(' '));
console.info = console.log;
console.warn = (...parts: unknown[]) => connection.console.warn(parts.map(String).join(' '));
console.error = (...parts: unknown[]) => connection.console.error(parts.map(String).join(' '));

// One failing request or analysis must not take the server down with it: log it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`deadbolt-lsp: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`deadbolt-lsp: unhandled rejection: ${String(reason)}`));

startServer(connection);
