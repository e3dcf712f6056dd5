//! Model learning, the search: which models and hyperparameters to try,
//! cross-validation folds, and the leaderboard.
//!
//! Takes the training rows of a run; gives a plan of candidate
//! [`ModelSpec`]s (a default space per model, grid or seeded random
//! choice), k folds (stratified for classification, seeded), and one
//! [`Trial`] per candidate. A trial is a pure function of the data, the
//! folds, the candidate and the seed, so trials can run one step at a
//! time, in any order, and the leaderboard is the same. No clock: trial
//! durations come from the caller. No wasm here.

mod space;

pub use space::{grid_from_spaces, spaces_json};
pub(crate) use space::in_words;

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::data::shuffle;
use crate::train::{Kernel, ModelSpec, Task};

/// Default number of cross-validation folds.
pub const DEFAULT_FOLDS: usize = 3;
/// Most folds allowed.
pub const MAX_FOLDS: usize = 20;
/// Fewest rows of a fold an early successive-halving rung trains on.
pub const HALVING_MIN_ROWS: usize = 30;
/// Most trials one search may plan.
pub const MAX_TRIALS: usize = 500;
/// Candidates a random search draws when not told how many (the page's
/// default too): a random search of the whole grid is the grid.
pub const RANDOM_TRIALS: usize = 8;

/// How candidates are chosen from the space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// No search: one model with the given or default hyperparameters.
    None,
    /// Every point of the grid, in order (up to the trial budget).
    Grid,
    /// A seeded random choice of grid points, without repeats.
    Random,
    /// Successive halving: a seeded random choice of grid points tried on a
    /// share of each fold's rows, the best third promoted to three times
    /// the rows, until one candidate runs on all of them.
    Halving,
}

/// The metric trials are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankMetric {
    /// Share correct (classification).
    Accuracy,
    /// Macro-averaged F1 (classification).
    MacroF1,
    /// Coefficient of determination (regression).
    R2,
    /// Root mean squared error, lower is better (regression).
    Rmse,
    /// Log loss of the class probabilities, lower is better (classification).
    LogLoss,
    /// ROC AUC of the class probabilities, one-vs-rest macro for more than
    /// two classes (classification).
    RocAuc,
}

impl RankMetric {
    /// The metric's name as in the manifest's metrics.
    pub fn name(self) -> &'static str {
        match self {
            RankMetric::Accuracy => "accuracy",
            RankMetric::MacroF1 => "macro_f1",
            RankMetric::R2 => "r2",
            RankMetric::Rmse => "rmse",
            RankMetric::LogLoss => "log_loss",
            RankMetric::RocAuc => "roc_auc",
        }
    }

    /// Whether a larger value is better.
    pub fn greater_is_better(self) -> bool {
        !matches!(self, RankMetric::Rmse | RankMetric::LogLoss)
    }

    /// Whether the metric scores class probabilities.
    pub fn needs_probabilities(self) -> bool {
        matches!(self, RankMetric::LogLoss | RankMetric::RocAuc)
    }

    /// The metric of this name, as the command and a config file spell it.
    pub fn from_name(name: &str) -> Option<RankMetric> {
        [RankMetric::Accuracy, RankMetric::MacroF1, RankMetric::R2, RankMetric::Rmse, RankMetric::LogLoss, RankMetric::RocAuc]
            .into_iter()
            .find(|m| m.name() == name)
    }

    /// The default for a task.
    pub fn default_for(task: Task) -> RankMetric {
        match task {
            Task::Classification => RankMetric::Accuracy,
            Task::Regression => RankMetric::R2,
        }
    }

    /// Whether the metric applies to `task`.
    pub fn fits(self, task: Task) -> bool {
        match self {
            RankMetric::Accuracy | RankMetric::MacroF1 | RankMetric::LogLoss | RankMetric::RocAuc => task == Task::Classification,
            RankMetric::R2 | RankMetric::Rmse => task == Task::Regression,
        }
    }
}

/// The models that can do `task` (named as the task is), comma-separated.
pub fn models_for(task: &str) -> String {
    let task = if task == "regression" { Task::Regression } else { Task::Classification };
    default_models(task).join(", ")
}

/// The metrics that apply to `task` (named as the task is), comma-separated.
pub fn metrics_for(task: &str) -> String {
    let task = if task == "regression" { Task::Regression } else { Task::Classification };
    [RankMetric::Accuracy, RankMetric::MacroF1, RankMetric::LogLoss, RankMetric::RocAuc, RankMetric::R2, RankMetric::Rmse]
        .into_iter()
        .filter(|m| m.fits(task))
        .map(RankMetric::name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every model name the search knows, in display order.
pub const MODEL_NAMES: [&str; 13] = [
    "random_forest",
    "decision_tree",
    "knn",
    "logistic",
    "gaussian_nb",
    "svc",
    "linear",
    "ridge",
    "lasso",
    "elastic_net",
    "extra_trees",
    "svr",
    "gbt",
];

/// Short names the command also accepts, as issue 5 spells them, and the
/// model each stands for.
pub const MODEL_ALIASES: [(&str, &str); 2] = [("tree", "decision_tree"), ("forest", "random_forest")];

/// The model name `name` stands for (itself, or the model of an alias).
pub fn canonical_name(name: &str) -> Option<&'static str> {
    MODEL_NAMES.iter().copied().find(|n| *n == name).or_else(|| MODEL_ALIASES.iter().find(|(a, _)| *a == name).map(|(_, n)| *n))
}

/// Models whose results can differ in the last bits between native and
/// wasm builds, so a run may not replay exactly on the other platform;
/// searched only when named. Empty since native builds take `exp`/`ln`
/// from `libm` as wasm does ([`crate::portable_math`]): logistic
/// regression, once here (one breast-cancer fold's accuracy moved from
/// 0.9231 native to 0.9441 in wasm), now replays bit for bit.
pub const PLATFORM_DEPENDENT: [&str; 0] = [];

/// The default models searched for a task: every model that supports it
/// and replays exactly on every platform.
pub fn default_models(task: Task) -> Vec<String> {
    MODEL_NAMES
        .iter()
        .filter(|n| !PLATFORM_DEPENDENT.contains(n))
        .filter(|n| default_space(n).is_some_and(|s| s[0].supports(task)))
        .map(|n| n.to_string())
        .collect()
}

/// The default grid for a model name, or `None` for an unknown name.
pub fn default_space(name: &str) -> Option<Vec<ModelSpec>> {
    let tree = |max_depth, min_samples_leaf| ModelSpec::DecisionTree { max_depth, min_samples_leaf, min_samples_split: 2 };
    let svc = |kernel, c| ModelSpec::Svc { kernel, c, gamma: None };
    let svr = |kernel, c| ModelSpec::Svr { kernel, c, epsilon: 0.1, gamma: None };
    let gbt = |n_estimators, max_depth, learning_rate| ModelSpec::Gbt { n_estimators, max_depth, learning_rate, lambda: 1.0, subsample: 1.0 };
    Some(match canonical_name(name)? {
        "random_forest" => vec![
            ModelSpec::RandomForest { n_trees: 100, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
            ModelSpec::RandomForest { n_trees: 100, max_depth: Some(8), min_samples_leaf: 1, min_samples_split: 2 },
        ],
        "decision_tree" => vec![tree(Some(3), 1), tree(Some(6), 1), tree(None, 1), tree(Some(6), 5), tree(None, 5)],
        "knn" => [3, 7, 15].iter().map(|&k| ModelSpec::Knn { k }).collect(),
        "logistic" => [0.0, 1.0, 10.0].iter().map(|&alpha| ModelSpec::Logistic { alpha }).collect(),
        "gaussian_nb" => vec![ModelSpec::GaussianNb],
        "ridge" => [0.01, 0.1, 1.0, 10.0].iter().map(|&alpha| ModelSpec::Ridge { alpha }).collect(),
        "lasso" => [0.01, 0.1, 1.0].iter().map(|&alpha| ModelSpec::Lasso { alpha }).collect(),
        "svc" => vec![svc(Kernel::Rbf, 1.0), svc(Kernel::Rbf, 10.0), svc(Kernel::Linear, 1.0)],
        "linear" => vec![ModelSpec::Linear],
        "elastic_net" => [(0.01, 0.5), (0.1, 0.5), (1.0, 0.5), (0.1, 0.2), (0.1, 0.8)]
            .iter()
            .map(|&(alpha, l1_ratio)| ModelSpec::ElasticNet { alpha, l1_ratio })
            .collect(),
        "extra_trees" => vec![
            ModelSpec::ExtraTrees { n_trees: 100, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
            ModelSpec::ExtraTrees { n_trees: 100, max_depth: Some(8), min_samples_leaf: 1, min_samples_split: 2 },
        ],
        "svr" => vec![svr(Kernel::Rbf, 1.0), svr(Kernel::Rbf, 10.0), svr(Kernel::Linear, 1.0)],
        "gbt" => vec![gbt(100, 3, 0.1), gbt(200, 3, 0.05), gbt(100, 5, 0.1)],
        _ => return None,
    })
}

/// The one model `--search none` fits for a model name: scikit-learn's
/// defaults for that estimator (logistic regression's C = 1 is alpha 1,
/// ridge, lasso and elastic net alpha 1 and an l1_ratio of 0.5, k-NN k = 5,
/// a tree with no depth limit, the forests', support-vector models' and
/// gradient boosting's first grid points), or `None` for an unknown name.
/// The first grid point had been used: unpenalised logistic regression,
/// whose weights run to infinity on separable or rare classes.
pub fn single_default(name: &str) -> Option<ModelSpec> {
    Some(match canonical_name(name)? {
        "logistic" => ModelSpec::Logistic { alpha: 1.0 },
        "ridge" => ModelSpec::Ridge { alpha: 1.0 },
        "lasso" => ModelSpec::Lasso { alpha: 1.0 },
        "elastic_net" => ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 0.5 },
        "knn" => ModelSpec::Knn { k: 5 },
        "decision_tree" => ModelSpec::DecisionTree { max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
        other => default_space(other)?.into_iter().next()?,
    })
}

/// The order of a leaderboard: better mean first, unscored last, ties by index.
pub fn rank_order(metric: RankMetric, a: &Trial, b: &Trial) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.mean, b.mean) {
        (Some(x), Some(y)) if x != y => {
            let o = y.total_cmp(&x);
            if metric.greater_is_better() {
                o
            } else {
                o.reverse()
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => a.index.cmp(&b.index),
    }
}

/// Errors in a search's set-up.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum SearchError {
    /// A model name the search does not know.
    #[error("unknown model \"{name}\"; known models: {known}")]
    UnknownModel {
        /// The name given.
        name: String,
        /// The names known.
        known: String,
    },
    /// A model that cannot do the task.
    #[error("model {name} cannot be used for {task}; the models for {task} are {}", models_for(task))]
    WrongTask {
        /// The model.
        name: String,
        /// The task.
        task: &'static str,
    },
    /// A metric that does not fit the task.
    #[error("metric {metric} does not apply to {task}; the metrics for {task} are {}{}", metrics_for(task), if *inferred { "; the task was inferred from the target: to rank by this metric, set the task (--task, or Task in the page)" } else { "" })]
    WrongMetric {
        /// The metric.
        metric: &'static str,
        /// The task.
        task: &'static str,
        /// Whether the task was inferred, not set.
        inferred: bool,
    },
    /// Folds outside the allowed range or more than the rows allow.
    #[error("folds = {folds} is out of range: allowed 2 to {max}{why}")]
    BadFolds {
        /// Folds asked for.
        folds: usize,
        /// Largest allowed here.
        max: usize,
        /// What sets the largest, when the data does (" here (…)"), else "".
        why: &'static str,
    },
    /// Too few training rows in some class to cross-validate at all.
    #[error(
        "the smallest {} has only {smallest} training row{}, too few to cross-validate (at least 2 are needed); turn the search off (--search none, or Search \"None\" in the page) or use more data{}",
        if *classes { "class" } else { "group" },
        if *smallest == 1 { "" } else { "s" },
        if *classes { "; if the target holds amounts rather than classes, choose regression" } else { "" }
    )]
    TooFewForFolds {
        /// Rows in the smallest class (or all rows for regression).
        smallest: usize,
        /// Whether the groups are classes.
        classes: bool,
    },
    /// A trial budget of zero or too many.
    #[error("a budget of {trials} trials is out of range: allowed 1 to {max}")]
    BadTrials {
        /// Trials asked for.
        trials: usize,
        /// The limit.
        max: usize,
    },
    /// Several models named but no search to choose between them.
    #[error("{given} models named but the search is off; name one model, or turn the search on")]
    OneModelWithoutSearch {
        /// Models named.
        given: usize,
    },
    /// No models to search.
    #[error("no models to search")]
    NoModels,
    /// Every model of the default search was left out for this data (too
    /// slow, or unable to take it); each with its reason.
    #[error("every model of the search was left out for this data: {reasons}")]
    AllLeftOut {
        /// `model: reason`, joined by `; `.
        reasons: String,
    },
    /// A search configuration (`--config`, the page's editor) that is not valid.
    #[error("search configuration, {field}: {message}")]
    BadConfig {
        /// The field, as a path, e.g. `spaces.svc.c[1]`.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A trial result that does not belong to the search's current plan.
    #[error("trial {index} cannot be recorded: {reason}")]
    ForeignTrial {
        /// The trial's index.
        index: usize,
        /// Why.
        reason: String,
    },
}

impl SearchError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::UnknownModel { .. } => "unknown_model",
            SearchError::WrongTask { .. } => "wrong_task",
            SearchError::WrongMetric { .. } => "wrong_metric",
            SearchError::BadFolds { .. } => "bad_folds",
            SearchError::BadTrials { .. } => "bad_trials",
            SearchError::TooFewForFolds { .. } => "too_few_for_folds",
            SearchError::NoModels | SearchError::AllLeftOut { .. } => "no_models",
            SearchError::OneModelWithoutSearch { .. } => "one_model_without_search",
            SearchError::BadConfig { .. } => "bad_search_config",
            SearchError::ForeignTrial { .. } => "foreign_trial",
        }
    }
}

/// The grid of `models`: each model's default space, in order.
pub fn models_grid(models: &[String], task: Task) -> Result<Vec<ModelSpec>, SearchError> {
    if models.is_empty() {
        return Err(SearchError::NoModels);
    }
    let mut grid = Vec::new();
    for name in models {
        let space = default_space(name).ok_or_else(|| SearchError::UnknownModel { name: name.clone(), known: MODEL_NAMES.join(", ") })?;
        if !space[0].supports(task) {
            return Err(SearchError::WrongTask { name: name.clone(), task: task.as_str() });
        }
        grid.extend(space);
    }
    Ok(grid)
}

/// The candidates to try: the grids of `models` in order, all of them
/// (grid) or a seeded random choice (random, halving), at most `trials`.
pub fn plan(models: &[String], task: Task, strategy: Strategy, trials: usize, seed: u64) -> Result<Vec<ModelSpec>, SearchError> {
    plan_grid(models_grid(models, task)?, strategy, trials, usize::MAX, seed)
}

/// The first rung's candidates from `grid`: all of it in order (grid) or a
/// seeded shuffle (random, halving), at most `trials` (for halving, the
/// first rung's share of the budget, see [`halving_rungs`]).
pub fn plan_grid(mut grid: Vec<ModelSpec>, strategy: Strategy, trials: usize, fold_rows: usize, seed: u64) -> Result<Vec<ModelSpec>, SearchError> {
    if grid.is_empty() {
        return Err(SearchError::NoModels);
    }
    if trials == 0 || trials > MAX_TRIALS {
        return Err(SearchError::BadTrials { trials, max: MAX_TRIALS });
    }
    if matches!(strategy, Strategy::Random | Strategy::Halving) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EA5_C0DE);
        shuffle(&mut grid, &mut rng);
    }
    let first = match strategy {
        Strategy::Halving => halving_rungs(grid.len(), trials, fold_rows)[0].0,
        _ => trials,
    };
    grid.truncate(first);
    Ok(grid)
}

/// Successive halving's rungs for `candidates` grid points and a budget of
/// `trials`: how many candidates each rung runs and the share of each
/// fold's training rows they see. The first rung takes about two thirds of
/// the budget (n + n/3 + n/9 + … ≤ trials), each later rung the best third
/// of the one before on three times the rows, the last one all of them.
/// No rung sees fewer than [`HALVING_MIN_ROWS`] of a fold's `fold_rows`
/// training rows: small data gets fewer rungs.
pub fn halving_rungs(candidates: usize, trials: usize, fold_rows: usize) -> Vec<(usize, f64)> {
    let n0 = ((trials * 2) / 3).max(1).min(candidates.max(1));
    let mut most = 1;
    let mut rows = fold_rows as f64;
    while rows / 3.0 >= HALVING_MIN_ROWS as f64 {
        most += 1;
        rows /= 3.0;
    }
    let mut keep = vec![n0];
    while let Some(&k) = keep.last() {
        if k <= 1 || keep.len() >= most {
            break;
        }
        keep.push(k.div_ceil(3));
    }
    let last = keep.len() - 1;
    keep.iter().enumerate().map(|(r, &k)| (k, 3f64.powi(r as i32 - last as i32))).collect()
}

/// Rows in the smallest class (all rows without classes): the most folds possible.
pub fn max_folds(n: usize, classes: Option<&[u32]>) -> usize {
    match classes {
        None => n,
        Some(c) => {
            let k = c.iter().max().map_or(0, |&m| m as usize + 1);
            let mut counts = vec![0usize; k];
            for &x in c {
                counts[x as usize] += 1;
            }
            counts.into_iter().filter(|&x| x > 0).min().unwrap_or(0)
        }
    }
}

/// k folds over positions `0..n` of the training rows: each fold's
/// validation positions, ascending, stratified by `classes` when given.
pub fn folds(n: usize, classes: Option<&[u32]>, k: usize, seed: u64) -> Result<Vec<Vec<usize>>, SearchError> {
    if !(2..=MAX_FOLDS).contains(&k) {
        return Err(SearchError::BadFolds { folds: k, max: MAX_FOLDS, why: "" });
    }
    let mut groups: Vec<Vec<usize>> = match classes {
        None => vec![(0..n).collect()],
        Some(c) => {
            let k_classes = c.iter().max().map_or(0, |&m| m as usize + 1);
            let mut g = vec![Vec::new(); k_classes];
            for (p, &x) in c.iter().enumerate() {
                g[x as usize].push(p);
            }
            g.retain(|g| !g.is_empty());
            g
        }
    };
    let smallest = groups.iter().map(Vec::len).min().unwrap_or(0);
    if smallest < 2 {
        return Err(SearchError::TooFewForFolds { smallest, classes: classes.is_some() });
    }
    if k > smallest {
        let why = if classes.is_some() { " here (at most the rows of the smallest class in training)" } else { " here (at most the training rows)" };
        return Err(SearchError::BadFolds { folds: k, max: smallest.clamp(1, MAX_FOLDS), why });
    }
    // Shuffle each class with the seed, then deal rows to the folds in
    // turn, so every fold gets its share of every class.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xF01D_5EED);
    let mut out = vec![Vec::new(); k];
    let mut next = 0;
    for g in &mut groups {
        shuffle(g, &mut rng);
        for &p in g.iter() {
            out[next % k].push(p);
            next += 1;
        }
    }
    for f in &mut out {
        f.sort_unstable();
    }
    Ok(out)
}

/// One candidate's cross-validated result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trial {
    /// Position in the plan.
    pub index: usize,
    /// The candidate.
    pub model: ModelSpec,
    /// Successive halving's rung (0 for the other strategies).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rung: usize,
    /// Share of each fold's training rows the trial saw, when not all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_share: Option<f64>,
    /// The ranking metric on each fold, in fold order; `None` where undefined.
    pub fold_scores: Vec<Option<f64>>,
    /// Mean of the defined fold scores.
    pub mean: Option<f64>,
    /// Sample standard deviation of the defined fold scores.
    pub std: Option<f64>,
    /// Why the candidate could not be fitted, if it could not.
    pub error: Option<String>,
    /// Milliseconds the trial took, measured by the caller (not replayed).
    pub duration_ms: Option<f64>,
}

fn is_zero(v: &usize) -> bool {
    *v == 0
}

/// A trial that can run: which candidate, and for successive halving its
/// rung and share of rows. [`crate::run::Run::pending`] gives them;
/// [`crate::run::Run::run_trial`] runs one anywhere (a thread, a worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrialSpec {
    /// Position in the leaderboard, from 0.
    pub index: usize,
    /// The candidate.
    pub model: ModelSpec,
    /// Successive halving's rung (0 for the other strategies).
    #[serde(default)]
    pub rung: usize,
    /// Share of each fold's training rows to use; all when none.
    #[serde(default)]
    pub row_share: Option<f64>,
}

impl TrialSpec {
    /// Whether `trial` is the result of this spec.
    pub fn matches(&self, trial: &Trial) -> bool {
        self.index == trial.index && self.model == trial.model && self.rung == trial.rung && self.row_share == trial.row_share
    }
}

/// Mean and sample standard deviation of the defined scores.
pub fn summarise(scores: &[Option<f64>]) -> (Option<f64>, Option<f64>) {
    let v: Vec<f64> = scores.iter().flatten().copied().collect();
    if v.is_empty() {
        return (None, None);
    }
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let std = (v.len() > 1).then(|| (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (v.len() - 1) as f64).sqrt());
    (mean.is_finite().then_some(mean), std.filter(|s| s.is_finite()))
}

/// The index of the best trial: best mean, ties to the earlier trial; of
/// successive halving's trials, the best of the highest rung with a score.
pub fn best(trials: &[Trial], metric: RankMetric) -> Option<usize> {
    let top = trials.iter().filter(|t| t.mean.is_some()).map(|t| t.rung).max()?;
    let mut best: Option<(usize, f64)> = None;
    for t in trials.iter().filter(|t| t.rung == top) {
        let Some(m) = t.mean else { continue };
        let better = match best {
            None => true,
            Some((_, b)) => {
                if metric.greater_is_better() {
                    m > b
                } else {
                    m < b
                }
            }
        };
        if better {
            best = Some((t.index, m));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn folds_cover_every_row_once_and_keep_classes() {
        let classes: Vec<u32> = (0..30).map(|i| (i % 3 == 0) as u32).collect();
        let f = folds(30, Some(&classes), 5, 9).unwrap();
        let mut all: Vec<usize> = f.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..30).collect::<Vec<_>>());
        for fold in &f {
            assert_eq!(fold.len(), 6);
            assert_eq!(fold.iter().filter(|&&p| classes[p] == 1).count(), 2);
        }
        assert_eq!(f, folds(30, Some(&classes), 5, 9).unwrap());
        assert_ne!(f, folds(30, Some(&classes), 5, 10).unwrap());
    }

    #[test]
    fn bad_set_ups_are_named() {
        assert_eq!(folds(10, None, 1, 0).unwrap_err().code(), "bad_folds");
        assert_eq!(folds(10, Some(&[0, 0, 0, 1, 1, 1, 1, 1, 1, 1]), 4, 0).unwrap_err().code(), "bad_folds");
        // Each message names what sets the limit: classes have a smallest
        // class, numbers only rows.
        assert_eq!(folds(10, Some(&[0, 0, 0, 1, 1, 1, 1, 1, 1, 1]), 4, 0).unwrap_err().to_string(), "folds = 4 is out of range: allowed 2 to 3 here (at most the rows of the smallest class in training)");
        assert_eq!(folds(5, None, 8, 0).unwrap_err().to_string(), "folds = 8 is out of range: allowed 2 to 5 here (at most the training rows)");
        assert_eq!(folds(50, None, 1, 0).unwrap_err().to_string(), format!("folds = 1 is out of range: allowed 2 to {MAX_FOLDS}"));
        let m = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(plan(&m(&["nope"]), Task::Regression, Strategy::Grid, 10, 0).unwrap_err().code(), "unknown_model");
        assert_eq!(plan(&m(&["ridge"]), Task::Classification, Strategy::Grid, 10, 0).unwrap_err().code(), "wrong_task");
        assert_eq!(plan(&m(&["knn"]), Task::Regression, Strategy::Grid, 0, 0).unwrap_err().code(), "bad_trials");
        assert_eq!(plan(&[], Task::Regression, Strategy::Grid, 5, 0).unwrap_err().code(), "no_models");
    }

    #[test]
    fn random_plans_are_seeded_subsets_of_the_grid() {
        let models = default_models(Task::Classification);
        assert!(models.contains(&"logistic".to_string()));
        let grid = plan(&models, Task::Classification, Strategy::Grid, MAX_TRIALS, 0).unwrap();
        let a = plan(&models, Task::Classification, Strategy::Random, 5, 1).unwrap();
        assert_eq!(a.len(), 5);
        assert!(a.iter().all(|c| grid.contains(c)));
        assert_eq!(a, plan(&models, Task::Classification, Strategy::Random, 5, 1).unwrap());
        assert_ne!(a, plan(&models, Task::Classification, Strategy::Random, 5, 2).unwrap());
    }

    #[test]
    fn best_prefers_the_metric_direction_and_the_earlier_tie() {
        let t = |index, mean| Trial { index, model: ModelSpec::GaussianNb, rung: 0, row_share: None, fold_scores: vec![], mean, std: None, error: None, duration_ms: None };
        let trials = [t(0, Some(0.5)), t(1, Some(0.9)), t(2, Some(0.9)), t(3, None)];
        assert_eq!(best(&trials, RankMetric::Accuracy), Some(1));
        assert_eq!(best(&trials, RankMetric::Rmse), Some(0));
    }
}
