// The main-thread node: it starts the worker that owns the buffers and forwards them to its processor, as
// web-audio-samples' shared-buffer-worklet-node.js does. It reads and writes no shared memory itself.
export class KernelNode extends AudioWorkletNode {
  constructor(context) {
    super(context, 'kernel-processor');
    this.worker = new Worker('kernel-worker.js');
    this.worker.onmessage = (event) => {
      if (event.data.type === 'ready') this.port.postMessage(event.data.buffers);
    };
    this.worker.postMessage({ type: 'init', frames: 3072 });
  }
}
