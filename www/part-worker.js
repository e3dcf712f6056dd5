// A helper of the engine worker (worker.js): reads one part of a File, from a
// line start to the end, into columns of its own, while the engine reads the
// head. Each slice is handed to the engine once read, for the fingerprint;
// progress is posted as it reads. It ends with the part's columns as bytes
// (transferred), or says it failed: the engine then reads the bytes itself,
// so a failure here only costs time.

import init, * as wasm from './pkg/mlcycle.js';

const CHUNK_BYTES = 2 * 1024 * 1024;
const PROGRESS_EVERY_MS = 100;

self.onmessage = async (event) => {
  const { file, start, end, spec } = event.data || {};
  try {
    const t0 = performance.now();
    await init();
    const ready = performance.now();
    const part = new wasm.Part(String(spec));
    try {
      let last = performance.now();
      const read = (offset) => file.slice(offset, Math.min(end, offset + CHUNK_BYTES)).arrayBuffer().then((b) => new Uint8Array(b));
      let next = read(start);
      for (let offset = start; offset < end; offset += CHUNK_BYTES) {
        const chunk = await next;
        next = offset + CHUNK_BYTES < end ? read(offset + CHUNK_BYTES) : null;
        next?.catch(() => {});
        part.push(chunk);
        // The engine hashes these bytes in file order: handed over (not
        // copied) rather than read from the file a second time.
        self.postMessage({ type: 'bytes', chunk }, [chunk.buffer]);
        const now = performance.now();
        if (now - last >= PROGRESS_EVERY_MS) {
          last = now;
          self.postMessage({ type: 'progress', done: part.bytesDone });
        }
      }
      const bytes = part.finish();
      // Seconds spent starting the engine and reading, for the page bench.
      const seconds = { init: (ready - t0) / 1000, read: (performance.now() - ready) / 1000 };
      self.postMessage({ type: 'done', bytes, seconds }, [bytes.buffer]);
    } finally {
      part.free();
    }
  } catch (err) {
    self.postMessage({ type: 'failed', message: String((err && err.message) || err) });
  }
};
