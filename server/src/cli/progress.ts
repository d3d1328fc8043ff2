/**
 * The single updating progress line ("Analysing 120/1000 files…") on stderr. Only a terminal gets it; piped
 * stderr stays silent so logs and tests see nothing but real messages.
 */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

/** `now` is the clock used for throttling; tests pass their own so no real time is involved. */
export function createProgress(stream: { isTTY?: boolean; write(text: string): unknown }, now: () => number = Date.now): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      // Redrawing on every file would cost more than analysing small ones: at most every 100 ms, and the last one.
      const time = now();
      if (time - last < 100 && done < total) return;
      last = time;
      shown = true;
      stream.write(`\r\u001b[2KAnalysing ${done}/${total} files…`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
