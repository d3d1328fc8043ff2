// Reached through a `paths` alias (`@metrics/requests.js`), not a relative import: still part of the program.
const requests = new Uint32Array(new SharedArrayBuffer(4));

export function countRequest(): void {
  requests[0] += 1;
}
