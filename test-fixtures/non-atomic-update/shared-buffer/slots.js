// The control words of the ring, one Int32Array shared by the worker and the processor. web-audio-samples declares
// this table in each of its two files; here both import it.
export const SLOT = {
  RENDER_REQUEST: 0,
  INPUT_AVAILABLE: 1, // written by both threads: the processor adds what it pushed, the worker subtracts what it took
  INPUT_READ: 2, // only the worker moves it
  INPUT_WRITE: 3, // only the processor moves it
  OUTPUT_AVAILABLE: 4, // only the worker changes it; the processor reads it
  OUTPUT_READ: 5, // only the processor moves it
  OUTPUT_WRITE: 6, // only the worker moves it
};
