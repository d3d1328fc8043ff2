// What the Chromium suite's pages share: a deadline on every wait, and a call that runs one scenario in a worker
// and settles with its reply, its error, or its failure to load.

const WITHIN_MS = 60_000;
let nextId = 1;

export function deadline(promise, what, ms = WITHIN_MS) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Sends one scenario to a worker (or a MessagePort relaying to one); resolves with its first reply, rejects with its error (or its failure to load). */
export function call(worker, message, what, transfer = []) {
  const id = nextId++;
  return deadline(
    new Promise((resolve, reject) => {
      const onMessage = ({ data }) => {
        if (data.id !== id) return;
        worker.removeEventListener('message', onMessage);
        if (data.ok) resolve(data.value);
        else reject(Object.assign(new Error(`${what}: ${data.error.message}`), { name: data.error.name }));
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', (event) => reject(new Error(`${what}: the worker failed: ${event.message}`)), { once: true });
      worker.postMessage({ ...message, id }, transfer);
    }),
    what,
  );
}

export const shared = (ints) => new Int32Array(new SharedArrayBuffer(ints * 4));
