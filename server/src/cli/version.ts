/** The CLI's version: the version field of server/package.json, read when asked. */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // From server/dist/src/cli/version.js up to server/package.json.
  const manifest = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
