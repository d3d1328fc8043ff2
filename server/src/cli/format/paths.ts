/** Paths as the CLI prints them: relative to the working directory, with forward slashes on every platform. */
import path from 'node:path';

export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return (relative === '' ? path.basename(file) : relative).split(path.sep).join('/');
}
