// The release script: awaits nothing but its own work, and calls the helpers of ./versions.js.
import { readVersion, releaseNotes } from './versions.js';

export async function release(dir: string, publish: (version: string, notes: string) => Promise<void>): Promise<string[]> {
  const version = readVersion(dir); // expect: sync-io-in-async
  await publish(version, releaseNotes(version)); // expect: sync-io-in-async
  return [version].map(releaseNotes);
}
