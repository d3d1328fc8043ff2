#!/usr/bin/env node
// Checks out every repository of corpus/repos.json at its pinned commit, for the precision, fix and speed studies
// that measure Deadbolt on code it was not written for. Usage: node corpus/checkout.mjs [dest] [name...]
// dest defaults to $DEADBOLT_CORPUS or .corpus/ at the repository root. Clones come from GitHub, or from
// $DEADBOLT_CORPUS_MIRROR when it holds a git directory for the repository at <owner>+<name>/repo (or its .git).
// Nothing is installed: a first run on a fresh clone, without node_modules, is what the studies measure.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { repositories } = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));
const [destArg, ...only] = process.argv.slice(2);
const dest = resolve(destArg ?? process.env.DEADBOLT_CORPUS ?? join(here, '..', '.corpus'));
const unknown = only.filter((name) => !repositories.some((r) => r.name === name));
if (unknown.length > 0) {
  console.error(`corpus: no repository named ${unknown.join(', ')} in corpus/repos.json`);
  process.exit(2);
}
mkdirSync(dest, { recursive: true });

const git = (args, cwd) => execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

function source(repo) {
  const mirror = process.env.DEADBOLT_CORPUS_MIRROR;
  if (mirror) {
    for (const candidate of ['repo/.git', 'repo']) {
      const dir = join(mirror, repo.replace('/', '+'), candidate);
      if (existsSync(join(dir, 'HEAD'))) return dir;
    }
  }
  return `https://github.com/${repo}.git`;
}

// A mirror may lack the contents of large files (binaries, media); those are no source to analyse, so the files
// whose objects exist are checked out and HEAD is set to the commit. Returns how many files were left out.
function checkout(dir, commit) {
  try {
    git(['checkout', '--quiet', '--force', commit], dir);
    return 0;
  } catch {
    const entries = git(['ls-tree', '-r', '--format=%(objecttype) %(objectname) %(path)', commit], dir).split('\n');
    const blobs = entries.filter((line) => line.startsWith('blob ')).map((line) => line.split(' '));
    const present = execFileSync('git', ['cat-file', '--batch-check=%(objectname)'], {
      cwd: dir,
      input: blobs.map(([, id]) => id).join('\n'),
      stdio: ['pipe', 'pipe', 'ignore'],
    }).toString().split('\n');
    const paths = blobs.filter((_, index) => !present[index]?.endsWith('missing')).map(([, , ...path]) => path.join(' '));
    const list = join(dir, '.git', 'corpus-paths');
    writeFileSync(list, paths.join('\0'));
    git(['checkout', '--quiet', '--force', commit, '--pathspec-from-file', list, '--pathspec-file-nul'], dir);
    git(['update-ref', '--no-deref', 'HEAD', commit], dir);
    return blobs.length - paths.length;
  }
}

let failed = 0;
for (const { name, repo, commit } of repositories) {
  if (only.length > 0 && !only.includes(name)) continue;
  const dir = join(dest, name);
  try {
    // The stamp is written only after a whole checkout, so an interrupted one is redone.
    const stamp = join(dir, '.git', 'corpus-commit');
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === commit) {
      console.log(`${name}: at ${commit.slice(0, 12)}`);
      continue;
    }
    if (!existsSync(join(dir, '.git'))) git(['clone', '--quiet', '--no-checkout', source(repo), dir]);
    const missing = checkout(dir, commit);
    writeFileSync(stamp, commit);
    console.log(`${name}: checked out ${commit.slice(0, 12)}${missing > 0 ? ` (${missing} files whose contents the mirror lacks left out)` : ''}`);
  } catch (error) {
    failed += 1;
    console.error(`${name}: ${repo} at ${commit} could not be checked out: ${String(error.stderr ?? error.message).trim()}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
