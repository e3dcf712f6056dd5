//! The browser boundary: the only file that names wasm_bindgen, js_sys,
//! web_sys or serde_wasm_bindgen.
//!
//! A [`Session`] holds one parsed dataset and the last run, and lives in the
//! page's Web Worker. Options come in as plain objects (camelCase, unknown
//! fields refused); results go out JSON-compatible; the manifest goes out as
//! the exact string the native command would write. Errors become JS
//! `Error`s whose `name` is the stage and whose `code` is stable.

use std::collections::BTreeMap;

use js_sys::{Error as JsError, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::data::{parse_csv, part_start, Dataset, Ingest, ParseOptions, Part, PartOutput, PartSpec};
use crate::profile::{profile_with, ProfileOptions};
use crate::evaluate::Metric;
use crate::manifest::{build_target, RunManifest, SMARTCORE_VERSION};
use crate::manifest::SearchRecord;
use crate::run::{infer_task_with, replay, Run, RunOptions, RunOutcome};
use crate::search::{Trial, TrialSpec};
use crate::Error;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface TrainOptions {
  target: string;
  task?: "classification" | "regression";
  seed?: number;
  testFraction?: number;
  search?: "grid" | "random" | "halving" | "none";
  models?: string[];
  trials?: number;
  folds?: number;
  metric?: "accuracy" | "macro_f1" | "log_loss" | "roc_auc" | "r2" | "rmse";
  spaces?: { model: string; [param: string]: unknown[] | string }[];
  grid?: { kind: string; [param: string]: unknown }[];
  timeBudgetSeconds?: number;
  nTrees?: number;
  maxDepth?: number | null;
  maxSeconds?: number;
}
export interface TrialSpec { index: number; model: { kind: string; [param: string]: unknown }; rung: number; row_share: number | null }
export interface Trial {
  index: number; model: { kind: string; [param: string]: unknown }; rung?: number; row_share?: number;
  fold_scores: (number | null)[]; mean: number | null; std: number | null;
  error: string | null; duration_ms: number | null;
}
export interface SearchPlan { planned: number; leftOut: { model: string; reason: string }[]; task: "classification" | "regression"; metric: string | null }
export interface MetricValue { name: "accuracy" | "macro_f1" | "log_loss" | "roc_auc" | "rmse" | "r2"; value: number | null }
export interface TrainResult {
  target: string; task: "classification" | "regression"; model: string; seed: number;
  trainRows: number; testRows: number; rowsWithoutTarget: number; featureCount: number;
  dropped: { column: string; reason: string }[];
  metrics: MetricValue[]; classes: string[] | null; params: string;
  search: { planned: number; cut_short: boolean; best: number | null; trials: Trial[] } | null;
  searchMetric: string | null;
  baseline: { class: string; mean?: number; metrics: MetricValue[]; predictedClasses: number; testClasses: number } | null;
}
export interface ReplayReport {
  reproduced: boolean;
  differences: { field: string; expected: string; found: string }[];
  metrics: MetricValue[];
}
export interface ValueCount { value: string; count: number }
export type ColumnKind = "integer" | "float" | "boolean" | "categorical" | "text" | "date" | "date_time";
export interface ColumnProfile {
  name: string; kind: ColumnKind; count: number; missing: number; missingPct: number; distinct: number;
  min?: number; max?: number; mean?: number; std?: number; median?: number; q1?: number; q3?: number;
  skewness?: number; zeros?: number; negatives?: number;
  outliers?: { lowerFence: number; upperFence: number; below: number; above: number };
  histogram?: { start: number; end: number; count: number }[];
  integer: boolean; top: ValueCount[];
  textLength?: { min: number; max: number; mean: number };
  dateRange?: { min: string; max: string; zone?: 'utc' | 'not_stated' };
  caseVariants?: string[][]; memoryBytes: number;
  approximate?: string[]; topError?: number;
}
export interface Association { a: string; b: string; measure: "pearson" | "spearman" | "cramers_v" | "correlation_ratio"; value: number; n: number }
export interface Alert {
  code: string; severity: "info" | "warning" | "critical"; columns: string[]; message: string;
  evidence: Record<string, number>; suggestion?: RecipeStepSpec; advice: string;
}
export type RecipeStepSpec = { step: string; column?: string; [key: string]: unknown };
export interface Profile {
  fileName: string; rows: number; columnCount: number; sha256: string; target?: string;
  dataset: { rows: number; columns: number; duplicateRows: number; missingCells: number; missingCellsPct: number; memoryBytes: number; kinds: Record<string, number>; approximate?: string[] };
  ingest: { bytes: number; encoding: string; delimiter: string; delimiterSource: string; header: boolean; headerSource: string; decimalComma: boolean; lineEnding: string; blankLines: number; skippedLines: number;
            warnings: { code: string; message: string }[];
            mixed: { column: string; keptAs: ColumnKind; numbers: number; dates: number; texts: number; majority: string; examples: { value: string; row: number }[] }[];
            nonFinite: { column: string; count: number; rows: number[]; values: string[] }[]; zonedTimes?: string[] };
  columns: ColumnProfile[];
  associations: { pairs: Association[]; target: Association[]; columns: string[]; skipped: { column: string; reason: string }[]; sampledRows?: number };
  alerts: Alert[];
  sample?: { totalRows: number; keptRows: number; stride: number; budgetBytes: number; distinctStdError: number; note: string };
}
export interface ProfileOptions { target?: string | null; maxAssocColumns?: number; maxAssocWork?: number }
export interface ParseOptions {
  maxBytes?: number; maxRows?: number; maxColumns?: number; maxFieldBytes?: number; maxHeaderChars?: number;
  missingTokens?: string[]; delimiter?: string | "whitespace" | null; hasHeader?: boolean | null; decimalComma?: boolean | null; skipLines?: number | null; comment?: string | null;
  lossyUtf8?: boolean; encoding?: "utf-8" | "windows-1252"; nonFinite?: "error" | "missing"; shortRows?: "error" | "missing"; backslashEscapes?: boolean | null; columnTypes?: Record<string, ColumnKind>;
  maxMemoryBytes?: number; overBudget?: "sample" | "error";
}
export interface MlcycleError extends Error { code: string }
"#;

#[wasm_bindgen(start)]
fn start() {
    // A panic ends the instance (wasm has no unwinding). One inside a
    // candidate's model fit (smartcore's line search) is that candidate's
    // error, as it is natively: the trial it ends as is handed to the
    // worker's `mlcycleTrialPanic(trial)`, if it has one, before the
    // instance stops, so the search records it and goes on elsewhere.
    std::panic::set_hook(Box::new(|info| {
        let message = crate::run::panic_message(info.payload());
        if let Some(trial) = crate::run::trial_after_panic(&message) {
            let report = Reflect::get(&js_sys::global(), &JsValue::from_str("mlcycleTrialPanic")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let (Some(report), Ok(trial)) = (report, to_js(&trial)) {
                let _ = report.call1(&JsValue::NULL, &trial);
            }
        }
        console_error_panic_hook::hook(info);
    }));
}


fn set(obj: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn js_error(name: &str, code: &str, message: &str) -> JsValue {
    let err = JsError::new(message);
    err.set_name(name);
    let err: JsValue = err.into();
    set(&err, "code", &JsValue::from_str(code));
    err
}

fn to_js_error(e: Error) -> JsValue {
    js_error(e.stage(), e.code(), &e.to_string())
}

fn options_error(e: serde_wasm_bindgen::Error) -> JsValue {
    js_error("OptionsError", "invalid_options", &format!("invalid options: {e}"))
}

/// Reads a plain JS object strictly: through a JSON value, so that
/// `deny_unknown_fields` holds (serde_wasm_bindgen alone reads only the
/// fields it knows and silently ignores misspelt ones).
fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(options_error)?;
    serde_json::from_value(json).map_err(|e| js_error("OptionsError", "invalid_options", &format!("invalid options: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("InternalError", "serialize", &e.to_string()))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TrainResult<'a> {
    target: &'a str,
    task: &'static str,
    model: &'static str,
    seed: u64,
    train_rows: usize,
    test_rows: usize,
    /// Rows left out because their target is missing.
    rows_without_target: usize,
    /// Test rows that repeat a training row exactly.
    test_rows_in_training: usize,
    feature_count: usize,
    dropped: Vec<Dropped<'a>>,
    metrics: &'a [Metric],
    classes: Option<&'a [String]>,
    params: String,
    search: Option<&'a SearchRecord>,
    search_metric: Option<&'static str>,
    /// The majority-class baseline and how many classes the model predicted.
    baseline: Option<&'a crate::run::Baseline>,
}

/// A column left out of the features, and why.
#[derive(Serialize)]
struct Dropped<'a> {
    column: &'a str,
    reason: &'a str,
}

impl<'a> TrainResult<'a> {
    fn of(out: &'a RunOutcome) -> TrainResult<'a> {
        TrainResult {
            target: &out.config.target,
            task: out.config.task.as_str(),
            model: out.config.model.name(),
            seed: out.config.seed,
            train_rows: out.split.train_rows,
            test_rows: out.split.test_rows,
            rows_without_target: out.split.dropped_missing_target,
            test_rows_in_training: out.split.test_rows_in_training,
            feature_count: out.result.features.len(),
            dropped: out.recipe.dropped().into_iter().map(|(column, reason)| Dropped { column, reason }).collect(),
            metrics: &out.result.metrics,
            classes: out.result.classes.as_deref(),
            params: out.config.model.params_text(),
            search: out.search.as_ref(),
            search_metric: out.config.search.as_ref().map(|s| s.metric.name()),
            baseline: out.baseline.as_ref(),
        }
    }
}

#[derive(Serialize)]
struct SearchPlan<'a> {
    planned: usize,
    #[serde(rename = "leftOut")]
    left_out: &'a [crate::run::LeftOut],
    task: &'static str,
    metric: Option<&'static str>,
}

#[derive(Serialize)]
struct Version {
    mlcycle: &'static str,
    smartcore: &'static str,
    target: String,
}

/// Versions of this build: `{mlcycle, smartcore, target}`.
#[wasm_bindgen]
pub fn version() -> Result<JsValue, JsValue> {
    to_js(&Version { mlcycle: env!("CARGO_PKG_VERSION"), smartcore: SMARTCORE_VERSION, target: build_target() })
}

/// One dataset loaded in the worker, and its last run.
#[wasm_bindgen]
pub struct Session {
    ds: Dataset,
    last: Option<RunOutcome>,
    job: Option<Run>,
}

#[wasm_bindgen]
impl Session {
    /// Parses CSV `bytes` read from `fileName`. Throws a `DataError` naming
    /// the row and column of the first problem.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8], file_name: &str) -> Result<Session, JsValue> {
        let ds = parse_csv(bytes, file_name, &ParseOptions::default()).map_err(|e| to_js_error(e.into()))?;
        Ok(Session { ds, last: None, job: None })
    }

    /// Data rows.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.ds.n_rows
    }

    /// The column names, in order.
    #[wasm_bindgen(js_name = columnNames)]
    pub fn column_names(&self) -> Vec<String> {
        self.ds.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The profile of every column.
    #[wasm_bindgen(unchecked_return_type = "Profile")]
    pub fn profile(&self) -> Result<JsValue, JsValue> {
        to_js(&crate::profile::profile(&self.ds))
    }

    /// `"classification"` or `"regression"` for `target`, with the recipe
    /// `steps` when given (a `parse_numbers` step on the target makes its
    /// labels numbers).
    #[wasm_bindgen(js_name = inferTask)]
    pub fn infer_task(&self, target: &str, #[wasm_bindgen(unchecked_param_type = "RecipeStepSpec[] | undefined")] steps: JsValue) -> Result<String, JsValue> {
        let steps: Vec<crate::prepare::StepSpec> = if steps.is_undefined() || steps.is_null() { Vec::new() } else { from_js(steps)? };
        infer_task_with(&self.ds, target, &steps).map(|t| t.as_str().to_string()).map_err(to_js_error)
    }

    /// Trains with `options` in one call (search, refit, test metrics) and
    /// keeps the run for [`Session::manifest`]. For progress and a cancel
    /// that keeps finished trials, use `searchStart` / `searchStep` instead.
    pub fn train(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.search_start(options)?;
        while !self.search_step(None)?.is_null() {}
        self.search_finish()
    }

    /// Starts a run: checks the options, splits, plans the search. Returns
    /// `{planned, task, metric}`; then call `searchStep` until it returns
    /// null, and `searchFinish`.
    #[wasm_bindgen(js_name = searchStart, unchecked_return_type = "SearchPlan")]
    pub fn search_start(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let opts: RunOptions = from_js(options)?;
        self.job = None;
        let job = Run::start(&self.ds, &opts).map_err(to_js_error)?;
        let plan = SearchPlan {
            planned: job.planned(),
            left_out: job.left_out(),
            task: job.task().as_str(),
            metric: opts.metric.map(|m| m.name()).or(if job.planned() > 0 { Some(crate::search::RankMetric::default_for(job.task()).name()) } else { None }),
        };
        let plan = to_js(&plan);
        self.job = Some(job);
        plan
    }

    /// Runs the next trial and returns it, or null when none is left. With
    /// `elapsedMs`, the milliseconds the search has run (the caller's
    /// clock), no trial starts once the time budget is spent: the search
    /// stops like `searchCancel` and this returns null.
    #[wasm_bindgen(js_name = searchStep, unchecked_return_type = "Trial | null")]
    pub fn search_step(&mut self, elapsed_ms: Option<f64>) -> Result<JsValue, JsValue> {
        let job = self.job.as_mut().ok_or_else(|| js_error("TrainError", "not_started", "no search has been started"))?;
        let step = match elapsed_ms {
            Some(ms) => job.step_within_budget(&self.ds, ms),
            None => job.step(&self.ds),
        };
        match step.map_err(to_js_error)? {
            Some(trial) => to_js::<Trial>(trial),
            None => Ok(JsValue::NULL),
        }
    }

    /// Records the milliseconds the last trial took (the caller's clock).
    #[wasm_bindgen(js_name = searchTrialDuration)]
    pub fn search_trial_duration(&mut self, ms: f64) {
        if let Some(job) = self.job.as_mut() {
            job.set_last_duration(ms);
        }
    }

    /// The trials that can run now (the current batch; for successive
    /// halving, the current rung), in index order. Run them in any order,
    /// here or in other workers (`searchRunTrial`), and give each result to
    /// `searchRecord`; the leaderboard is the same whatever the order.
    #[wasm_bindgen(js_name = searchPending, unchecked_return_type = "TrialSpec[]")]
    pub fn search_pending(&self) -> Result<JsValue, JsValue> {
        let job = self.job.as_ref().ok_or_else(|| js_error("TrainError", "not_started", "no search has been started"))?;
        to_js(&job.pending())
    }

    /// Runs one trial without recording it: a worker of a pool calls this
    /// after `searchStart` with the same options as the coordinating
    /// session. Pure: the same spec gives the same trial anywhere.
    #[wasm_bindgen(js_name = searchRunTrial, unchecked_return_type = "Trial")]
    pub fn search_run_trial(&self, #[wasm_bindgen(unchecked_param_type = "TrialSpec")] spec: JsValue) -> Result<JsValue, JsValue> {
        let spec: TrialSpec = from_js(spec)?;
        let job = self.job.as_ref().ok_or_else(|| js_error("TrainError", "not_started", "no search has been started"))?;
        let trial = job.run_trial(&self.ds, &spec).map_err(to_js_error)?;
        to_js(&trial)
    }

    /// Records a trial from `searchRunTrial` (any worker, any order), with
    /// its duration in milliseconds if known. A trial not in the current
    /// batch is refused (`foreign_trial`). Completing a halving rung plans
    /// the next; call `searchPending` again.
    #[wasm_bindgen(js_name = searchRecord)]
    pub fn search_record(&mut self, #[wasm_bindgen(unchecked_param_type = "Trial")] trial: JsValue, duration_ms: Option<f64>) -> Result<(), JsValue> {
        let trial: Trial = from_js(trial)?;
        let index = trial.index;
        let job = self.job.as_mut().ok_or_else(|| js_error("TrainError", "not_started", "no search has been started"))?;
        job.record(trial).map_err(to_js_error)?;
        if let Some(ms) = duration_ms {
            job.set_duration(index, ms);
        }
        Ok(())
    }

    /// Trials planned now (halving: shrinks when fewer can be promoted).
    #[wasm_bindgen(js_name = searchPlanned)]
    pub fn search_planned(&self) -> usize {
        self.job.as_ref().map_or(0, Run::planned)
    }

    /// Tells the search how many milliseconds it has run; past its time
    /// budget it stops like `searchCancel` and this returns true.
    #[wasm_bindgen(js_name = searchElapsed)]
    pub fn search_elapsed(&mut self, ms: f64) -> bool {
        self.job.as_mut().is_some_and(|job| job.note_elapsed(ms))
    }

    /// Stops the search; trials already run are kept and the run records
    /// that it was cut short. Call `searchFinish` next.
    #[wasm_bindgen(js_name = searchCancel)]
    pub fn search_cancel(&mut self) {
        if let Some(job) = self.job.as_mut() {
            job.cancel();
        }
    }

    /// Refits the best trial's model on the training rows, scores the test
    /// rows, and keeps the run for `manifest`.
    #[wasm_bindgen(js_name = searchFinish, unchecked_return_type = "TrainResult")]
    pub fn search_finish(&mut self) -> Result<JsValue, JsValue> {
        let job = self.job.take().ok_or_else(|| js_error("TrainError", "not_started", "no search has been started"))?;
        let out = job.finish(&self.ds).map_err(to_js_error)?;
        let result = to_js(&TrainResult::of(&out))?;
        self.last = Some(out);
        Ok(result)
    }

    /// The canonical JSON manifest of the last run, with the caller's stage
    /// durations in milliseconds (e.g. `{profile: 12.5, train: 830}`).
    pub fn manifest(&self, durations: JsValue) -> Result<String, JsValue> {
        let durations: BTreeMap<String, f64> = if durations.is_undefined() || durations.is_null() {
            BTreeMap::new()
        } else {
            from_js(durations)?
        };
        let out = self
            .last
            .as_ref()
            .ok_or_else(|| js_error("TrainError", "not_trained", "nothing has been trained yet"))?;
        out.manifest(durations).to_json().map_err(|e| to_js_error(e.into()))
    }

    /// Replays a manifest's text on this session's data.
    #[wasm_bindgen(unchecked_return_type = "ReplayReport")]
    pub fn replay(&self, manifest_text: &str) -> Result<JsValue, JsValue> {
        let manifest = RunManifest::from_bytes(manifest_text.as_bytes()).map_err(|e| to_js_error(e.into()))?;
        let report = replay(&self.ds, &manifest).map_err(to_js_error)?;
        to_js(&report)
    }
}

// ---- data management: streaming ingestion, profile, report, charts ----

fn profile_options(options: JsValue) -> Result<ProfileOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        Ok(ProfileOptions::default())
    } else {
        from_js(options)
    }
}

/// A CSV file read in chunks inside the worker: `push` each `File` slice
/// (post `bytesDone` as progress; stop calling to cancel), then `finish`
/// gives a [`Session`].
#[wasm_bindgen(js_name = Ingest)]
pub struct IngestJs {
    inner: Option<Ingest>,
}

#[wasm_bindgen(js_class = Ingest)]
impl IngestJs {
    /// Starts reading `fileName` of `totalBytes` bytes (or `undefined`)
    /// with parse `options` (or `undefined`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        file_name: &str,
        #[wasm_bindgen(unchecked_param_type = "ParseOptions | undefined")] options: JsValue,
        total_bytes: Option<f64>,
    ) -> Result<IngestJs, JsValue> {
        let opts: ParseOptions = if options.is_undefined() || options.is_null() { ParseOptions::default() } else { from_js(options)? };
        let inner = Ingest::new(file_name, &opts, total_bytes.map(|t| t as u64)).map_err(|e| to_js_error(e.into()))?;
        Ok(IngestJs { inner: Some(inner) })
    }

    /// Reads the next chunk; throws a `DataError` naming row and column.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(|| js_error("DataError", "finished", "this ingest has already finished"))?;
        inner.push(chunk).map_err(|e| to_js_error(e.into()))
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter, js_name = bytesDone)]
    pub fn bytes_done(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |i| i.bytes_done() as f64)
    }

    /// Heap bytes the typed columns and all-row summaries hold now (kept
    /// under `maxMemoryBytes` by sampling).
    #[wasm_bindgen(getter, js_name = heldBytes)]
    pub fn held_bytes(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |i| i.held_bytes() as f64)
    }

    /// Once the head of the file is read, the JSON a `Part` in another
    /// worker needs to read bytes `start..end`; `undefined` when this file
    /// cannot be read in parts (UTF-16, column names not read yet, ...).
    #[wasm_bindgen(js_name = partSpec)]
    pub fn part_spec(&self, start: f64, end: f64) -> Option<String> {
        let spec = self.inner.as_ref()?.part_spec(start as u64, end as u64)?;
        serde_json::to_string(&spec).ok()
    }

    /// Hashes the bytes that follow those pushed or hashed so far without
    /// parsing them: the bytes parts read.
    #[wasm_bindgen(js_name = hashAhead)]
    pub fn hash_ahead(&mut self, bytes: &[u8]) {
        if let Some(i) = self.inner.as_mut() {
            i.hash_ahead(bytes);
        }
    }

    /// Takes in the parts (each `Part.finish()`'s bytes, in file order)
    /// that read the rest of the file. `false`: refused; push their bytes.
    /// Throws the head's own `DataError`, met typing the records it read.
    pub fn absorb(&mut self, parts: Vec<js_sys::Uint8Array>) -> Result<bool, JsValue> {
        let inner = self.inner.as_mut().ok_or_else(|| js_error("DataError", "finished", "this ingest has already finished"))?;
        // Each column is copied in only as it is taken in: the head never
        // holds a whole part's bytes.
        let outputs: Option<Vec<PartOutput>> = parts
            .into_iter()
            .map(|p| {
                let total = p.length() as usize;
                PartOutput::from_encoded(total, Box::new(move |a, b| (a <= b && b <= total).then(|| p.subarray(a as u32, b as u32).to_vec())))
            })
            .collect();
        match outputs {
            Some(outputs) => inner.absorb(outputs).map_err(|e| to_js_error(e.into())),
            None => Ok(false),
        }
    }

    /// Ends the input and gives the session holding the dataset.
    pub fn finish(&mut self) -> Result<Session, JsValue> {
        let inner = self.inner.take().ok_or_else(|| js_error("DataError", "finished", "this ingest has already finished"))?;
        let ds = inner.finish().map_err(|e| to_js_error(e.into()))?;
        Ok(Session { ds, last: None, job: None })
    }
}

/// The offset in `window` (bytes of a file from some offset on) of the
/// first byte after a newline, where a part may start; `undefined` if none.
#[wasm_bindgen(js_name = partStart)]
pub fn part_start_js(window: &[u8]) -> Option<u32> {
    part_start(window).map(|p| p as u32)
}

/// One part of a file, read in a worker of its own: `push` its slices,
/// then `finish` gives the bytes to pass to the head's `Ingest.absorb`.
/// An error ends the part quietly for the head: it reads those bytes
/// itself and reports any error with its own row and line.
#[wasm_bindgen(js_name = Part)]
pub struct PartJs {
    inner: Option<Part>,
}

#[wasm_bindgen(js_class = Part)]
impl PartJs {
    /// A part from `Ingest.partSpec`'s JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &str) -> Result<PartJs, JsValue> {
        let spec: PartSpec = serde_json::from_str(spec).map_err(|e| js_error("DataError", "bad_part", &format!("not a part spec: {e}")))?;
        Ok(PartJs { inner: Some(Part::new(spec)) })
    }

    /// Reads the part's next slice.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(|| js_error("DataError", "finished", "this part has already finished"))?;
        inner.push(chunk).map_err(|e| to_js_error(e.into()))
    }

    /// Bytes pushed so far.
    #[wasm_bindgen(getter, js_name = bytesDone)]
    pub fn bytes_done(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |p| p.bytes_done() as f64)
    }

    /// Ends the part: its columns as bytes.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
        let inner = self.inner.take().ok_or_else(|| js_error("DataError", "finished", "this part has already finished"))?;
        let out = inner.finish().map_err(|e| to_js_error(e.into()))?;
        out.to_bytes().ok_or_else(|| js_error("DataError", "bad_part", "this part cannot be encoded"))
    }
}

#[wasm_bindgen]
impl Session {
    /// Parses CSV `bytes` with parse `options` (see `ParseOptions`).
    #[wasm_bindgen(js_name = withOptions)]
    pub fn with_options(
        bytes: &[u8],
        file_name: &str,
        #[wasm_bindgen(unchecked_param_type = "ParseOptions")] options: JsValue,
    ) -> Result<Session, JsValue> {
        let opts: ParseOptions = from_js(options)?;
        let ds = parse_csv(bytes, file_name, &opts).map_err(|e| to_js_error(e.into()))?;
        Ok(Session { ds, last: None, job: None })
    }

    /// The full profile with `options` (e.g. `{target: "species"}`):
    /// statistics, associations and alerts with their suggested steps.
    #[wasm_bindgen(js_name = profileWith, unchecked_return_type = "Profile")]
    pub fn profile_with(&self, #[wasm_bindgen(unchecked_param_type = "ProfileOptions | undefined")] options: JsValue) -> Result<JsValue, JsValue> {
        let p = profile_with(&self.ds, &profile_options(options)?).map_err(|e| to_js_error(e.into()))?;
        to_js(&p)
    }

    /// The self-contained HTML report of the profile with `options`.
    #[wasm_bindgen(js_name = profileReport)]
    pub fn profile_report(&self, #[wasm_bindgen(unchecked_param_type = "ProfileOptions | undefined")] options: JsValue) -> Result<String, JsValue> {
        let p = profile_with(&self.ds, &profile_options(options)?).map_err(|e| to_js_error(e.into()))?;
        Ok(crate::report::html(&p))
    }

    /// Clusters (k-means, DBSCAN) or projects (PCA) the feature columns:
    /// `{model: "kmeans", k: 3}`, `{model: "dbscan", eps: 0.5, minSamples: 5}`,
    /// `{model: "pca", n_components: 2}`, with optional `columns`, `exclude`
    /// and `seed`. Throws a `ClusterError` naming a bad parameter.
    #[wasm_bindgen(unchecked_return_type = "ClusterResult")]
    pub fn cluster(&self, #[wasm_bindgen(unchecked_param_type = "ClusterOptions")] options: JsValue) -> Result<JsValue, JsValue> {
        let opts: crate::cluster::ClusterOptions = from_js(options)?;
        let mut r = crate::cluster::cluster(&self.ds, &opts).map_err(|e| to_js_error(e.into()))?;
        // The page draws the sampled points; per-row labels stay here.
        r.labels = None;
        to_js(&r)
    }

    /// Vega-Lite specs of the profile: `{columns: {name: spec}, associations: spec}`.
    #[wasm_bindgen(js_name = profileCharts)]
    pub fn profile_charts(&self, #[wasm_bindgen(unchecked_param_type = "ProfileOptions | undefined")] options: JsValue) -> Result<JsValue, JsValue> {
        let p = profile_with(&self.ds, &profile_options(options)?).map_err(|e| to_js_error(e.into()))?;
        to_js(&crate::profile::charts::charts(&p))
    }
}

/// The default search spaces of `models` as editable JSON text (the form
/// `TrainOptions.spaces` takes).
#[wasm_bindgen(js_name = defaultSpaces)]
pub fn default_spaces(models: Vec<String>) -> String {
    serde_json::to_string_pretty(&crate::search::spaces_json(&models)).unwrap_or_else(|_| "[]".to_string())
}

/// Breaks the instance on purpose, for testing the page's recovery: `panic`,
/// `recursion` (stack overflow), `alloc` (out of memory) or `hang` (never
/// returns, for the watchdog and Cancel). Only in builds with the
/// `fault-injection` feature.
#[cfg(feature = "fault-injection")]
#[wasm_bindgen(js_name = faultInject)]
pub fn fault_inject(kind: &str) -> Result<(), JsValue> {
    fn recurse(depth: u64, buf: [u8; 256]) -> u64 {
        let buf = std::hint::black_box(buf);
        if depth == u64::MAX {
            return buf[0] as u64;
        }
        recurse(depth + 1, buf) + buf[(depth % 256) as usize] as u64
    }
    match kind {
        "panic" => panic!("fault injection: panic on purpose"),
        "recursion" => {
            let _ = std::hint::black_box(recurse(0, [1; 256]));
            Ok(())
        }
        "alloc" => {
            // Grow until the allocator fails: a real out-of-memory abort, not
            // a capacity-overflow panic.
            let mut held: Vec<Vec<u8>> = Vec::new();
            loop {
                let mut chunk: Vec<u8> = Vec::with_capacity(256 << 20);
                chunk.push(1);
                held.push(std::hint::black_box(chunk));
            }
        }
        "hang" => loop {
            std::hint::black_box(0u64);
        },
        _ => Err(js_error("OptionsError", "invalid_options", &format!("unknown fault kind \"{kind}\""))),
    }
}
