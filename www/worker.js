// The module worker that owns the wasm instance and the one Session (the parsed
// CSV). Requests are handled one at a time, in the order they arrive; each is
// timed with performance.now(). A trap (panic, stack overflow, failed
// allocation) leaves the instance unusable: the worker says so and refuses
// every later call, and client.js replaces it.

import init, * as wasm from './pkg/mlcycle.js';
import { Request, READY, reply, failure, progress, errorFields, workerScriptURL, defaultTarget } from './protocol.js';

let session = null;
let profileMs = null;
let trapped = null;
// The request being handled (one at a time), for the trial below.
let currentId = null;

// The engine's panic hook calls this, before the instance stops, when a
// candidate's model fit panics (smartcore's line search on classes that
// columns separate exactly): `trial` is that candidate recorded as failed,
// with its error, as the native command records it. It goes to the page
// ahead of the trap's failure reply, so the search can record it and go on.
globalThis.mlcycleTrialPanic = (trial) => {
  try {
    self.postMessage({ id: currentId, trialPanic: trial });
  } catch {
    // Not cloneable: the page sees the trap alone, as for any other panic.
  }
};
// The instance's linear memory: it only grows, so its size is the peak.
let memory = null;

// Where the engine's bytes are: unset in the page (pkg/mlcycle_bg.wasm beside
// the glue); the Jupyter widget's worker, made from a blob: URL that nothing
// resolves against, is handed {module_or_path} by www/widget.js.
const ready = init(globalThis.mlcycleWasmSource).then(
  (exports) => {
    memory = exports.memory;
    const faultInjection = typeof wasm.faultInject === 'function';
    // Trials by index, for a search spread over a pool of workers.
    const pooledSearch = typeof wasm.Session.prototype.searchPending === 'function' && typeof wasm.Session.prototype.searchRunTrial === 'function';
    self.postMessage({ type: READY, ok: true, faultInjection, pooledSearch });
    warmUp();
    return null;
  },
  (err) => {
    const error = errorFields(err);
    self.postMessage({ type: READY, ok: false, error });
    return err;
  },
);

// Reads and profiles a small generated table once, right after start. V8
// first runs wasm in its baseline tier and moves a function to the
// optimising tier only once it has run for a while, with no switch inside a
// running call; so without this the profile of a user's first file ran each
// long per-column loop in the slow tier: 1.34 s against 0.92-1.02 s after a
// 2,000-5,000-row warm-up (139 MB bench file, Node). Its ~30 ms run before
// any request is handled; it fills no state and failing it changes nothing.
const WARM_UP_ROWS = 3000;
function warmUp() {
  let h = 12345;
  const next = () => (h = (Math.imul(h, 1103515245) + 12345) >>> 0) / 4294967296;
  const lines = ['x,y,n,c,d,t,b'];
  for (let i = 0; i < WARM_UP_ROWS; i++) {
    const x = next() < 0.05 ? '' : (next() * 100 - 50).toFixed(3);
    const day = `2020-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`;
    lines.push(`${x},${(next() * 10).toFixed(2)},${Math.floor(next() * 1000)},c${Math.floor(next() * 12)},${day},"w ${Math.floor(next() * 5000)}",${next() < 0.5}`);
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  let ingest = null;
  let s = null;
  try {
    ingest = new wasm.Ingest('warm-up.csv', undefined, bytes.length);
    ingest.push(bytes);
    s = ingest.finish();
    s.profile();
  } catch (err) {
    if (isTrapError(err)) trapped = { name: 'RuntimeError', code: 'wasm_trap', message: String(err.message || err) };
  } finally {
    s?.free();
    ingest?.free();
  }
}

// Set by a cancelSearch message; the search loop checks it between trials.
let cancelRequested = false;
// When the pooled search began (SEARCH_START), for the manifest's train time.
let searchT0 = null;
let searching = false;

// Serialise: one request at a time, in arrival order. A cancel of the
// running search is the exception: it must not wait behind the search.
let queue = Promise.resolve();
self.onmessage = (event) => {
  const msg = event.data;
  if (msg && msg.type === Request.CANCEL_SEARCH) {
    cancelRequested = searching;
    self.postMessage(reply(msg.id, { cancelling: searching }));
    return;
  }
  queue = queue.then(() => handle(msg));
};

// Lets queued messages (a cancel) in between trials.
const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));

// A wide file's profile is megabytes of objects, and the page takes in a
// message in one task: 10,000 columns in one reply held it still for
// 700-850 ms. Its columns go first, in slices, each message a task of its
// own; client.js puts them back before the reply resolves.
const COLUMNS_PER_MESSAGE = 500;

function inParts(id, result) {
  const isProfile = (x) => x && Array.isArray(x.columns) && Array.isArray(x.alerts);
  const profile = isProfile(result?.profile) ? result.profile : isProfile(result) ? result : null;
  if (!profile || profile.columns.length <= COLUMNS_PER_MESSAGE) return result;
  for (let i = 0; i < profile.columns.length; i += COLUMNS_PER_MESSAGE) {
    self.postMessage({ id, columnsPart: profile.columns.slice(i, i + COLUMNS_PER_MESSAGE) });
  }
  const rest = { ...profile, columns: [] };
  return profile === result ? rest : { ...result, profile: rest };
}

async function handle(msg) {
  const { id, type, payload = {} } = msg || {};
  const startError = await ready;
  if (startError) {
    const err = startError;
    self.postMessage(failure(id, engineError('engine_start', `the engine could not start: ${describe(err)}`)));
    return;
  }
  if (trapped) {
    self.postMessage(failure(id, trapped));
    return;
  }
  currentId = id;
  try {
    self.postMessage(reply(id, inParts(id, await run(id, type, payload))));
  } catch (err) {
    if (isTrapError(err)) {
      trapped = { name: 'RuntimeError', code: 'wasm_trap', message: String(err.message || err) };
      session = null;
      self.postMessage(failure(id, trapped));
    } else {
      self.postMessage(failure(id, err));
    }
  }
}

// The engine's own limit (ParseOptions::max_bytes), checked before a File is read.
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
// A File is read in slices of this size: memory holds the typed columns and
// two slices (one parsed, the next read ahead), never the whole text, and progress is posted between slices.
const CHUNK_BYTES = 2 * 1024 * 1024;
// Least time between two progress messages.
const PROGRESS_EVERY_MS = 100;

function dataError(code, message) {
  const e = new Error(message);
  e.name = 'DataError';
  e.code = code;
  return e;
}

// Files this large are read in parts at once when the machine has a second
// core: the head here, the rest split between helper workers
// (part-worker.js), one per spare core and at most MAX_HELPERS.
const PARTS_MIN_BYTES = 8 * 1024 * 1024;
const MAX_HELPERS = 3;
// Each helper's part is at least this long.
const PART_MIN_BYTES = 4 * 1024 * 1024;
// The head's share of the bytes after the first slice: it also hashes every
// byte (about a fifth of the work of parsing them) and takes the parts in.
// With one helper, 0.42 (measured); with k, the share that ends the head's
// parse-and-hash with the helpers' parse: (1/k - 0.18) / (1 + 1/k).
const headShare = (k) => (k === 1 ? 0.42 : Math.max(0.05, (1 / k - 0.18) / (1 + 1 / k)));
// How far past the split point a line start is looked for.
const WINDOW_BYTES = 256 * 1024;
const PART_WORKER_URL = new URL('./part-worker.js', import.meta.url).href;

/**
 * Reads a File slice by slice into a new Session, posting {stage: 'read',
 * done, total}. `helpers`: how many helper workers may read parts (default:
 * one per spare core, at most MAX_HELPERS).
 */
async function ingestFile(id, file, fileName, options, helpers) {
  if (file.size > MAX_FILE_BYTES) {
    throw dataError('too_large', `${fileName}: the file is ${file.size} bytes, over the limit of ${MAX_FILE_BYTES} bytes`);
  }
  const total = file.size;
  const ingest = new wasm.Ingest(fileName, options, total);
  // Helpers reading parts, in file order.
  let parts = [];
  // How the file was read: 'one' worker, 'parts' taken in, or 'refused';
  // and by how many workers.
  let how = 'one';
  let workers = 1;
  // Seconds each stage took (the page bench prints them).
  const t0 = performance.now();
  const seconds = {};
  const lap = (name, from) => { seconds[name] = (performance.now() - from) / 1000; return performance.now(); };
  // Progress is posted between slices and, while this worker waits (for a
  // slice, for the helpers' parts), by a timer, so the page hears at least
  // every PROGRESS_EVERY_MS whatever stage the read is in: 'read' (bytes
  // read by every reader), 'parts' (this reader is done: the helpers' bytes
  // read and the fingerprint's bytes hashed), 'settle' (every byte read and
  // hashed: the helpers are handing over their columns). The steps that are
  // one wasm call each ('absorb', then 'profile') are announced before
  // they start and cannot report more.
  let phase = 'read';
  let readers = 1;
  let hashed = 0;
  let settleT0 = 0;
  let ticker = null;
  try {
    let last = performance.now();
    // Never shown going back (a refused part's bytes are read again).
    let shown = 0;
    const report = (force) => {
      const now = performance.now();
      if (phase === 'quiet' || (!force && now - last < PROGRESS_EVERY_MS)) return;
      last = now;
      shown = Math.max(shown, Math.min(total, ingest.bytesDone + parts.reduce((n, p) => n + p.done, 0)));
      const done = shown;
      if (phase === 'parts') self.postMessage(progress(id, { stage: 'parts', done, hashed, total, readers, fileName }));
      else if (phase === 'settle') self.postMessage(progress(id, { stage: 'settle', done: total, total, readers, fileName, elapsedMs: now - settleT0 }));
      else self.postMessage(progress(id, { stage: 'read', done, total, readers, fileName }));
    };
    report(true);
    ticker = setInterval(() => report(false), PROGRESS_EVERY_MS);
    const read = (offset, end) => file.slice(offset, Math.min(end, offset + CHUNK_BYTES)).arrayBuffer().then(
      (b) => new Uint8Array(b),
      (err) => { throw dataError('unreadable', `${fileName}: the file could not be read at byte ${offset} (${describe(err)}); was it moved or changed?`); },
    );
    // Feeds `from..to` to `use` slice by slice; the next slice is read while
    // this one is used: reading a Blob is a round trip to the browser, and
    // waiting for each one idles the engine.
    const eachSlice = async (from, to, use) => {
      let next = from < to ? read(from, to) : null;
      for (let offset = from; offset < to; offset += CHUNK_BYTES) {
        const chunk = await next;
        next = offset + CHUNK_BYTES < to ? read(offset + CHUNK_BYTES, to) : null;
        // A failed read-ahead is reported when its turn comes, not before.
        next?.catch(() => {});
        use(chunk);
        report(false);
      }
    };
    const push = (chunk) => ingest.push(chunk);
    let offset = 0;
    const cores = self.navigator?.hardwareConcurrency || 1;
    const wanted = Number.isInteger(helpers) && helpers >= 0 ? Math.min(helpers, MAX_HELPERS) : Math.min(MAX_HELPERS, cores - 1);
    if (total >= PARTS_MIN_BYTES && wanted >= 1) {
      // The first slice settles the reading options and column names.
      offset = Math.min(total, CHUNK_BYTES);
      await eachSlice(0, offset, push);
      const k = Math.max(1, Math.min(wanted, Math.floor((total - offset) * (1 - headShare(wanted)) / PART_MIN_BYTES)));
      parts = await startParts(ingest, file, offset, total, k);
      readers = 1 + parts.length;
    }
    const headEnd = parts.length > 0 ? parts[0].start : total;
    await eachSlice(offset, headEnd, push);
    let mark = lap('head', t0);
    if (parts.length > 0) {
      // The parts' bytes go into the fingerprint here, in file order, as the
      // helpers hand them over (or, where one failed, read from the file).
      hashed = headEnd;
      phase = 'parts';
      report(true);
      for (const part of parts) {
        for (;;) {
          while (part.chunks.length > 0) {
            const chunk = part.chunks.shift();
            ingest.hashAhead(chunk);
            hashed += chunk.length;
            // Many slices may be waiting: the timer cannot run between them.
            report(false);
          }
          if (part.settled || hashed >= part.end) break;
          await new Promise((resolve) => { part.wake = resolve; });
        }
        part.chunks = [];
        if (hashed < part.end) await eachSlice(hashed, part.end, (chunk) => { ingest.hashAhead(chunk); hashed += chunk.length; });
        hashed = part.end;
      }
      phase = 'settle';
      settleT0 = performance.now();
      report(true);
      const results = await Promise.all(parts.map((p) => p.result));
      const helperSeconds = parts.map((p) => p.seconds).filter(Boolean);
      if (helperSeconds.length > 0) seconds.helper = helperSeconds.length === 1 ? helperSeconds[0] : helperSeconds;
      for (const p of parts) p.worker.terminate();
      parts = [];
      mark = lap('wait', mark);
      // Taken in only whole: every part, each ending where the next begins.
      const whole = results.every((b) => b !== null);
      if (whole) {
        phase = 'quiet';
        self.postMessage(progress(id, { stage: 'absorb', done: total, total, readers, fileName }));
      }
      const taken = whole && ingest.absorb(results);
      mark = lap('absorb', mark);
      how = taken ? 'parts' : 'refused';
      if (taken) workers = readers;
      if (!taken) {
        phase = 'read';
        readers = 1;
        await eachSlice(headEnd, total, push);
      }
    }
    phase = 'quiet';
    clearInterval(ticker);
    const session = ingest.finish();
    lap('finish', mark);
    self.postMessage(progress(id, { stage: 'profile', done: total, total, fileName, columns: session.columnNames().length }));
    return { session, how, seconds, workers };
  } finally {
    clearInterval(ticker);
    for (const p of parts) p.worker.terminate();
    ingest.free();
  }
}

/**
 * Starts `k` helper workers, each on a part of the file from the first line
 * start past its split point to the next part's start (the last to the
 * end); [] when the file cannot be read in parts. Each part's `result`
 * resolves to its bytes, or null if its helper failed.
 */
async function startParts(ingest, file, offset, total, k) {
  const share = headShare(k);
  const starts = [];
  for (let i = 0; i < k; i++) {
    const split = offset + Math.floor((total - offset) * (share + ((1 - share) * i) / k));
    if (starts.length > 0 && split <= starts[starts.length - 1]) continue;
    let window;
    try {
      window = new Uint8Array(await file.slice(split, Math.min(total, split + WINDOW_BYTES)).arrayBuffer());
    } catch {
      // Unreadable there: the engine reads on alone and reports it itself.
      return [];
    }
    const at = wasm.partStart(window);
    if (at === undefined) continue;
    const start = split + at;
    if (start < total && (starts.length === 0 || start > starts[starts.length - 1])) starts.push(start);
  }
  const parts = [];
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : total;
    const spec = ingest.partSpec(starts[i], end);
    const part = spec === undefined ? null : startPart(file, starts[i], end, spec);
    if (part === null) {
      for (const p of parts) p.worker.terminate();
      return [];
    }
    parts.push(part);
  }
  return parts;
}

/** Starts one helper worker on bytes `start..end` read with `spec`; null if it cannot start. */
function startPart(file, start, end, spec) {
  let worker;
  try {
    worker = new Worker(workerScriptURL(PART_WORKER_URL), { type: 'module' });
  } catch {
    return null;
  }
  // `chunks`: the part's bytes handed over and not yet hashed; `wake`
  // resumes the engine waiting for more; `settled` once it answered.
  const part = { start, end, worker, done: 0, result: null, chunks: [], wake: null, settled: false };
  const nudge = () => {
    const wake = part.wake;
    part.wake = null;
    if (wake) wake();
  };
  part.result = new Promise((resolve) => {
    const settle = (value) => {
      part.settled = true;
      resolve(value);
      nudge();
    };
    worker.onmessage = (event) => {
      const msg = event.data || {};
      if (msg.type === 'bytes' && msg.chunk instanceof Uint8Array) {
        part.chunks.push(msg.chunk);
        nudge();
      } else if (msg.type === 'progress') part.done = Number(msg.done) || 0;
      else if (msg.type === 'done') {
        part.seconds = msg.seconds;
        settle(msg.bytes instanceof Uint8Array ? msg.bytes : null);
      }
      else settle(null);
    };
    worker.onerror = () => settle(null);
    worker.onmessageerror = () => settle(null);
  });
  worker.postMessage({ file, start, end, spec });
  return part;
}

async function run(id, type, payload) {
  switch (type) {
    case Request.LOAD: {
      const t0 = performance.now();
      const fileName = String(payload.fileName || 'data.csv');
      // A failed load leaves nothing loaded, matching the client's view.
      if (session) {
        session.free();
        session = null;
      }
      profileMs = null;
      let readAs = 'one';
      let workers = 1;
      let seconds = {};
      const next = payload.file
        ? await ingestFile(id, payload.file, fileName, payload.options, payload.helpers).then((r) => {
          readAs = r.how;
          workers = r.workers;
          seconds = r.seconds;
          return r.session;
        })
        : payload.options
          ? wasm.Session.withOptions(new Uint8Array(payload.bytes), fileName, payload.options)
          : new wasm.Session(new Uint8Array(payload.bytes), fileName);
      let profile;
      const p0 = performance.now();
      try {
        // The profile for the target the page will offer first (the
        // sample's, else the last column that is not free text or an
        // identifier), so its alerts are there at once.
        const names = payload.defaultTarget === undefined ? [] : next.columnNames();
        const chosen = names.includes(payload.defaultTarget);
        const target = chosen ? payload.defaultTarget : names[names.length - 1];
        profile = target === undefined ? next.profile() : next.profileWith({ target });
        // The last column has a different value in every row (a log's
        // message): profiled again for the column offered instead.
        const better = chosen || target === undefined ? target : defaultTarget(profile);
        if (better !== target) profile = next.profileWith({ target: better });
        seconds.profile = (performance.now() - p0) / 1000;
      } catch (err) {
        next.free();
        throw err;
      }
      session = next;
      profileMs = performance.now() - t0;
      return { profile, durationMs: profileMs, memoryBytes: memory ? memory.buffer.byteLength : null, readAs, workers, seconds };
    }
    case Request.INFER_TASK:
      return needSession().inferTask(String(payload.target), payload.recipe ?? undefined);
    case Request.TRAIN: {
      const s = needSession();
      const t0 = performance.now();
      const plan = s.searchStart(payload.options);
      cancelRequested = false;
      searching = true;
      let best = null;
      // The candidates start: the page shows the search (and its clock) from here, not from the first one done.
      self.postMessage(progress(id, { stage: 'search', done: 0, planned: plan.planned, metric: plan.metric, trial: null, best, elapsedMs: performance.now() - t0 }));
      try {
        for (let done = 0; ; ) {
          if (cancelRequested) {
            s.searchCancel();
            break;
          }
          const t1 = performance.now();
          // No trial starts once the time budget is spent.
          const trial = s.searchStep(t1 - t0);
          if (trial === null) break;
          const ms = performance.now() - t1;
          s.searchTrialDuration(ms);
          trial.duration_ms = ms;
          done += 1;
          if (trial.mean !== null && (best === null || (plan.metric === 'rmse' || plan.metric === 'log_loss' ? trial.mean < best.mean : trial.mean > best.mean))) best = trial;
          self.postMessage(progress(id, { stage: 'search', done, planned: plan.planned, metric: plan.metric, trial, best, elapsedMs: performance.now() - t0 }));
          await breathe();
        }
      } finally {
        searching = false;
      }
      self.postMessage(progress(id, { stage: 'refit', elapsedMs: performance.now() - t0 }));
      const result = s.searchFinish();
      const trainMs = performance.now() - t0;
      const manifest = s.manifest({ profile: profileMs ?? 0, train: trainMs });
      return { result, manifest, durationMs: trainMs, leftOut: plan.leftOut };
    }
    case Request.SEARCH_START: {
      searchT0 = performance.now();
      return needSession().searchStart(payload.options);
    }
    case Request.SEARCH_PENDING:
      return needSession().searchPending();
    case Request.RUN_TRIAL:
      return needSession().searchRunTrial(payload.spec);
    case Request.SEARCH_RECORD: {
      // Records a trial run anywhere; past the time budget the search stops.
      const s = needSession();
      s.searchRecord(payload.trial, payload.ms);
      const timeUp = s.searchElapsed(performance.now() - (searchT0 ?? performance.now()));
      return { planned: s.searchPlanned(), timeUp };
    }
    case Request.SEARCH_CANCEL:
      needSession().searchCancel();
      return null;
    case Request.SEARCH_FINISH: {
      const s = needSession();
      const result = s.searchFinish();
      const trainMs = performance.now() - (searchT0 ?? performance.now());
      const manifest = s.manifest({ profile: profileMs ?? 0, train: trainMs });
      return { result, manifest, durationMs: trainMs };
    }
    case Request.DEFAULT_SPACES:
      return wasm.defaultSpaces(payload.models.map(String));
    case Request.CLUSTER: {
      const t0 = performance.now();
      const result = needSession().cluster(payload.options);
      return { ...result, durationMs: performance.now() - t0 };
    }
    case Request.REPORT:
      return needSession().profileReport(payload.options);
    case Request.PROFILE:
      return needSession().profileWith(payload.options);
    case Request.REPLAY: {
      const s = needSession();
      const t0 = performance.now();
      const report = s.replay(String(payload.manifestText));
      return { ...report, durationMs: performance.now() - t0 };
    }
    case Request.VERSION:
      return wasm.version();
    case Request.CAPABILITIES:
      return { faultInjection: typeof wasm.faultInject === 'function' };
    case Request.FAULT:
      if (typeof wasm.faultInject !== 'function') {
        throw engineError('no_fault_injection', 'this build has no fault injection (build with the fault-injection feature)');
      }
      wasm.faultInject(String(payload.kind));
      throw engineError('fault_returned', `faultInject("${payload.kind}") returned instead of trapping`);
    default:
      throw engineError('unknown_request', `unknown request type "${type}"`);
  }
}

function needSession() {
  if (!session) throw engineError('no_data', 'no data is loaded: load a CSV file or a bundled sample first (to replay a manifest, the file it was made from)');
  return session;
}

// A wasm trap is a WebAssembly.RuntimeError ("unreachable" for a Rust panic);
// Chromium reports a wasm stack overflow as a RangeError. Errors that mlcycle
// throws on purpose carry a string `code` and are not traps.
function isTrapError(err) {
  if (err instanceof WebAssembly.RuntimeError) return true;
  if (err instanceof RangeError && !(typeof err.code === 'string')) return true;
  return false;
}

function engineError(code, message) {
  const e = new Error(message);
  e.name = 'EngineError';
  e.code = code;
  return e;
}

function describe(err) {
  if (err && typeof err === 'object' && 'message' in err) return `${err.name || 'Error'}: ${err.message}`;
  return String(err);
}
