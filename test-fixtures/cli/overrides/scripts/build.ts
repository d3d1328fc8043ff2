// A build script: sync I/O is the ordinary way to write it, and the override silences it.
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export async function build(): Promise<void> {
  writeFileSync('dist/VERSION', execSync('git describe --tags', { encoding: 'utf8' }));
}
