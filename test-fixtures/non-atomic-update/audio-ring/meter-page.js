// The page of the peak meter: it makes the shared buffers, loads the worklet module and resets the frame count with
// Atomics.store while the audio thread increments it: the shape of public AudioWorklet ring pages that write header
// words the worklet also updates (an emulator's audio page storing its ring header's counters; found by code search,
// the index did not name its repository). A second writing thread makes the worklet's plain `++` a lost update.
const context = new AudioContext();
const peaks = new Float32Array(new SharedArrayBuffer(4));
const counts = new Uint32Array(new SharedArrayBuffer(8));

export async function startMeter() {
  await context.audioWorklet.addModule('peak-meter.js');
  const node = new AudioWorkletNode(context, 'peak-meter');
  node.port.postMessage({ peaks: peaks.buffer, counts: counts.buffer });
}

export function resetFrames() {
  Atomics.store(counts, 0, 0);
}

export function readMeter() {
  return { peak: Atomics.load(new Int32Array(peaks.buffer), 0), frames: Atomics.load(counts, 0) };
}
