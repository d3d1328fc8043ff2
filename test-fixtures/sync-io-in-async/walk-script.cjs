'use strict';
// A build script's recursive walk in CommonJS, as scripts are written without @types/node: `forEach` over
// `readdirSync`. The chain fix makes the walk async and the `forEach` a loop over the awaited twin's result.
const fs = require('fs');
const path = require('path');

function collectSources(dir, found) {
  if (fs.statSync(dir).isDirectory())
    fs.readdirSync(dir).forEach(function (name) {
      collectSources(path.join(dir, name), found);
    });
  else if (dir.endsWith('.ts')) found.push(dir);
  return found;
}

async function countSources(dir) {
  return collectSources(dir, []).length; // expect: sync-io-in-async
}

module.exports = { countSources };
