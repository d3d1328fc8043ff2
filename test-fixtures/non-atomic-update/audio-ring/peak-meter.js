// A peak meter worklet in plain JavaScript, as most AudioWorklet code is written: no types at all, views made when
// the main thread's message brings the shared buffers. The page (meter-page.js) only reads the peak, so its plain
// `+=` has one writer and loses nothing; it resets the frame count, so the `++` of that slot races with the reset.
let peaks;

class PeakMeter extends AudioWorkletProcessor {
  constructor() {
    super();
    this.counts = null;
    this.port.onmessage = (event) => {
      peaks = new Float32Array(event.data.peaks);
      this.counts = new Uint32Array(event.data.counts);
    };
  }

  process(inputs) {
    const channel = inputs[0][0];
    if (peaks === undefined || channel === undefined) return true;
    peaks[0] += Math.abs(channel[0]);
    this.counts[0]++; // expect: non-atomic-update
    return true;
  }
}

registerProcessor('peak-meter', PeakMeter);
