/**
 * Completes a `deadbolt` launch configuration: with no launch.json (F5 on a file) it builds one for the active
 * editor's file; otherwise it fills the defaults the debug adapter documents. Pure, so it is unit-tested.
 */

export interface DeadboltLaunchConfig {
  type: string;
  request: string;
  name: string;
  program?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  runtimeArgs?: string[];
  stopOnDeadlock?: boolean;
  stopOnLongWait?: number;
  [key: string]: unknown;
}

export interface LaunchContext {
  /** The file in the active editor, when it is a TypeScript or JavaScript file. */
  activeFile?: string;
  /** The workspace folder the configuration belongs to. */
  folder?: string;
}

export const runnableFile = /\.(m|c)?(j|t)sx?$/;

/** The completed configuration, or a message saying why none can be made. */
export function completeLaunchConfig(config: Partial<DeadboltLaunchConfig>, context: LaunchContext): { config: DeadboltLaunchConfig } | { error: string } {
  let result: Partial<DeadboltLaunchConfig> = { ...config };
  // VS Code passes an empty object when there is no launch.json: debug the file in front of the user.
  if (!result.type && !result.request && !result.name) {
    result = { type: 'deadbolt', request: 'launch', name: 'Deadbolt: run current file' };
    if (context.activeFile) result.program = context.activeFile;
  }
  if (!result.program) {
    if (context.activeFile && runnableFile.test(context.activeFile)) result.program = context.activeFile;
    else return { error: 'Deadbolt: set "program" in the launch configuration, or open the .js or .ts file to run.' };
  }
  return {
    config: {
      ...result,
      type: result.type ?? 'deadbolt',
      request: result.request ?? 'launch',
      name: result.name ?? 'Deadbolt',
      program: result.program,
      stopOnDeadlock: result.stopOnDeadlock ?? true,
      ...(result.cwd === undefined && context.folder !== undefined ? { cwd: context.folder } : {}),
    },
  };
}
