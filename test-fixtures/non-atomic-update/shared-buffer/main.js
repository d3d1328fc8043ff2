// The page of a Worker + AudioWorklet ring buffer, in the layout of GoogleChromeLabs/web-audio-samples'
// src/audio-worklet/design-pattern/shared-buffer (main.js): it loads the processor module and the node class that
// starts the worker. No shared memory here; the file links the others into one application.
const context = new AudioContext();

export async function start() {
  await context.audioWorklet.addModule('kernel-processor.js');
  const { KernelNode } = await import('./kernel-node.js');
  const node = new KernelNode(context);
  node.connect(context.destination);
}
