/// <reference lib="dom" />
// The AudioWorklet side of the ring: it plays what the decoder worker wrote. Its views are class fields, made
// when the port's first message brings the shared buffers.
import { AVAILABLE, READ } from './layout.js';

// The worklet global scope's declarations, as projects write them without @types/audioworklet.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

class RingPlayer extends AudioWorkletProcessor {
  private states: Int32Array | null = null;
  private samples: Float32Array | null = null;
  private underruns!: Uint32Array;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent) => {
      this.states = new Int32Array(event.data.states);
      this.samples = new Float32Array(event.data.samples);
      this.underruns = new Uint32Array(event.data.stats);
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]![0]!;
    if (this.states === null || this.samples === null) return true;
    if (Atomics.load(this.states, AVAILABLE) < out.length) {
      // Only this thread counts underruns (the page reads the count): a single writer loses no update.
      this.underruns[0]++;
      return true;
    }
    let read = Atomics.load(this.states, READ);
    for (let i = 0; i < out.length; i++) {
      out[i] = this.samples[read]!;
      read = (read + 1) % this.samples.length;
    }
    Atomics.store(this.states, READ, read);
    this.states[AVAILABLE] -= out.length; // expect: non-atomic-update
    return true;
  }
}

registerProcessor('ring-player', RingPlayer);
