// An early return whose condition cannot hold on the path that writes: vscode-wasm wasm-wasi-core/src/common/service.ts
// `fd_readdir` answers "end of list" when `cookie !== 0n && !directoryEntries.has(fd)`, and fills `directoryEntries`
// only under `if (cookie === 0n)`, where that check was never made. `fd_readdir_eager` stores under the check itself.
declare const driver: { fd_readdir(fd: number): Promise<string[]> };

const directoryEntries = new Map<number, string[]>();
const listings = new Map<number, string[]>();

export const wasi = {
  fd_readdir: async (memory: SharedArrayBuffer, fd: number, cookie: number, usedPtr: number): Promise<number> => {
    const view = new DataView(memory);
    if (cookie !== 0 && !directoryEntries.has(fd)) {
      view.setUint32(usedPtr, 0, true);
      return 0;
    }
    if (cookie === 0) {
      directoryEntries.set(fd, await driver.fd_readdir(fd));
    }
    const entries = directoryEntries.get(fd);
    if (entries === undefined) return 8;
    view.setUint32(usedPtr, entries.length - cookie, true);
    directoryEntries.delete(fd);
    return 0;
  },

  fd_readdir_eager: async (memory: SharedArrayBuffer, fd: number, cookie: number, usedPtr: number): Promise<number> => {
    const view = new DataView(memory);
    if (cookie !== 0 && !listings.has(fd)) {
      view.setUint32(usedPtr, 0, true);
      return 0;
    }
    listings.set(fd, await driver.fd_readdir(fd)); // expect: async-atomicity
    const entries = listings.get(fd) ?? [];
    view.setUint32(usedPtr, entries.length - cookie, true);
    listings.delete(fd);
    return 0;
  },
};
