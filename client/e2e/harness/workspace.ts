/**
 * Throwaway workspaces with @deadbolt/runtime installed in their node_modules (the package.json and compiled dist/
 * of this repository's runtime), so the analyzer resolves the runtime's types exactly as in a user's project, and
 * quick fixes edit a copy, never a committed fixture.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace, type WorkspaceShape } from './generatedWorkspace.js';
import { fixtureWorkspace, repoDir, tracingWorkspace } from './paths.js';

function installRuntime(workspace: string): void {
  const runtime = join(workspace, 'node_modules', '@deadbolt', 'runtime');
  mkdirSync(runtime, { recursive: true });
  cpSync(join(repoDir, 'runtime', 'package.json'), join(runtime, 'package.json'));
  cpSync(join(repoDir, 'runtime', 'dist', 'src'), join(runtime, 'dist', 'src'), { recursive: true });
}

/** A copy of the fixture workspace (bank.ts, hits.ts) under `root`. */
export function prepareWorkspace(root: string): string {
  const workspace = join(root, 'bank');
  cpSync(fixtureWorkspace, workspace, { recursive: true });
  installRuntime(workspace);
  return workspace;
}

/**
 * A copy of the lock-tracing workspace (tellers) under `root`, with Node's types too: its programs run as they are
 * written (they import node:worker_threads), and without the types TypeScript would fill the Problems panel.
 */
export function prepareTracingWorkspace(root: string): string {
  const workspace = join(root, 'tellers');
  cpSync(tracingWorkspace, workspace, { recursive: true });
  installRuntime(workspace);
  for (const types of [join('@types', 'node'), 'undici-types']) {
    cpSync(join(repoDir, 'node_modules', types), join(workspace, 'node_modules', types), { recursive: true });
  }
  return workspace;
}

/** A generated workspace of `shape` under `root/name`, with the fixture workspace's tsconfig.json and package.json. */
export function generatedWorkspace(root: string, name: string, shape: WorkspaceShape): string {
  const workspace = join(root, name);
  generateWorkspace(workspace, shape);
  cpSync(join(fixtureWorkspace, 'tsconfig.json'), join(workspace, 'tsconfig.json'));
  cpSync(join(fixtureWorkspace, 'package.json'), join(workspace, 'package.json'));
  installRuntime(workspace);
  return workspace;
}
