// Never analysed: the configuration beside it is invalid, so the CLI stops first.
export const counts = new Int32Array(new SharedArrayBuffer(4));
