/// <reference lib="dom" />
// The same player written correctly: the shared count changes only through Atomics, and the scratch view it
// makes later is over a private buffer, so plain arithmetic on it is fine.
import { AVAILABLE, READ } from './layout.js';

declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

let scratch: Float32Array;

function init(frames: number): void {
  scratch = new Float32Array(frames);
}

class SafeRingPlayer extends AudioWorkletProcessor {
  private states: Int32Array | null = null;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent) => {
      this.states = new Int32Array(event.data.states);
      init(128);
    };
  }

  process(): boolean {
    if (this.states === null) return true;
    const read = Atomics.load(this.states, READ);
    Atomics.store(this.states, READ, (read + 128) % 4096);
    Atomics.sub(this.states, AVAILABLE, 128);
    scratch[0] += 1;
    return true;
  }
}

registerProcessor('safe-ring-player', SafeRingPlayer);
