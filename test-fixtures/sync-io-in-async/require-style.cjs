// CommonJS as a Node script is written, analysed without @types/node being anywhere near it (see the
// test that copies this folder outside the repository): `require('fs')` alone names the module.
const fs = require('fs');
const { execFileSync } = require('node:child_process');
const { Worker } = require('worker_threads');

async function build(entry) {
  const source = fs.readFileSync(entry, 'utf8'); // expect: sync-io-in-async
  const hash = execFileSync('git', ['rev-parse', 'HEAD']).toString(); // expect: sync-io-in-async
  require('fs').writeFileSync(entry + '.out', source + hash); // expect: sync-io-in-async
  return new Worker(entry);
}

/** A method of its own named like Node's is not Node's. */
const cache = { readFileSync: (name) => name };
async function cached(name) {
  return cache.readFileSync(name);
}

module.exports = { build, cached };
