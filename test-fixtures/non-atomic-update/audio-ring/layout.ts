// The ring buffer's control words, shared by the decoder worker and the audio worklet.
export const READ = 0;
export const WRITE = 1;
/** Samples written and not yet played: the worker adds, the worklet subtracts. */
export const AVAILABLE = 2;
export const STATE_WORDS = 3;
