// The worker of the ring (web-audio-samples' shared-buffer-worker.js): it makes the SharedArrayBuffers, hands them to
// the page, and runs the kernel when the processor asks. A slot only this thread writes can be updated with plain
// arithmetic (the processor only reads it); the frame count both threads change cannot.
import { SLOT } from './slots.js';

const KERNEL = 1024;
let control;
let input;
let output;

function kernel() {
  let read = control[SLOT.INPUT_READ];
  let write = control[SLOT.OUTPUT_WRITE];
  for (let i = 0; i < KERNEL; i++) {
    output[write] = input[read];
    write = (write + 1) % output.length;
    read = (read + 1) % input.length;
  }
  control[SLOT.INPUT_READ] = read;
  control[SLOT.OUTPUT_WRITE] = write;
}

function serve() {
  while (Atomics.wait(control, SLOT.RENDER_REQUEST, 0) === 'ok') {
    kernel();
    control[SLOT.INPUT_AVAILABLE] -= KERNEL; // expect: non-atomic-update
    control[SLOT.OUTPUT_AVAILABLE] += KERNEL;
    Atomics.store(control, SLOT.RENDER_REQUEST, 0);
  }
}

self.onmessage = (event) => {
  if (event.data.type !== 'init') return;
  const buffers = {
    control: new SharedArrayBuffer(16 * Int32Array.BYTES_PER_ELEMENT),
    input: new SharedArrayBuffer(event.data.frames * Float32Array.BYTES_PER_ELEMENT),
    output: new SharedArrayBuffer(event.data.frames * Float32Array.BYTES_PER_ELEMENT),
  };
  control = new Int32Array(buffers.control);
  input = new Float32Array(buffers.input);
  output = new Float32Array(buffers.output);
  postMessage({ type: 'ready', buffers });
  serve();
};
