/** Placeholder model: replaced by the flow analysis in the next step. */
import type { Project, SourceFile } from 'ts-morph';
import type { StaticLockGraph } from '../../protocol/index.js';
import type { ProgramModel } from '../rule.js';
import type { DeadboltConfig } from '../types.js';

export interface EngineModel extends ProgramModel {
  lockGraph(): StaticLockGraph;
}

export function buildModel(
  _project: Project,
  files: readonly SourceFile[],
  _config: DeadboltConfig,
  onProgress?: (done: number, total: number, file: string) => void,
): EngineModel {
  files.forEach((f, i) => onProgress?.(i + 1, files.length, f.getFilePath()));
  return { heldAt: () => [], lockGraph: () => ({ nodes: [], edges: [], cycles: [] }) };
}
