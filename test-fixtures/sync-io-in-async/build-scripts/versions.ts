// An ES module of release helpers, imported by the release script beside it: the chain fix makes the exported
// helper async and awaits it where it is imported, as an unsafe fix (a package's users may call it too).
import { readFileSync } from 'node:fs';

export function readVersion(dir: string): string {
  const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { version: string };
  return manifest.version;
}

/** Exported and also handed on as a value (`versions.map(releaseNotes)` below): reported, no fix. */
export function releaseNotes(version: string): string {
  return readFileSync(`notes/${version}.md`, 'utf8');
}
