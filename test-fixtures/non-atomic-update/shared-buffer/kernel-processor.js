// The AudioWorklet side (web-audio-samples' shared-buffer-worklet-processor.js; ch3coohlink/editor's
// audio-test/sabawp.js moves its read index the same way), untyped JavaScript: it pushes input
// frames and pulls output frames. Its own indices are single-writer slots; the input frame count is the race.
import { SLOT } from './slots.js';

class KernelProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ready = false;
    this.port.onmessage = (event) => {
      this.control = new Int32Array(event.data.control);
      this.input = new Float32Array(event.data.input);
      this.output = new Float32Array(event.data.output);
      this.ready = true;
    };
  }

  push(frames) {
    const start = this.control[SLOT.INPUT_WRITE];
    if (start + frames.length < this.input.length) {
      this.input.set(frames, start);
      this.control[SLOT.INPUT_WRITE] += frames.length;
    } else {
      const split = this.input.length - start;
      this.input.set(frames.subarray(0, split), start);
      this.input.set(frames.subarray(split), 0);
      this.control[SLOT.INPUT_WRITE] = frames.length - split;
    }
    this.control[SLOT.INPUT_AVAILABLE] += frames.length; // expect: non-atomic-update
  }

  pull(frames) {
    const start = this.control[SLOT.OUTPUT_READ];
    if (start + frames.length < this.output.length) {
      frames.set(this.output.subarray(start, start + frames.length));
      this.control[SLOT.OUTPUT_READ] += frames.length;
    } else {
      const split = this.output.length - start;
      frames.set(this.output.subarray(start), 0);
      frames.set(this.output.subarray(0, frames.length - split), split);
      this.control[SLOT.OUTPUT_READ] = frames.length - split;
    }
  }

  process(inputs, outputs) {
    if (!this.ready) return true;
    this.push(inputs[0][0]);
    this.pull(outputs[0][0]);
    if (this.control[SLOT.INPUT_AVAILABLE] >= 1024) Atomics.notify(this.control, SLOT.RENDER_REQUEST, 1);
    return true;
  }
}

registerProcessor('kernel-processor', KernelProcessor);
