// A hyperparameter search spread over a pool of Web Workers.
//
// The primary client's worker holds the session the page works with: it
// plans the search, records every finished trial, refits the best and
// writes the manifest. The pool's workers each hold their own copy of the
// same data and the same plan (same options, same seed), and run trials by
// index. Trials are recorded by index, so the leaderboard is the same
// whatever the pool size or the order trials finish in. Successive halving
// hands out one rung at a time: the next rung's specs come once the last
// trial of this one is recorded.
//
// Cancel stops handing out trials and ends the workers still running one
// (a long fit stops at once); the finished trials are kept and the run
// records that the search was cut short. A pool worker that crashes is
// replaced by its client; the trial it was running is not retried, and the
// search stops there keeping what finished. A crash a candidate's model fit
// caused (a panic inside smartcore, which ends a wasm instance) is that
// candidate's failure, not a bug: the engine's panic hook hands over the
// candidate's failed trial, exactly as the native command records it; the
// primary records it like any finished trial, the restarted worker loads
// the data and plans the search again before it takes another candidate,
// and the search goes on.

import { MlcycleClient, CANCELLED, ENGINE_CRASHED, TIMED_OUT } from './client.js';
import { Request } from './protocol.js';

/** Workers to use by default: the hardware concurrency, at least 1, at most 8. */
export function defaultPoolSize() {
  const n = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
  return Math.max(1, Math.min(8, n));
}

export class SearchPool extends EventTarget {
  constructor() {
    super();
    this.clients = [];
    this.loaded = new WeakMap(); // client -> key of the data it holds
    this.running = null;
  }

  /** Grows or shrinks the pool to `size` workers. */
  resize(size) {
    while (this.clients.length > size) this.clients.pop().dispose();
    while (this.clients.length < size) this.clients.push(new MlcycleClient());
  }

  /** Ends every pool worker (the page is done with them). */
  dispose() {
    this.resize(0);
  }

  /** Whether a pooled search is running. */
  get busy() {
    return this.running !== null;
  }

  /** Stops the running search, keeping the finished trials. */
  cancel() {
    if (!this.running) return false;
    this.running.cancelled = true;
    for (const c of this.clients) if (c.busy) c.cancel();
    return true;
  }

  /**
   * Runs the search described by `options` on `primary`'s data. `source` is
   * {data, fileName, options, key}: what each pool worker loads (a File
   * reference or an ArrayBuffer) and a key naming that data. Resolves like
   * the primary's TRAIN: {result, manifest, durationMs, leftOut, workers}.
   */
  async search(primary, source, options, size) {
    if (this.running) throw Object.assign(new Error('a search is already running'), { name: 'EngineError', code: 'busy' });
    const run = { cancelled: false };
    this.running = run;
    const t0 = performance.now();
    try {
      this.resize(size);
      const plan = await primary.request(Request.SEARCH_START, { options });
      // The primary's engine holds the search: restarted (it crashed while
      // the pool ran candidates), it has lost it, and a request to it would
      // be refused as for no search started. The search ends there, in
      // plain words, and the pool workers stop.
      const generation = primary.generation;
      const ask = async (type, payload) => {
        if (primary.generation !== generation) throw this.engineLost(run);
        try {
          return await primary.request(type, payload);
        } catch (err) {
          if (primary.generation !== generation && err.code !== CANCELLED && err.code !== TIMED_OUT) throw this.engineLost(run);
          throw err;
        }
      };
      this.progress({ stage: 'prepare', done: 0, planned: plan.planned, metric: plan.metric, elapsedMs: performance.now() - t0, workers: size });
      // Each pool worker loads the data (once per dataset) and plans the same
      // search. A worker restarted after planning has lost its plan: the
      // generation it planned in tells.
      const plannedIn = new Map();
      const prepare = async (c) => {
        // Restarted: its data is being loaded again (a failed reload leaves it without).
        if (c.reloading && (await c.reloaded) !== true) this.loaded.delete(c);
        if (this.loaded.get(c) !== source.key) {
          this.loaded.delete(c);
          await c.load(source.data, source.fileName, source.options);
          this.loaded.set(c, source.key);
        }
        const own = await c.request(Request.SEARCH_START, { options });
        if (own.planned !== plan.planned) throw new Error(`a pool worker planned ${own.planned} trials, the primary ${plan.planned}`);
        plannedIn.set(c, c.generation);
      };
      const prepared = Promise.all(this.clients.map(prepare));
      // Workers restarted after a candidate's failed fit, to prepare again
      // before their next candidate; and those that could not be, which
      // take no more candidates.
      const revive = new Set();
      const lost = new Set();
      try {
        await prepared;
      } catch (err) {
        if (!run.cancelled) throw err;
      }
      // Cancelled while the workers were getting ready: no candidate ran.
      if (run.cancelled) throw cancelledBeforeStart();
      let done = 0;
      let best = null;
      let stopped = null;
      let planned = plan.planned;
      // The candidates whose model fit stopped a worker's engine (their failed trials, recorded).
      const fitFailures = [];
      // The candidates start: the page shows the search (and its clock) from here, not from the first one done.
      this.progress({ stage: 'search', done, planned, metric: plan.metric, trial: null, best, elapsedMs: performance.now() - t0, workers: size });
      const better = (a, b) => (plan.metric === 'rmse' || plan.metric === 'log_loss' ? a < b : a > b);
      while (!run.cancelled && !stopped) {
        const pending = await ask(Request.SEARCH_PENDING);
        if (!pending || pending.length === 0) break;
        const queue = [...pending];
        let timeUp = false;
        await Promise.all(
          this.clients.map(async (c) => {
            while (queue.length > 0 && !run.cancelled && !stopped && !timeUp) {
              if (lost.has(c)) return;
              if (plannedIn.get(c) !== c.generation) {
                if (!revive.has(c)) {
                  // Restarted between candidates (its engine stopped while idle).
                  stopped = { index: null, err: new Error('a search worker\'s engine was restarted between candidates') };
                  return;
                }
                // Its engine stopped on a candidate's failed fit: it has the
                // data again (or loads it) and plans the search again.
                try {
                  await c.reloaded;
                  if (run.cancelled || stopped || timeUp) return;
                  await prepare(c);
                  revive.delete(c);
                } catch (err) {
                  if (run.cancelled || err.code === CANCELLED) return;
                  revive.delete(c);
                  lost.add(c);
                  // The others go on; with none left, the search stops here.
                  if (this.clients.every((o) => lost.has(o))) stopped = { index: null, err: new Error(`no search worker could be made ready again after a candidate's failed fit (${err.message})`) };
                  return;
                }
                continue;
              }
              const spec = queue.shift();
              const t1 = performance.now();
              let trial;
              try {
                trial = await c.request(Request.RUN_TRIAL, { spec });
              } catch (err) {
                if (run.cancelled || err.code === CANCELLED) return;
                if (err.code === ENGINE_CRASHED && err.trial && err.trial.index === spec.index) {
                  // The candidate's fit failed and took the engine with it:
                  // its trial is recorded as failed, like any other.
                  trial = err.trial;
                  fitFailures.push(trial);
                  revive.add(c);
                  // The data is loaded again into the restarted engine; if
                  // that fails, it is loaded afresh before the next candidate.
                  c.reloaded.then((ok) => {
                    if (ok !== true && this.loaded.get(c) === source.key) this.loaded.delete(c);
                  });
                } else if (err.code === ENGINE_CRASHED || err.code === TIMED_OUT) {
                  stopped = { index: spec.index, err };
                  return;
                } else {
                  throw err;
                }
              }
              const ms = performance.now() - t1;
              // Cancelled, or another worker found the time budget spent: this
              // trial finished too late to count.
              if (run.cancelled || timeUp) return;
              const recorded = await ask(Request.SEARCH_RECORD, { trial, ms });
              planned = recorded.planned;
              // Past the time budget the primary has stopped the search.
              if (recorded.timeUp) timeUp = true;
              done += 1;
              if (trial.mean !== null && trial.mean !== undefined && (best === null || better(trial.mean, best.mean))) best = trial;
              this.progress({ stage: 'search', done, planned, metric: plan.metric, trial: { ...trial, duration_ms: trial.duration_ms ?? ms }, best, elapsedMs: performance.now() - t0, workers: size });
            }
          }),
        );
        if (timeUp) break;
      }
      if (run.cancelled || stopped) await ask(Request.SEARCH_CANCEL);
      this.progress({ stage: 'refit', elapsedMs: performance.now() - t0 });
      const out = await ask(Request.SEARCH_FINISH, {});
      const result = { ...out, workers: size, leftOut: plan.leftOut, fitFailures };
      if (stopped) {
        result.stoppedBy = { index: stopped.index, message: stopped.err.message };
      }
      return result;
    } finally {
      this.running = null;
    }
  }

  /**
   * The error a search ends with when the primary's engine stopped during
   * it: the pool workers stop (their candidates could not be recorded).
   */
  engineLost(run) {
    if (!run.cancelled) {
      run.cancelled = true;
      run.lost = true;
      for (const c of this.clients) if (c.busy) c.cancel();
    }
    return Object.assign(new Error('The engine stopped during the search and was restarted; the candidates finished so far were lost with it, so nothing was trained. Press Train to run the search again.'), { name: 'EngineCrashed', code: ENGINE_CRASHED, searchLost: true });
  }

  /** The running search's stage: 'prepare', 'search' or 'refit' (null when idle). */
  get stage() {
    return this.running ? this.running.stage : null;
  }

  progress(value) {
    if (this.running) this.running.stage = value.stage;
    this.dispatchEvent(new CustomEvent('progress', { detail: value }));
  }
}

function cancelledBeforeStart() {
  return Object.assign(new Error('Stopped training, as you asked, while the search workers were getting ready: no candidate ran, so nothing was trained. Your data is still loaded.'), { name: 'Cancelled', code: CANCELLED });
}
