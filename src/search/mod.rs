//! Model search: search spaces as data, seeded cross-validation, and a
//! step-wise search state.
//!
//! Takes the prepared training matrix and target, a [`SearchConfig`]
//! (models and their spaces, strategy, budget in trials, folds, metric) and
//! the run's seed; gives a leaderboard of [`TrialResult`]s. Every trial is a
//! pure function of the plan and its index ([`SearchData::run_trial`]), so
//! trials can run in any order, on threads or in several Web Workers, and
//! [`SearchState::record`] puts them in place by index: the same seed gives
//! the same leaderboard whatever the order. Durations come from the caller;
//! there is no clock here. No wasm here.

mod space;

pub use space::{default_space, Domain, ModelSpace};

use std::collections::BTreeMap;

use ndarray::{Array2, Axis};
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::evaluate::{accuracy, log_loss, macro_f1, r2, rmse, roc_auc};
use crate::train::{check_fit, estimate_seconds, fit, ModelSpec, Target, Task};

/// Most folds.
pub const MAX_FOLDS: usize = 20;
/// Most trials in one search.
pub const MAX_TRIALS: usize = 10_000;
/// Default budget in trials.
pub const DEFAULT_TRIALS: usize = 24;
/// Default number of folds.
pub const DEFAULT_FOLDS: usize = 5;

/// Errors from configuring or running a search.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum SearchError {
    /// A setting out of range.
    #[error("search setting {name} = {value} is out of range: allowed {allowed}")]
    InvalidSetting {
        /// Setting name.
        name: &'static str,
        /// The value given.
        value: String,
        /// The allowed range.
        allowed: String,
    },
    /// A model name that is not in the zoo.
    #[error("unknown model \"{name}\"; known models: {known}")]
    UnknownModel {
        /// The name given.
        name: String,
        /// The known names.
        known: String,
    },
    /// A space that does not fit its model.
    #[error("search space of {model}, parameter \"{param}\": {problem}")]
    BadSpace {
        /// The model.
        model: String,
        /// The parameter.
        param: String,
        /// What is wrong.
        problem: String,
    },
    /// A metric that does not fit the task or the models.
    #[error("metric {metric} cannot be used here: {reason}")]
    BadMetric {
        /// The metric.
        metric: &'static str,
        /// Why not.
        reason: String,
    },
    /// A trial result that does not belong to this search.
    #[error("trial {index} does not belong to this search: {reason}")]
    ForeignTrial {
        /// The trial index.
        index: usize,
        /// Why.
        reason: String,
    },
    /// The search ended without any usable trial.
    #[error("the search has no finished trial with a score to choose a model from ({finished} of {planned} trials finished)")]
    NothingToChoose {
        /// Trials finished.
        finished: usize,
        /// Trials planned.
        planned: usize,
    },
}

impl SearchError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::InvalidSetting { .. } => "invalid_search_setting",
            SearchError::UnknownModel { .. } => "unknown_model",
            SearchError::BadSpace { .. } => "bad_search_space",
            SearchError::BadMetric { .. } => "bad_metric",
            SearchError::ForeignTrial { .. } => "foreign_trial",
            SearchError::NothingToChoose { .. } => "nothing_to_choose",
        }
    }
}

/// How candidates are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Every combination (ranges cut into `grid_points` values), a seeded
    /// sample of them when there are more than the budget.
    Grid,
    /// Seeded random draws, models taken in turn.
    Random,
    /// Successive halving: random candidates on a share of the rows, the
    /// best third promoted to three times the rows, up to all of them.
    Halving,
}

/// The metric a search optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricName {
    /// Share of rows right (higher is better).
    Accuracy,
    /// Macro F1 (higher is better).
    MacroF1,
    /// Log loss (lower is better; needs probabilities).
    LogLoss,
    /// ROC AUC (higher is better; needs probabilities).
    RocAuc,
    /// R² (higher is better).
    R2,
    /// RMSE (lower is better).
    Rmse,
}

impl MetricName {
    /// The name as in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricName::Accuracy => "accuracy",
            MetricName::MacroF1 => "macro_f1",
            MetricName::LogLoss => "log_loss",
            MetricName::RocAuc => "roc_auc",
            MetricName::R2 => "r2",
            MetricName::Rmse => "rmse",
        }
    }

    /// Whether a larger value is better.
    pub fn higher_is_better(self) -> bool {
        !matches!(self, MetricName::LogLoss | MetricName::Rmse)
    }

    /// The task the metric is for.
    pub fn task(self) -> Task {
        match self {
            MetricName::R2 | MetricName::Rmse => Task::Regression,
            _ => Task::Classification,
        }
    }

    /// Whether it needs class probabilities.
    pub fn needs_probabilities(self) -> bool {
        matches!(self, MetricName::LogLoss | MetricName::RocAuc)
    }

    /// The default for a task: accuracy or R².
    pub fn default_for(task: Task) -> MetricName {
        match task {
            Task::Classification => MetricName::Accuracy,
            Task::Regression => MetricName::R2,
        }
    }
}

/// A search as the user gives it (the page's options, the command's
/// `--config` JSON) and as the manifest records it.
///
/// ```
/// use mlcycle::search::SearchConfig;
/// let c: SearchConfig = serde_json::from_str(
///     r#"{"strategy":"random","trials":4,"spaces":[{"model":"ridge","params":{"alpha":{"log_range":[0.01,10]}}}]}"#,
/// ).unwrap();
/// assert_eq!(c.folds, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// How candidates are chosen.
    #[serde(default = "default_strategy")]
    pub strategy: Strategy,
    /// The models and their spaces; empty means the default set for the task.
    #[serde(default)]
    pub spaces: Vec<ModelSpace>,
    /// Budget: most trials (one trial is one candidate over every fold).
    #[serde(default = "default_trials")]
    pub trials: usize,
    /// Folds of the cross-validation, 2..=20.
    #[serde(default = "default_folds")]
    pub folds: usize,
    /// The metric to optimise; accuracy or R² by task when absent.
    #[serde(default)]
    pub metric: Option<MetricName>,
    /// Values each range is cut into for the grid, 2..=20.
    #[serde(default = "default_grid_points")]
    pub grid_points: usize,
}

fn default_strategy() -> Strategy {
    Strategy::Random
}
fn default_trials() -> usize {
    DEFAULT_TRIALS
}
fn default_folds() -> usize {
    DEFAULT_FOLDS
}
fn default_grid_points() -> usize {
    3
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            strategy: Strategy::Random,
            spaces: Vec::new(),
            trials: DEFAULT_TRIALS,
            folds: DEFAULT_FOLDS,
            metric: None,
            grid_points: 3,
        }
    }
}

/// The default models for a task (every model of the zoo that does it).
pub fn default_models(task: Task) -> Vec<&'static str> {
    match task {
        Task::Classification => vec!["logistic", "tree", "forest", "knn", "gaussian_nb", "svc"],
        Task::Regression => {
            vec!["linear", "ridge", "lasso", "elastic_net", "tree", "forest", "extra_trees", "knn", "svr", "gbt"]
        }
    }
}

impl SearchConfig {
    /// The config with its defaults filled in for `task`: the default
    /// models' spaces when none are given, and the metric. The manifest
    /// records this resolved form, so replay never depends on defaults.
    pub fn resolve(&self, task: Task) -> Result<SearchConfig, SearchError> {
        let mut c = self.clone();
        if c.spaces.is_empty() {
            c.spaces = default_models(task).into_iter().map(|m| default_space(m).expect("default models have spaces")).collect();
        }
        c.metric = Some(c.metric.unwrap_or(MetricName::default_for(task)));
        c.check(task)?;
        Ok(c)
    }

    fn metric(&self) -> MetricName {
        self.metric.unwrap_or(MetricName::Accuracy)
    }

    fn check(&self, task: Task) -> Result<(), SearchError> {
        let setting = |name: &'static str, value: usize, allowed: String| SearchError::InvalidSetting { name, value: value.to_string(), allowed };
        if self.trials == 0 || self.trials > MAX_TRIALS {
            return Err(setting("trials", self.trials, format!("1 to {MAX_TRIALS}")));
        }
        if !(2..=MAX_FOLDS).contains(&self.folds) {
            return Err(setting("folds", self.folds, format!("2 to {MAX_FOLDS}")));
        }
        if !(2..=20).contains(&self.grid_points) {
            return Err(setting("grid_points", self.grid_points, "2 to 20".into()));
        }
        let metric = self.metric();
        if metric.task() != task {
            return Err(SearchError::BadMetric {
                metric: metric.as_str(),
                reason: format!("it is a {} metric and this is {}", metric.task().as_str(), task.as_str()),
            });
        }
        for s in &self.spaces {
            s.check(task)?;
            if metric.needs_probabilities() && s.model == "forest" {
                return Err(SearchError::BadMetric {
                    metric: metric.as_str(),
                    reason: "the forest gives no class probabilities (smartcore keeps its trees private); drop forest or use accuracy or macro_f1".into(),
                });
            }
        }
        Ok(())
    }
}

/// One trial to run: a candidate, and for successive halving its rung and
/// how many training rows of each fold it sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialSpec {
    /// Position in the leaderboard, from 0.
    pub index: usize,
    /// The model and its hyperparameters.
    pub model: ModelSpec,
    /// Halving rung, 0 for the other strategies.
    pub rung: usize,
    /// Share of each fold's training rows used (1 but in early halving rungs).
    pub row_share: f64,
}

/// A finished trial: a leaderboard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialResult {
    /// What was run.
    pub trial: TrialSpec,
    /// The metric on each fold's validation rows (none where undefined).
    pub fold_scores: Vec<Option<f64>>,
    /// Mean of the defined fold scores.
    pub mean: Option<f64>,
    /// Population standard deviation of the defined fold scores.
    pub std: Option<f64>,
    /// Why the trial could not be scored, if it could not.
    pub error: Option<String>,
    /// Milliseconds the caller measured for it; not replayed.
    pub fit_ms: Option<f64>,
}

impl TrialResult {
    /// The same result without the caller's duration, for comparison.
    pub fn without_time(&self) -> TrialResult {
        TrialResult { fit_ms: None, ..self.clone() }
    }
}

/// Everything a trial needs: the training matrix and target, the folds,
/// the metric and the seed. Workers each hold an equal copy.
#[derive(Debug, Clone)]
pub struct SearchData {
    x: Array2<f64>,
    y: Target,
    folds: Vec<Vec<usize>>,
    metric: MetricName,
    seed: u64,
}

/// A uniform integer in `0..n` (n > 0) without modulo bias, drawn as `u64`
/// so 64-bit native and 32-bit wasm agree.
pub(crate) fn below(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX - n + 1) % n;
    loop {
        let v = rng.next_u64();
        if v <= zone {
            return v % n;
        }
    }
}

/// A uniform float in [0, 1) from the top 53 bits.
pub(crate) fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn shuffle(v: &mut [usize], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let j = below(rng, i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

/// `k` seeded folds of the positions `0..n` (validation rows of each fold,
/// ascending): with classes, each class is shuffled and dealt round the
/// folds, so every fold keeps the class balance; without, the rows are.
pub fn k_folds(n: usize, classes: Option<&[u32]>, k: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // A stream of its own, apart from the train/test split's.
    rng.set_stream(1);
    let groups: Vec<Vec<usize>> = match classes {
        Some(c) => {
            let k_classes = c.iter().max().map_or(0, |&m| m as usize + 1);
            let mut g = vec![Vec::new(); k_classes];
            for (i, &code) in c.iter().enumerate() {
                g[code as usize].push(i);
            }
            g
        }
        None => vec![(0..n).collect()],
    };
    let mut folds = vec![Vec::new(); k];
    let mut next = 0;
    for mut g in groups {
        shuffle(&mut g, &mut rng);
        for i in g {
            folds[next % k].push(i);
            next += 1;
        }
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    folds
}

fn score(metric: MetricName, truth: &Target, pred: &Target, proba: Option<&Array2<f64>>) -> Result<Option<f64>, String> {
    let v = match (truth, pred) {
        (Target::Classes(t), Target::Classes(p)) => match metric {
            MetricName::Accuracy => accuracy(t, p),
            MetricName::MacroF1 => macro_f1(t, p),
            MetricName::LogLoss => log_loss(t, proba.ok_or("the model gives no probabilities")?),
            MetricName::RocAuc => roc_auc(t, proba.ok_or("the model gives no probabilities")?),
            _ => return Err("a regression metric on classes".into()),
        },
        (Target::Values(t), Target::Values(p)) => match metric {
            MetricName::R2 => r2(t, p),
            MetricName::Rmse => rmse(t, p),
            _ => return Err("a classification metric on values".into()),
        },
        _ => return Err("the prediction is of another kind than the target".into()),
    };
    Ok(v.is_finite().then_some(v))
}

impl SearchData {
    /// The data of a search over `x` and `y` with `folds` folds scored by
    /// `metric`, the folds drawn from `seed`.
    pub fn new(x: Array2<f64>, y: Target, folds: usize, metric: MetricName, seed: u64) -> SearchData {
        let strata = match &y {
            Target::Classes(c) => Some(c.as_slice()),
            Target::Values(_) => None,
        };
        let folds = k_folds(x.nrows(), strata, folds, seed);
        SearchData { x, y, folds, metric, seed }
    }

    /// The validation positions of each fold.
    pub fn folds(&self) -> &[Vec<usize>] {
        &self.folds
    }

    /// Runs one trial over every fold. Pure: the same data and trial give
    /// the same result on any thread, worker or platform. A trial that
    /// cannot be fitted is a result with its error, not a failure of the
    /// search.
    pub fn run_trial(&self, trial: &TrialSpec) -> TrialResult {
        let n = self.x.nrows();
        let mut fold_scores = Vec::with_capacity(self.folds.len());
        let mut error = None;
        for (f, val) in self.folds.iter().enumerate() {
            let mut in_val = vec![false; n];
            val.iter().for_each(|&i| in_val[i] = true);
            let mut train: Vec<usize> = (0..n).filter(|&i| !in_val[i]).collect();
            if trial.row_share < 1.0 {
                // A seeded subsample per fold, the same for every trial of a rung.
                let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
                rng.set_stream(1000 + f as u64);
                shuffle(&mut train, &mut rng);
                let keep = ((train.len() as f64 * trial.row_share).ceil() as usize).clamp(2.min(train.len()), train.len());
                train.truncate(keep);
                train.sort_unstable();
            }
            let x_train = self.x.select(Axis(0), &train);
            let y_train = self.y.pick(&train);
            let x_val = self.x.select(Axis(0), val);
            let y_val = self.y.pick(val);
            let outcome = fit(&trial.model, &x_train, &y_train, self.seed)
                .and_then(|m| m.predict_full(&x_val))
                .map_err(|e| e.to_string())
                .and_then(|(pred, proba)| score(self.metric, &y_val, &pred, proba.as_ref()));
            match outcome {
                Ok(s) => fold_scores.push(s),
                Err(e) => {
                    error = Some(format!("fold {}: {e}", f + 1));
                    break;
                }
            }
        }
        let defined: Vec<f64> = fold_scores.iter().flatten().copied().collect();
        let (mean, std) = if error.is_none() && !defined.is_empty() {
            let m = defined.iter().sum::<f64>() / defined.len() as f64;
            let v = defined.iter().map(|s| (s - m) * (s - m)).sum::<f64>() / defined.len() as f64;
            (Some(m), Some(v.sqrt()))
        } else {
            (None, None)
        };
        TrialResult { trial: trial.clone(), fold_scores, mean, std, error, fit_ms: None }
    }
}

/// A summary of a search's plan, for progress displays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// Most trials the search will run.
    pub trials: usize,
    /// Folds per trial.
    pub folds: usize,
    /// The strategy.
    pub strategy: Strategy,
    /// The metric.
    pub metric: MetricName,
    /// The models searched.
    pub models: Vec<String>,
    /// Rough total seconds by [`estimate_seconds`] (one thread).
    pub estimated_seconds: f64,
}

/// What the manifest records about a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRecord {
    /// The resolved config (spaces, strategy, budget, folds, metric).
    pub config: SearchConfig,
    /// The seed of the folds, draws and fits (the run's seed).
    pub seed: u64,
    /// Trials the plan had room for.
    pub planned: usize,
    /// True when the search was cancelled before its plan was done.
    pub cut_short: bool,
    /// Every finished trial, in index order.
    pub trials: Vec<TrialResult>,
    /// Index of the chosen trial.
    pub best: usize,
}

/// A search in progress: its plan, data and the trials finished so far.
#[derive(Debug, Clone)]
pub struct SearchState {
    config: SearchConfig,
    data: SearchData,
    /// Trials of the current rung (all trials but for halving).
    current: Vec<TrialSpec>,
    /// Halving: candidates promoted per rung and row share per rung.
    rungs: Vec<(usize, f64)>,
    rung: usize,
    planned: usize,
    results: BTreeMap<usize, TrialResult>,
    cancelled: bool,
}

fn better(metric: MetricName, a: f64, b: f64) -> bool {
    if metric.higher_is_better() {
        a > b
    } else {
        a < b
    }
}

impl SearchState {
    /// Plans a search of `config` (already [`SearchConfig::resolve`]d) over
    /// `x` and `y` with `seed`. Checks every candidate against the data
    /// before any trial runs.
    pub fn start(config: SearchConfig, x: Array2<f64>, y: Target, seed: u64) -> Result<SearchState, crate::Error> {
        let task = y.task();
        config.check(task)?;
        let n = x.nrows();
        if config.folds > n / 2 {
            return Err(SearchError::InvalidSetting {
                name: "folds",
                value: config.folds.to_string(),
                allowed: format!("2 to {} for {n} training rows (each fold needs 2 rows)", (n / 2).max(2)),
            }
            .into());
        }
        let metric = config.metric();
        let data = SearchData::new(x, y, config.folds, metric, seed);
        let (candidates, rungs) = match config.strategy {
            Strategy::Grid => (space::grid(&config.spaces, config.grid_points, config.trials, seed)?, vec![]),
            Strategy::Random => (space::random(&config.spaces, config.trials, seed)?, vec![]),
            Strategy::Halving => {
                // n0 + n0/3 + n0/9 + … ≤ trials.
                let n0 = ((config.trials * 2) / 3).max(1);
                let mut rungs = vec![];
                let mut keep = n0;
                loop {
                    rungs.push(keep);
                    if keep <= 1 {
                        break;
                    }
                    keep = keep.div_ceil(3);
                }
                let last = rungs.len() - 1;
                let rungs: Vec<(usize, f64)> =
                    rungs.iter().enumerate().map(|(r, &k)| (k, 3f64.powi(r as i32 - last as i32))).collect();
                (space::random(&config.spaces, n0, seed)?, rungs)
            }
        };
        let classes = data.y.classes();
        let fold_rows = n - n / config.folds;
        for c in &candidates {
            check_fit(c, task, fold_rows, classes).map_err(crate::Error::from)?;
        }
        let share0 = rungs.first().map_or(1.0, |r| r.1);
        let current: Vec<TrialSpec> = candidates
            .into_iter()
            .enumerate()
            .map(|(index, model)| TrialSpec { index, model, rung: 0, row_share: share0 })
            .collect();
        let planned = if rungs.is_empty() { current.len() } else { rungs.iter().map(|r| r.0).sum() };
        Ok(SearchState { config, data, current, rungs, rung: 0, planned, results: BTreeMap::new(), cancelled: false })
    }

    /// A summary of the plan.
    pub fn summary(&self) -> PlanSummary {
        let rows = self.data.x.nrows();
        let width = self.data.x.ncols();
        let fold_rows = rows - rows / self.config.folds;
        let classes = self.data.y.classes();
        let per_trial: Vec<f64> = self
            .current
            .iter()
            .map(|t| estimate_seconds(&t.model, (fold_rows as f64 * t.row_share) as usize, width, classes).0 * self.config.folds as f64)
            .collect();
        let mut total: f64 = per_trial.iter().sum();
        for (k, share) in self.rungs.iter().skip(1) {
            let mean = total / self.current.len().max(1) as f64;
            total += mean * *k as f64 * share / self.rungs[0].1;
        }
        PlanSummary {
            trials: self.planned,
            folds: self.config.folds,
            strategy: self.config.strategy,
            metric: self.config.metric(),
            models: self.config.spaces.iter().map(|s| s.model.clone()).collect(),
            estimated_seconds: total,
        }
    }

    /// The search's data, for running trials elsewhere.
    pub fn data(&self) -> &SearchData {
        &self.data
    }

    /// The trials that can run now and have not finished: the current rung.
    pub fn pending(&self) -> Vec<TrialSpec> {
        if self.cancelled {
            return vec![];
        }
        self.current.iter().filter(|t| !self.results.contains_key(&t.index)).cloned().collect()
    }

    /// Records a trial's result (from [`SearchState::step`], a thread or
    /// another worker). A result for a trial not in the current rung, or
    /// that differs from the plan, is refused. When a halving rung is
    /// complete, the next rung is planned from it.
    pub fn record(&mut self, result: TrialResult) -> Result<(), SearchError> {
        let i = result.trial.index;
        match self.current.iter().find(|t| t.index == i) {
            Some(t) if *t == result.trial => {}
            Some(_) => return Err(SearchError::ForeignTrial { index: i, reason: "its model or rung differs from the plan".into() }),
            None => return Err(SearchError::ForeignTrial { index: i, reason: "it is not in the current plan".into() }),
        }
        self.results.insert(i, result);
        if self.pending().is_empty() && self.rung + 1 < self.rungs.len() {
            self.promote();
        }
        Ok(())
    }

    fn promote(&mut self) {
        let metric = self.config.metric();
        let mut ranked: Vec<&TrialResult> = self.current.iter().filter_map(|t| self.results.get(&t.index)).collect();
        ranked.sort_by(|a, b| rank_order(metric, a, b));
        self.rung += 1;
        let (keep, share) = self.rungs[self.rung];
        let start = self.current.iter().map(|t| t.index).max().map_or(0, |m| m + 1);
        self.current = ranked
            .iter()
            .filter(|r| r.mean.is_some())
            .take(keep)
            .enumerate()
            .map(|(j, r)| TrialSpec { index: start + j, model: r.trial.model.clone(), rung: self.rung, row_share: share })
            .collect();
        self.planned = self.results.len() + self.current.len() + self.rungs[self.rung + 1..].iter().map(|r| r.0).sum::<usize>();
    }

    /// Runs the next pending trial and records it; `None` when the search
    /// is done or cancelled.
    pub fn step(&mut self) -> Option<TrialResult> {
        let next = self.pending().into_iter().next()?;
        let result = self.data.run_trial(&next);
        self.record(result.clone()).expect("a pending trial belongs to the plan");
        Some(result)
    }

    /// Sets the caller's measured duration of a finished trial.
    pub fn set_time(&mut self, index: usize, fit_ms: f64) {
        if let Some(r) = self.results.get_mut(&index) {
            r.fit_ms = (fit_ms.is_finite() && fit_ms >= 0.0).then_some(fit_ms);
        }
    }

    /// Stops the search; finished trials are kept and the record says it
    /// was cut short.
    pub fn cancel(&mut self) {
        if !self.is_done() {
            self.cancelled = true;
        }
    }

    /// True when every planned trial has finished (or it was cancelled).
    pub fn is_done(&self) -> bool {
        self.cancelled || self.pending().is_empty()
    }

    /// Finished trials in index order.
    pub fn results(&self) -> Vec<TrialResult> {
        self.results.values().cloned().collect()
    }

    /// Finished trials best first (ties by index); unscored ones last.
    pub fn leaderboard(&self) -> Vec<TrialResult> {
        let metric = self.config.metric();
        let mut v = self.results();
        v.sort_by(|a, b| rank_order(metric, a, b));
        v
    }

    /// The record of the search, with the chosen trial: the best of the
    /// last rung that has scores.
    pub fn record_of(&self) -> Result<SearchRecord, SearchError> {
        let metric = self.config.metric();
        let top_rung = self.results.values().filter(|r| r.mean.is_some()).map(|r| r.trial.rung).max();
        let best = self
            .results
            .values()
            .filter(|r| Some(r.trial.rung) == top_rung)
            .min_by(|a, b| rank_order(metric, a, b))
            .filter(|r| r.mean.is_some())
            .ok_or(SearchError::NothingToChoose { finished: self.results.len(), planned: self.planned })?;
        Ok(SearchRecord {
            config: self.config.clone(),
            seed: self.data.seed,
            planned: self.planned,
            cut_short: self.cancelled,
            trials: self.results(),
            best: best.trial.index,
        })
    }
}

fn rank_order(metric: MetricName, a: &TrialResult, b: &TrialResult) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.mean, b.mean) {
        (Some(x), Some(y)) if better(metric, x, y) => Ordering::Less,
        (Some(x), Some(y)) if better(metric, y, x) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => a.trial.index.cmp(&b.trial.index),
    }
}

#[cfg(test)]
mod tests;
