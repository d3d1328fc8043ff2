/**
 * Where the editor test finds things: the client folder, the e2e install (code-server, Node 24), the fixture
 * workspace, and where screenshots go. Compiled to client/dist/e2e/harness/, so the client is three levels up.
 */
import { join } from 'node:path';

export const clientDir = join(__dirname, '..', '..', '..');
export const repoDir = join(clientDir, '..');
export const e2eDir = join(clientDir, 'e2e');
export const node24 = join(e2eDir, 'node_modules', 'node', 'bin', 'node');
export const codeServerEntry = join(e2eDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const fixtureWorkspace = join(e2eDir, 'workspace');
/** The workspace of the lock-tracing test: tellers run by the JavaScript debugger. */
export const tracingWorkspace = join(e2eDir, 'tracing');
export const screenshotsDir = join(e2eDir, 'screenshots');
export const guideImagesDir = join(repoDir, 'docs', 'images');
export const chromiumPath = process.env.DEADBOLT_E2E_CHROMIUM ?? '/usr/bin/chromium';

export function vsixPath(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { name, version } = require(join(clientDir, 'package.json')) as { name: string; version: string };
  return join(clientDir, 'dist-vsix', `${name}-${version}.vsix`);
}
