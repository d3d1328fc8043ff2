// Outside the tsconfig's "include": not part of the program, never reported by `deadbolt check` in this folder.
const outside = new Int32Array(new SharedArrayBuffer(8));

export function bump(): void {
  outside[0]++;
}
