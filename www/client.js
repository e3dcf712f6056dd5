// Talks to worker.js: one promise per request, keyed by id. If the engine dies
// (the Worker's error event, or a reply saying the wasm instance trapped) every
// pending request is rejected in plain words, the worker is replaced, and the
// last loaded data is loaded into the new one. The failed request is not
// retried. Every request has a watchdog: one that runs past its time limit
// is treated the same way, and `cancel()` stops the running request the same
// way (the only way to stop a synchronous wasm call is to end its worker).
// The reload is the engine's own work, not the user's: it is not counted
// as busy, and its progress is marked `internal`. It can be stopped
// (stopReload; cancel() when nothing else runs): the engine then holds no
// data. A new load stops it at once (the new data replaces it anyway)
// instead of waiting behind it. A reload cut short by a later restart
// hands over to that restart's reload.
// A crash a candidate's model fit caused (the engine's panic hook posted
// the candidate's failed trial first) is no bug: the request's error and
// the restart carry that `trial`, and it does not count towards the limit
// of restarts.
// Events: 'restart' {detail: {kind: 'crash'|'timeout'|'cancel', during,
// what, message, restoring, reloaded, reason, fatal, trial, idle}}, 'progress' {detail:
// {type, progress, internal}}. `reloaded` resolves true (the data is loaded
// again), false (nothing to reload, or the reload failed), or 'cancelled' /
// 'replaced' (stopped by cancel() / by a new load).

import { Request, READY, request, isTrap, toError, workerScriptURL } from './protocol.js';

const WORKER_URL = new URL('./worker.js', import.meta.url).href;

const ACTIONS = {
  [Request.LOAD]: 'loading the data',
  [Request.INFER_TASK]: 'inferring the task',
  [Request.TRAIN]: 'training',
  [Request.REPLAY]: 'replaying the manifest',
  [Request.REPORT]: 'writing the report',
  [Request.PROFILE]: 'checking the alerts for the target',
  [Request.CLUSTER]: 'clustering',
  [Request.DEFAULT_SPACES]: 'listing the search spaces',
  [Request.SEARCH_START]: 'planning the search',
  [Request.SEARCH_PENDING]: 'searching',
  [Request.RUN_TRIAL]: 'running a search trial',
  [Request.SEARCH_RECORD]: 'searching',
  [Request.SEARCH_CANCEL]: 'cancelling',
  [Request.SEARCH_FINISH]: 'refitting the best model',
  [Request.VERSION]: 'starting',
  [Request.CAPABILITIES]: 'starting',
  [Request.FAULT]: 'running a fault test',
  [Request.CANCEL_SEARCH]: 'cancelling',
};

// Watchdog limits per request type; anything not listed gets DEFAULT_TIMEOUT_MS.
export const TIMEOUTS_MS = {
  [Request.LOAD]: 5 * 60_000,
  [Request.TRAIN]: 20 * 60_000,
  [Request.REPLAY]: 20 * 60_000,
  [Request.RUN_TRIAL]: 20 * 60_000,
  [Request.CLUSTER]: 10 * 60_000,
  [Request.SEARCH_FINISH]: 20 * 60_000,
};
const DEFAULT_TIMEOUT_MS = 60_000;

/** How long a cancelled search may take to reach the end of its current trial. */
export const CANCEL_GRACE_MS = 3000;

/** Error code of requests stopped by cancel(). */
export const CANCELLED = 'cancelled';
/** Error code of requests stopped by the watchdog. */
export const TIMED_OUT = 'timed_out';

// More restarts than this within RESTART_WINDOW_MS means something is badly
// wrong; stop instead of looping.
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/** Error name and code of requests rejected because the engine died. */
export const ENGINE_CRASHED = 'engine_crashed';

export class MlcycleClient extends EventTarget {
  /**
   * `workerUrl`: where the engine's worker script is (default: worker.js
   * beside this file); the Jupyter widget passes a blob: URL of its bundle.
   */
  constructor({ workerUrl = null } = {}) {
    super();
    this.workerUrl = workerUrl;
    this.pending = new Map();
    this.nextId = 1;
    this.worker = null;
    /** The last successfully loaded data: {file: File} or {bytes: ArrayBuffer (our own copy)}, plus fileName. */
    this.current = null;
    this.restarts = [];
    this.generation = 0;
    this.capabilities = { faultInjection: false, pooledSearch: false };
    /** Watchdog limits in ms, per request type (tests may lower them). */
    this.timeouts = { ...TIMEOUTS_MS };
    /** Helper workers a large file may be read by (undefined: one per spare core, at most 3; tests set it). */
    this.helpersPerFile = undefined;
    this.startWorker();
  }

  startWorker() {
    const generation = ++this.generation;
    const worker = new Worker(this.workerUrl ?? workerScriptURL(WORKER_URL), { type: 'module' });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => {});
    worker.onmessage = (event) => {
      if (generation === this.generation) this.onMessage(event.data);
    };
    let started = false;
    this.ready.then(() => {
      started = true;
    }, () => {});
    worker.onerror = (event) => {
      if (generation !== this.generation) return;
      event.preventDefault();
      const detail = event.message || 'the worker reported an error';
      if (!started) {
        // The worker script itself failed to load: restarting would loop.
        this.fail(`The engine could not start (${detail}). Reload the page; if it persists, the build is incomplete.`);
        return;
      }
      this.crash(`worker error: ${detail}`);
    };
    worker.onmessageerror = () => {
      if (generation === this.generation) this.crash('a message from the worker could not be read');
    };
  }

  onMessage(msg) {
    if (!msg) return;
    if (msg.type === READY) {
      if (msg.ok) {
        this.capabilities = { faultInjection: !!msg.faultInjection, pooledSearch: !!msg.pooledSearch };
        this.readyResolve(this.capabilities);
      } else {
        const err = toError(msg.error);
        this.readyReject(err);
      }
      return;
    }
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    if ('trialPanic' in msg) {
      // A candidate's model fit panicked: the engine stops next (its trap
      // reply follows); the candidate's failed trial goes with that crash.
      entry.trial = msg.trialPanic;
      return;
    }
    if ('progress' in msg) {
      this.dispatchEvent(new CustomEvent('progress', { detail: { type: entry.type, progress: msg.progress, internal: entry.internal } }));
      return;
    }
    if ('columnsPart' in msg) {
      // A wide profile's columns, sent ahead of its reply (worker.js).
      (entry.columnsParts ??= []).push(msg.columnsPart);
      return;
    }
    if (msg.ok) {
      this.pending.delete(msg.id);
      if (entry.columnsParts) {
        const profile = msg.result.profile ?? msg.result;
        profile.columns = entry.columnsParts.flat();
      }
      entry.resolve(msg.result);
    } else if (isTrap(msg.error)) {
      // A trapped instance must never be called again.
      this.crash(`${msg.error.name}: ${msg.error.message}`, entry.type);
    } else {
      this.pending.delete(msg.id);
      entry.reject(toError(msg.error));
    }
  }

  /**
   * Sends one request; resolves with its result, rejects with an Error whose
   * name and code come from mlcycle (or EngineCrashed / engine_crashed).
   */
  request(type, payload = {}, transfer = [], internal = false) {
    const id = this.nextId++;
    const limit = this.timeouts[type] ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const generation = this.generation;
      const timer = setTimeout(() => {
        if (this.pending.has(id) && generation === this.generation) this.stop('timeout', type, limit);
      }, limit);
      const done = (fn) => (value) => {
        clearTimeout(timer);
        fn(value);
        queueMicrotask(() => this.notifyBusy());
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject), type, internal });
      this.notifyBusy();
      this.worker.postMessage(request(id, type, payload), transfer);
    });
  }

  /** Fires 'busy' {detail: {busy}} when the engine starts or stops working. */
  notifyBusy() {
    const busy = this.busy;
    if (busy === this.wasBusy) return;
    this.wasBusy = busy;
    this.dispatchEvent(new CustomEvent('busy', { detail: { busy } }));
  }

  /** Whether a request of the user's is running (the reload after a restart is not one). */
  get busy() {
    for (const entry of this.pending.values()) if (!entry.internal) return true;
    return false;
  }

  /** Whether the data is being loaded again into a restarted engine. */
  get reloading() {
    for (const entry of this.pending.values()) if (entry.internal) return true;
    return false;
  }

  /**
   * Stops whatever is running: the worker is replaced and the data reloaded;
   * the running request rejects with code 'cancelled'. With no request of
   * the user's running, stops the reload of the data after a restart (the
   * engine then holds no data). No-op when idle.
   */
  cancel() {
    if (!this.busy) return this.stopReload('cancelled');
    const running = [...this.pending.values()].filter((e) => !e.internal).map((e) => e.type);
    if (running.includes(Request.TRAIN) && !running.includes(Request.CANCEL_SEARCH)) {
      // A search stops between trials and keeps what it found; a single fit
      // that runs on past the grace period is stopped by ending the worker.
      const generation = this.generation;
      this.sendCancelSearch().then((r) => {
        if (!r || !r.cancelling) this.stop('cancel');
      });
      setTimeout(() => {
        if (generation === this.generation && [...this.pending.values()].some((e) => e.type === Request.TRAIN)) this.stop('cancel');
      }, CANCEL_GRACE_MS);
      return true;
    }
    this.stop('cancel');
    return true;
  }

  /**
   * Stops the reload of the data into a restarted engine (`why`:
   * 'cancelled' or 'replaced'): the worker is replaced by a fresh one that
   * holds no data, and the restart's `reloaded` resolves `why`. Only when no
   * request of the user's waits behind the reload (it would be lost with the
   * worker). False when there was nothing to stop.
   */
  stopReload(why) {
    if (!this.reloading || this.busy) return false;
    const reloads = [...this.pending.values()];
    this.pending.clear();
    this.worker.terminate();
    this.current = null;
    this.reloaded = Promise.resolve(why);
    // A new generation: the reload's rejection below hands over to `reloaded`.
    this.startWorker();
    for (const entry of reloads) entry.reject(Object.assign(new Error('the reload of the data was stopped'), { name: 'Cancelled', code: CANCELLED }));
    return true;
  }

  sendCancelSearch() {
    return this.request(Request.CANCEL_SEARCH).catch(() => null);
  }

  /**
   * Loads CSV data: a File/Blob (read inside the worker; the page keeps only
   * the reference, never a copy of the bytes) or an ArrayBuffer / typed array.
   * `defaultTarget`: the profile is made for this target column (null: the
   * last column that is not free text or an identifier, see protocol.js's
   * defaultTarget; undefined: none). Resolves {profile, durationMs}.
   */
  async load(source, fileName, options = undefined, defaultTarget = undefined) {
    let current;
    let payload;
    let transfer = [];
    if (typeof Blob !== 'undefined' && source instanceof Blob) {
      current = { file: source, fileName, options };
      payload = { file: source, fileName, options, helpers: this.helpersPerFile, defaultTarget };
    } else {
      const own = toArrayBuffer(source);
      // Keep our copy for restarts; transfer another.
      const copy = own.slice(0);
      current = { bytes: own, fileName, options };
      payload = { bytes: copy, fileName, options, defaultTarget };
      transfer = [copy];
    }
    // New data replaces the data being reloaded after a restart: that
    // reload stops now rather than hold this load up behind it.
    this.stopReload('replaced');
    try {
      const result = await this.request(Request.LOAD, payload, transfer);
      this.current = current;
      return result;
    } catch (err) {
      // The worker drops its data on a failed load; a crash keeps the old data.
      if (err.code !== ENGINE_CRASHED && err.code !== TIMED_OUT && err.code !== CANCELLED) this.current = null;
      throw err;
    }
  }

  /** `recipe`: the steps to train with (a parse_numbers step on the target makes it numbers). */
  inferTask(target, recipe = []) {
    return this.request(Request.INFER_TASK, { target, recipe });
  }

  /** Resolves {result, manifest, durationMs}. */
  train(options) {
    return this.request(Request.TRAIN, { options });
  }

  /** JSON text of the default search spaces of `models`. */
  defaultSpaces(models) {
    return this.request(Request.DEFAULT_SPACES, { models });
  }

  /** Clusters or projects the loaded data (see ClusterOptions). */
  cluster(options) {
    return this.request(Request.CLUSTER, { options });
  }

  /** The profile of the loaded data with `options` (e.g. {target}). */
  profile(options = {}) {
    return this.request(Request.PROFILE, { options });
  }

  /** The self-contained HTML profile report of the loaded data. */
  report(options = {}) {
    return this.request(Request.REPORT, { options });
  }

  /** Resolves the ReplayReport plus durationMs. */
  replay(manifestText) {
    return this.request(Request.REPLAY, { manifestText });
  }

  version() {
    return this.request(Request.VERSION);
  }

  /** Test builds only: traps the engine on purpose. */
  fault(kind) {
    return this.request(Request.FAULT, { kind });
  }

  /** Ends the worker for good (a pool shrinking); pending requests reject as cancelled. */
  dispose() {
    for (const entry of this.pending.values()) entry.reject(Object.assign(new Error('the worker was ended'), { name: 'Cancelled', code: CANCELLED }));
    this.pending.clear();
    this.worker.terminate();
    this.generation++;
    this.worker = { postMessage: () => {}, terminate: () => {} };
    this.current = null;
    this.request = () => Promise.reject(Object.assign(new Error('the worker was ended'), { name: 'Cancelled', code: CANCELLED }));
  }

  /** The engine cannot run at all: reject everything, now and later. */
  fail(message) {
    const err = () => Object.assign(new Error(message), { name: 'EngineError', code: 'engine_start' });
    this.readyReject(err());
    for (const entry of this.pending.values()) entry.reject(err());
    this.pending.clear();
    this.worker.terminate();
    this.generation++;
    this.worker = { postMessage: () => {}, terminate: () => {} };
    this.request = () => Promise.reject(err());
  }

  /**
   * The engine died: reject what was pending, replace the worker, reload the
   * current data. `during` is the request type that was running, if known.
   */
  crash(reason, during) {
    this.replace('crash', reason, during);
  }

  /** The watchdog fired ('timeout', with the limit) or the user cancelled ('cancel'). */
  stop(kind, during, limitMs) {
    const reason = kind === 'timeout' ? `no answer within ${limitMs} ms` : 'cancelled by the user';
    this.replace(kind, reason, during, limitMs);
  }

  replace(kind, reason, during, limitMs) {
    const pending = [...this.pending.values()];
    this.pending.clear();
    // The user's request names what stopped, not a reload queued before it.
    const mine = pending.find((e) => !e.internal) || pending[0];
    const type = during || (mine && mine.type);
    // A candidate's fit panicked (see worker.js mlcycleTrialPanic): its trial.
    const trial = kind === 'crash' ? (pending.find((e) => e.trial) || {}).trial || null : null;
    const action = ACTIONS[type] || 'working';
    let what;
    let name;
    let code;
    if (kind === 'cancel') {
      what = `Stopped ${action}, as you asked.`;
      name = 'Cancelled';
      code = CANCELLED;
    } else if (kind === 'timeout') {
      what = `The engine did not finish ${action} within ${formatLimit(limitMs)}, so it was stopped.`;
      name = 'TimedOut';
      code = TIMED_OUT;
    } else if (trial) {
      // Not a bug: the candidate's fit failed, and a panic ends the instance.
      what = `The engine stopped on candidate ${trial.index + 1}, whose model fit failed (${trial.error}).`;
      name = 'EngineCrashed';
      code = ENGINE_CRASHED;
    } else if (!type) {
      // No request was running: nothing of the person's stopped with it.
      what = 'The engine stopped unexpectedly while it was idle (a bug in mlcycle, not your data).';
      name = 'EngineCrashed';
      code = ENGINE_CRASHED;
    } else {
      what = `The engine stopped unexpectedly while ${action} (a bug in mlcycle, not your data).`;
      name = 'EngineCrashed';
      code = ENGINE_CRASHED;
    }
    // Idle: no action of the person's was running, so none was lost.
    const idle = kind === 'crash' && !type && !trial;
    const notRetried = idle ? ' Nothing was running, so nothing needs to be done again.' : ' Your last action was not retried.';
    for (const entry of pending) {
      const err = new Error(kind === 'cancel' ? what : `${what} It has been restarted. Your last action was not retried.`);
      err.name = name;
      err.code = code;
      err.reason = reason;
      // The failed trial of the candidate whose fit stopped the engine.
      if (kind === 'crash' && entry.trial) err.trial = entry.trial;
      entry.reject(err);
    }
    this.worker.terminate();
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    // Cancelling is the user's choice, not a sign of a broken engine; nor
    // is a candidate's failed fit (each ends one candidate, so they are few).
    if (kind !== 'cancel' && !trial) this.restarts.push(now);
    if (this.restarts.length > MAX_RESTARTS) {
      this.generation++;
      this.worker = { postMessage: () => {}, terminate: () => {} };
      this.dispatchEvent(
        new CustomEvent('restart', {
          detail: {
            kind,
            during: type,
            reason,
            reloaded: (this.reloaded = Promise.resolve(false)),
            message: `${what} It stopped ${this.restarts.length} times in a minute, so it was not restarted; reload the page.`,
            fatal: true,
          },
        }),
      );
      // Anything sent from now on fails at once.
      this.request = () => Promise.reject(Object.assign(new Error('The engine is stopped; reload the page.'), { name: 'EngineCrashed', code: ENGINE_CRASHED }));
      return;
    }
    this.startWorker();
    const data = this.current;
    let reloaded;
    let message;
    if (data) {
      let payload = { file: data.file, fileName: data.fileName, options: data.options };
      let transfer = [];
      if (!data.file) {
        const copy = data.bytes.slice(0);
        payload = { bytes: copy, fileName: data.fileName, options: data.options };
        transfer = [copy];
      }
      const generation = this.generation;
      // Cut short by another restart, this reload's answer is that restart's.
      reloaded = this.request(Request.LOAD, payload, transfer, true).then(
        () => true,
        () => (generation !== this.generation ? this.reloaded : false),
      );
      message = kind === 'cancel'
        ? `${what} Your data is still loaded.`
        : `${what} It has been restarted and your data is being loaded into it again.${notRetried}`;
    } else {
      reloaded = Promise.resolve(false);
      message = kind === 'cancel' ? what : `${what} It has been restarted.${notRetried}`;
    }
    this.reloaded = reloaded;
    // `restoring`: the name of the data being loaded again; `what`: the first
    // sentence of `message`, which says the data is loaded (once `reloaded`).
    const restoring = data ? data.fileName : null;
    this.dispatchEvent(new CustomEvent('restart', { detail: { kind, during: type, reason, reloaded, what, message, restoring, fatal: false, trial, idle } }));
  }
}

function formatLimit(ms) {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} s`;
  return `${ms} ms`;
}

function toArrayBuffer(bytes) {
  if (bytes instanceof ArrayBuffer) return bytes;
  if (ArrayBuffer.isView(bytes)) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  throw new TypeError('load expects an ArrayBuffer or a typed array');
}
