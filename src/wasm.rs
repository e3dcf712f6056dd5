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

use crate::data::{parse_csv, Dataset, ParseOptions};
use crate::evaluate::Metric;
use crate::manifest::{build_target, RunManifest, SMARTCORE_VERSION};
use crate::run::{finish_search, infer_task, replay, run, Prepared, RunOptions, RunOutcome};
use crate::search::{default_space, MetricName, ModelSpace, SearchConfig, SearchState, Strategy, TrialResult};
use crate::train::{Task, MODEL_NAMES};
use crate::Error;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export interface TrainOptions {
  target: string;
  task?: "classification" | "regression";
  seed?: number;
  testFraction?: number;
  model?: { kind: string; [param: string]: unknown };
  nTrees?: number;
  maxDepth?: number | null;
  search?: { strategy?: string; spaces?: unknown[]; trials?: number; folds?: number; metric?: string; grid_points?: number };
  maxSeconds?: number;
}
export interface MetricValue { name: "accuracy" | "macro_f1" | "log_loss" | "roc_auc" | "rmse" | "r2"; value: number | null }
export interface TrainResult {
  target: string; task: "classification" | "regression"; model: string; seed: number;
  trainRows: number; testRows: number; featureCount: number;
  metrics: MetricValue[]; classes: string[] | null;
}
export interface ReplayReport {
  reproduced: boolean;
  differences: { field: string; expected: string; found: string }[];
  metrics: MetricValue[];
}
export interface ValueCount { value: string; count: number }
export interface ColumnProfile {
  name: string; kind: "numeric" | "categorical"; count: number; missing: number; distinct: number;
  min?: number; max?: number; mean?: number; std?: number; integer: boolean; top: ValueCount[];
}
export interface Profile { fileName: string; rows: number; columnCount: number; sha256: string; columns: ColumnProfile[] }
export interface SearchOptions {
  target: string;
  task?: "classification" | "regression";
  seed?: number;
  testFraction?: number;
  strategy?: "grid" | "random" | "halving";
  models?: string[];
  spaces?: { model: string; params?: Record<string, unknown> }[];
  trials?: number;
  folds?: number;
  metric?: "accuracy" | "macro_f1" | "log_loss" | "roc_auc" | "r2" | "rmse";
  gridPoints?: number;
  maxSeconds?: number;
}
export interface PlanSummary {
  trials: number; folds: number; strategy: string; metric: string; models: string[]; estimatedSeconds: number;
}
export interface TrialResult {
  trial: { index: number; model: { kind: string; [param: string]: unknown }; rung: number; row_share: number };
  fold_scores: (number | null)[]; mean: number | null; std: number | null; error: string | null; fit_ms: number | null;
}
export interface MlcycleError extends Error { code: string }
"#;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
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
    feature_count: usize,
    metrics: &'a [Metric],
    classes: Option<&'a [String]>,
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

/// Options of `searchStart`: the run's options and the search's.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SearchOptions {
    target: String,
    #[serde(default)]
    task: Option<Task>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    test_fraction: Option<f64>,
    #[serde(default)]
    strategy: Option<Strategy>,
    #[serde(default)]
    models: Vec<String>,
    #[serde(default)]
    spaces: Vec<ModelSpace>,
    #[serde(default)]
    trials: Option<usize>,
    #[serde(default)]
    folds: Option<usize>,
    #[serde(default)]
    metric: Option<MetricName>,
    #[serde(default)]
    grid_points: Option<usize>,
    #[serde(default)]
    max_seconds: Option<f64>,
}

/// One dataset loaded in the worker, its last run, and a search in progress.
#[wasm_bindgen]
pub struct Session {
    ds: Dataset,
    last: Option<RunOutcome>,
    search: Option<(Prepared, SearchState)>,
}

fn no_search() -> JsValue {
    js_error("SearchError", "no_search", "no search has been started")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchResult<'a> {
    #[serde(flatten)]
    train: TrainResult<'a>,
    cut_short: bool,
    best: usize,
    leaderboard: Vec<TrialResult>,
}

fn train_result(out: &RunOutcome) -> TrainResult<'_> {
    TrainResult {
        target: &out.config.target,
        task: out.config.task.as_str(),
        model: out.config.model.name(),
        seed: out.config.seed,
        train_rows: out.split.train_rows,
        test_rows: out.split.test_rows,
        feature_count: out.result.features.len(),
        metrics: &out.result.metrics,
        classes: out.result.classes.as_deref(),
    }
}

#[wasm_bindgen]
impl Session {
    /// Parses CSV `bytes` read from `fileName`. Throws a `DataError` naming
    /// the row and column of the first problem.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8], file_name: &str) -> Result<Session, JsValue> {
        let ds = parse_csv(bytes, file_name, &ParseOptions::default()).map_err(|e| to_js_error(e.into()))?;
        Ok(Session { ds, last: None, search: None })
    }

    /// Data rows.
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.ds.n_rows
    }

    /// The profile of every column.
    #[wasm_bindgen(unchecked_return_type = "Profile")]
    pub fn profile(&self) -> Result<JsValue, JsValue> {
        to_js(&crate::profile::profile(&self.ds))
    }

    /// `"classification"` or `"regression"` for `target`.
    #[wasm_bindgen(js_name = inferTask)]
    pub fn infer_task(&self, target: &str) -> Result<String, JsValue> {
        infer_task(&self.ds, target).map(|t| t.as_str().to_string()).map_err(to_js_error)
    }

    /// Trains with `options` and keeps the run for [`Session::manifest`].
    pub fn train(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let opts: RunOptions = from_js(options)?;
        let out = run(&self.ds, &opts).map_err(to_js_error)?;
        let result = to_js(&train_result(&out))?;
        self.last = Some(out);
        Ok(result)
    }

    /// Plans a cross-validated search (replacing any search in progress)
    /// and gives its summary; run it with [`Session::search_step`], or
    /// spread [`Session::run_trial`] over workers that each started the
    /// same search and [`Session::search_record`] their results here.
    #[wasm_bindgen(js_name = searchStart, unchecked_return_type = "PlanSummary")]
    pub fn search_start(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let o: SearchOptions = from_js(options)?;
        let opts = RunOptions {
            target: o.target,
            task: o.task,
            seed: o.seed,
            test_fraction: o.test_fraction,
            max_seconds: o.max_seconds,
            ..RunOptions::new("")
        };
        let mut spaces = o.spaces;
        for m in &o.models {
            if spaces.iter().any(|s| s.model == *m) {
                continue;
            }
            let space = default_space(m).ok_or_else(|| {
                js_error("SearchError", "unknown_model", &format!("unknown model \"{m}\"; known models: {}", MODEL_NAMES.join(", ")))
            })?;
            spaces.push(space);
        }
        let defaults = SearchConfig::default();
        let config = SearchConfig {
            strategy: o.strategy.unwrap_or(defaults.strategy),
            spaces,
            trials: o.trials.unwrap_or(defaults.trials),
            folds: o.folds.unwrap_or(defaults.folds),
            metric: o.metric,
            grid_points: o.grid_points.unwrap_or(defaults.grid_points),
        };
        self.search = None;
        let prepared = Prepared::new(&self.ds, &opts).map_err(to_js_error)?;
        let state = prepared.search(&config).map_err(to_js_error)?;
        let summary = to_js(&state.summary())?;
        self.search = Some((prepared, state));
        Ok(summary)
    }

    /// Runs the next trial of the search and gives its leaderboard row, or
    /// `null` when the search is done or cancelled.
    #[wasm_bindgen(js_name = searchStep, unchecked_return_type = "TrialResult | null")]
    pub fn search_step(&mut self) -> Result<JsValue, JsValue> {
        let (_, state) = self.search.as_mut().ok_or_else(no_search)?;
        match state.step() {
            Some(r) => to_js(&r),
            None => Ok(JsValue::NULL),
        }
    }

    /// Indices of the trials that can run now (the current halving rung,
    /// or every trial left).
    #[wasm_bindgen(js_name = searchPending)]
    pub fn search_pending(&self) -> Result<Vec<u32>, JsValue> {
        let (_, state) = self.search.as_ref().ok_or_else(no_search)?;
        Ok(state.pending().iter().map(|t| t.index as u32).collect())
    }

    /// Runs pending trial `index` without recording it (in a worker) and
    /// gives its result for [`Session::search_record`] on the main session.
    #[wasm_bindgen(js_name = runTrial, unchecked_return_type = "TrialResult")]
    pub fn run_trial(&self, index: u32) -> Result<JsValue, JsValue> {
        let (_, state) = self.search.as_ref().ok_or_else(no_search)?;
        let trial = state.pending().into_iter().find(|t| t.index == index as usize).ok_or_else(|| {
            js_error("SearchError", "foreign_trial", &format!("trial {index} is not pending in this search"))
        })?;
        to_js(&state.data().run_trial(&trial))
    }

    /// Records a trial result made by [`Session::run_trial`] elsewhere.
    #[wasm_bindgen(js_name = searchRecord)]
    pub fn search_record(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "TrialResult")] result: JsValue,
    ) -> Result<(), JsValue> {
        let r: TrialResult = from_js(result)?;
        let (_, state) = self.search.as_mut().ok_or_else(no_search)?;
        state.record(r).map_err(|e| to_js_error(e.into()))
    }

    /// Sets the milliseconds the caller measured for finished trial `index`.
    #[wasm_bindgen(js_name = searchTime)]
    pub fn search_time(&mut self, index: u32, ms: f64) -> Result<(), JsValue> {
        let (_, state) = self.search.as_mut().ok_or_else(no_search)?;
        state.set_time(index as usize, ms);
        Ok(())
    }

    /// Stops the search, keeping its finished trials.
    #[wasm_bindgen(js_name = searchCancel)]
    pub fn search_cancel(&mut self) -> Result<(), JsValue> {
        let (_, state) = self.search.as_mut().ok_or_else(no_search)?;
        state.cancel();
        Ok(())
    }

    /// The finished trials, best first.
    #[wasm_bindgen(js_name = searchLeaderboard, unchecked_return_type = "TrialResult[]")]
    pub fn search_leaderboard(&self) -> Result<JsValue, JsValue> {
        let (_, state) = self.search.as_ref().ok_or_else(no_search)?;
        to_js(&state.leaderboard())
    }

    /// Refits the best trial on the training split, scores the test split,
    /// and keeps the run (with its search) for [`Session::manifest`].
    #[wasm_bindgen(js_name = searchResult)]
    pub fn search_result(&mut self) -> Result<JsValue, JsValue> {
        let (prepared, state) = self.search.as_ref().ok_or_else(no_search)?;
        let out = finish_search(prepared, state).map_err(to_js_error)?;
        let record = out.search.as_ref().expect("a search run has its record");
        let result = to_js(&SearchResult {
            train: train_result(&out),
            cut_short: record.cut_short,
            best: record.best,
            leaderboard: state.leaderboard(),
        })?;
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
        Ok(out.manifest(durations).to_json())
    }

    /// Replays a manifest's text on this session's data.
    #[wasm_bindgen(unchecked_return_type = "ReplayReport")]
    pub fn replay(&self, manifest_text: &str) -> Result<JsValue, JsValue> {
        let manifest = RunManifest::from_bytes(manifest_text.as_bytes()).map_err(|e| to_js_error(e.into()))?;
        let report = replay(&self.ds, &manifest).map_err(to_js_error)?;
        to_js(&report)
    }
}

/// Traps the instance on purpose, for testing the page's recovery: `panic`,
/// `recursion` (stack overflow) or `alloc` (out of memory). Only in builds
/// with the `fault-injection` feature.
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
            let v: Vec<u8> = vec![1; 4_000_000_000];
            let _ = std::hint::black_box(v);
            Ok(())
        }
        _ => Err(js_error("OptionsError", "invalid_options", &format!("unknown fault kind \"{kind}\""))),
    }
}
