/// <reference lib="dom" />
// A Web Worker that decodes audio into a ring buffer an AudioWorklet plays from. The shared buffers arrive in the
// first message, so the views are made in `init()`, not where the variables are declared.
import { AVAILABLE, WRITE } from './layout.js';

let states: Int32Array;
let samples: Float32Array | undefined;
let level: Float32Array | undefined;

function init(statesBuffer: SharedArrayBuffer, sampleBuffer: SharedArrayBuffer): void {
  states = new Int32Array(statesBuffer);
  samples = new Float32Array(sampleBuffer);
}

self.onmessage = (event: MessageEvent) => {
  if (event.data.type === 'init') {
    init(event.data.states, event.data.samples);
    // A view that arrives already made: over a SharedArrayBuffer it is shared, not copied.
    level = event.data.level;
  } else if (event.data.type === 'chunk') {
    push(event.data.chunk as Float32Array);
  }
};

function push(chunk: Float32Array): void {
  if (samples === undefined) return;
  let write = Atomics.load(states, WRITE);
  for (const value of chunk) {
    samples[write] = value;
    write = (write + 1) % samples.length;
  }
  Atomics.store(states, WRITE, write);
  states[AVAILABLE] += chunk.length; // expect: non-atomic-update
  if (level !== undefined) level[0] += Math.abs(chunk[0] ?? 0); // expect: non-atomic-update
}
