// A classic Web Worker the Chromium suite starts with startWorker({ type: 'classic' }): it loads the runtime's IIFE
// bundle with importScripts and answers each message by trying the mutex it names for 50 ms.
importScripts('/runtime.iife.js');

self.onmessage = ({ data }) => {
  const mutex = deadbolt.Mutex.from(data.mutex);
  let value = 'taken';
  try {
    mutex.lock({ timeout: 50 });
    mutex.unlock();
  } catch (error) {
    value = { name: error.name, message: error.message };
  }
  self.postMessage({ id: data.id, ok: true, value });
};
