// Functions listed in blockingFunctions (the test passes ["legacyWait", "./spin.js#waitForever"]).
import { waitForever } from './spin.js';

declare function legacyWait(ms: number): void;

// This module also shares memory, as code that hand-rolls waits usually does.
export const flags = new Int32Array(new SharedArrayBuffer(4));

export async function legacy(): Promise<void> {
  legacyWait(5); // expect: blocking-in-async
  waitForever(); // expect: blocking-in-async
}
