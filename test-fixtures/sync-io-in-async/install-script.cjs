'use strict';
// A package's install script in CommonJS, as native-binary packages ship one: it downloads a tarball, gunzips it
// and writes the binary. Its fixes require what they need, since an `import` would not parse in this file.
const { readFileSync, writeFileSync } = require('fs');
const zlib = require('zlib');
const { gunzipSync } = require('zlib');

async function installFrom(download, binPath) {
  const tarball = gunzipSync(await download()); // expect: sync-io-in-async
  writeFileSync(binPath, tarball.subarray(512)); // expect: sync-io-in-async
  return zlib.inflateSync(readFileSync(binPath + '.sig')); // expect: sync-io-in-async, sync-io-in-async
}

module.exports = { installFrom };
