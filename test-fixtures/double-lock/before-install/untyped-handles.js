// Values the checker knows nothing about (no types before `npm install`): a connection pool's handles with `lock()`
// and `unlock()` methods, as database drivers name them, and a byte view over data read from disk. None is a
// @deadbolt/runtime lock or shared memory, so taking a handle's lock twice or bumping a byte reports nothing.
const { open } = require('some-sqlite-driver');

async function copyRow(pool, id) {
  const source = pool.checkout();
  const target = pool.checkout();
  source.lock();
  target.lock();
  try {
    target.write(id, source.read(id));
  } finally {
    target.unlock();
    source.unlock();
  }
}

async function touch(path) {
  const db = await open(path);
  const handle = db.handle();
  handle.lock();
  handle.lock();
  handle.unlock();
  handle.unlock();
}

function checksum(bytes) {
  const view = new Uint8Array(bytes);
  view[0]++;
  return view.reduce((sum, b) => (sum + b) & 0xff, 0);
}

module.exports = { copyRow, touch, checksum };
