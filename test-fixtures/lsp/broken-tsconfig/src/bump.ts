// A project whose tsconfig.json is cut off mid-edit: the server must still analyse its files.
const counts = new Int32Array(new SharedArrayBuffer(8));
export function bump(): void {
  counts[0]++;
}
