/**
 * Makes a throwaway copy of the fixture workspace with @deadbolt/runtime installed in its node_modules (the
 * package.json and compiled dist/ of this repository's runtime), so the analyzer resolves the runtime's types
 * exactly as in a user's project, and the quick fix edits a copy, never the committed fixture.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, repoDir } from './paths.js';

export function prepareWorkspace(root: string): string {
  const workspace = join(root, 'bank');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  const runtime = join(workspace, 'node_modules', '@deadbolt', 'runtime');
  mkdirSync(runtime, { recursive: true });
  cpSync(join(repoDir, 'runtime', 'package.json'), join(runtime, 'package.json'));
  cpSync(join(repoDir, 'runtime', 'dist', 'src'), join(runtime, 'dist', 'src'), { recursive: true });
  return workspace;
}
