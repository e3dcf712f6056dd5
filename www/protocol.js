// The message protocol between client.js (page) and worker.js (owns the wasm),
// after DuckDB-WASM's worker_request.ts: requests {id, type, payload}; replies
// {id, ok: true, result} or {id, ok: false, error: {name, code, message}};
// unsolicited {id, progress}.

/** Request type names. */
export const Request = Object.freeze({
  LOAD: 'load', // {bytes: ArrayBuffer (transferred) | file: File, fileName, options?: ParseOptions, helpers?: number} -> {profile, durationMs, memoryBytes, readAs, workers, seconds}; progress {stage: 'read'|'parts'|'settle'|'absorb'|'profile', done, total, fileName, readers?, hashed? ('parts'), elapsedMs? ('settle'), columns? ('profile')}
  INFER_TASK: 'inferTask', // {target, recipe} -> "classification" | "regression"
  TRAIN: 'train', // {options} -> {result, manifest, durationMs}; progress {stage: 'search', done, planned, trial, best}
  CANCEL_SEARCH: 'cancelSearch', // {} -> {cancelling: boolean}; handled at once, between trials
  // A search spread over a pool of workers (www/pool.js): the primary plans,
  // records and finishes; pool workers plan the same search and run trials.
  SEARCH_START: 'searchStart', // {options} -> {planned, task, metric}
  SEARCH_PENDING: 'searchPending', // {} -> TrialSpec[] runnable now ([] when done)
  RUN_TRIAL: 'runTrial', // {spec} -> Trial (not recorded in this worker)
  SEARCH_RECORD: 'searchRecord', // {trial, ms} -> {planned, timeUp}
  SEARCH_CANCEL: 'searchCancel', // {} -> null; the run records it was cut short
  SEARCH_FINISH: 'searchFinish', // {} -> {result, manifest, durationMs}
  DEFAULT_SPACES: 'defaultSpaces', // {models: string[]} -> JSON text of their default search spaces
  CLUSTER: 'cluster', // {options: ClusterOptions} -> ClusterResult (k-means, DBSCAN or PCA)
  REPORT: 'report', // {options: ProfileOptions} -> HTML text of the self-contained profile report
  PROFILE: 'profile', // {options: ProfileOptions} -> Profile of the loaded data (e.g. with a target: its alerts)
  REPLAY: 'replay', // {manifestText} -> ReplayReport
  VERSION: 'version', // {} -> {mlcycle, smartcore, target}
  FAULT: 'fault', // {kind} -> never returns normally (test builds only)
  CAPABILITIES: 'capabilities', // {} -> {faultInjection: boolean}
});

/** Sent by the worker once its wasm instance is ready (or failed to start). */
export const READY = 'ready';

/** Builds a request message. */
export function request(id, type, payload = {}) {
  return { id, type, payload };
}

/** Builds a success reply. */
export function reply(id, result) {
  return { id, ok: true, result };
}

/** Builds a failure reply from anything thrown. */
export function failure(id, err) {
  return { id, ok: false, error: errorFields(err) };
}

/** Builds a progress message. */
export function progress(id, value) {
  return { id, progress: value };
}

/**
 * Turns whatever was thrown into plain {name, code, message} that survives
 * structured cloning. A wasm trap is a WebAssembly.RuntimeError: name
 * "RuntimeError", code "wasm_trap".
 */
export function errorFields(err) {
  if (err instanceof WebAssembly.RuntimeError) {
    return { name: 'RuntimeError', code: 'wasm_trap', message: String(err.message || err) };
  }
  if (err && typeof err === 'object') {
    return {
      name: typeof err.name === 'string' ? err.name : 'Error',
      code: typeof err.code === 'string' ? err.code : 'unknown',
      message: typeof err.message === 'string' ? err.message : String(err),
    };
  }
  return { name: 'Error', code: 'unknown', message: String(err) };
}

/** Whether an error reply means the wasm instance trapped and must not be used again. */
export function isTrap(error) {
  return !!error && (error.name === 'RuntimeError' || error.code === 'wasm_trap');
}

/** An Error built from a reply's {name, code, message}. */
export function toError(fields) {
  const e = new Error(fields.message);
  e.name = fields.name;
  e.code = fields.code;
  return e;
}

// The page's CSP (and so its workers') demands Trusted Types for script URLs
// and allows one policy name, `mlcycle-worker`, once per realm. The policy
// lets through exactly our three worker scripts: the engine (worker.js), its
// helper for the second part of a large file (part-worker.js) and the service
// worker that keeps the page for offline use (sw.js).
const WORKER_SCRIPTS = new Set(['./worker.js', './part-worker.js', './sw.js'].map((p) => new URL(p, import.meta.url).href));
let workerPolicy = null;

/** `url` (one of the worker scripts) as the page's CSP accepts it for `new Worker` or a service worker. */
export function workerScriptURL(url) {
  if (!globalThis.trustedTypes) return url;
  workerPolicy ??= globalThis.trustedTypes.createPolicy('mlcycle-worker', {
    createScriptURL(u) {
      if (WORKER_SCRIPTS.has(u)) return u;
      throw new TypeError(`mlcycle-worker policy: refusing script URL ${u}`);
    },
  });
  return workerPolicy.createScriptURL(url);
}

/**
 * The target offered first when none was chosen, from a profile: the last
 * column that is not a different value in every row (free text, an
 * identifier; the engine's `unique` alert, or, for the column profiled as
 * the target, whose alerts are left out, the same test on its counts: text
 * or labels, no value missing, all distinct, at least 10 rows, and not
 * numbers written as text). A log whose
 * last column is its message is offered the column before. When every
 * column is like that, the last column. Shared by worker.js (which profiles
 * for it) and the tests.
 */
export function defaultTarget(profile) {
  const columns = profile && Array.isArray(profile.columns) ? profile.columns : [];
  if (columns.length === 0) return undefined;
  const rows = profile.rows;
  const alerted = (code) => new Set((profile.alerts || []).filter((a) => a.code === code).flatMap((a) => a.columns || []));
  const unique = alerted('unique');
  // Numbers written as text ("$12,345.67", kept on the target) are a target
  // to read as numbers, and mixed values are not labels: as the engine, not unique.
  const numbers = new Set([...alerted('numbers_as_text'), ...alerted('mixed_types')]);
  const idLike = (c) => unique.has(c.name)
    || (rows >= 10 && (c.kind === 'categorical' || c.kind === 'text') && c.count === rows && c.distinct === rows && !numbers.has(c.name));
  for (let i = columns.length - 1; i >= 0; i--) if (!idLike(columns[i])) return columns[i].name;
  return columns[columns.length - 1].name;
}
