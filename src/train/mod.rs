//! Model learning: model specs as data, validated, then fitted by smartcore.
//!
//! Takes a prepared matrix (`ndarray::Array2<f64>`, finite by construction),
//! a target (class codes or values) and a seed; gives a [`TrainedModel`]
//! that predicts on matrices of the same width, and class probabilities
//! where the model has them. Every parameter is checked by
//! [`ModelSpec::validate`] (and against the data by [`check_fit`]) before
//! smartcore sees it, because smartcore panics on some inputs and a panic
//! kills the wasm instance. No wasm here.

mod fit;

pub use fit::{fit, TrainedModel};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Most classes a classification target may have.
pub const MAX_CLASSES: usize = 200;
/// Most trees in a forest.
pub const MAX_TREES: u16 = 1_000;
/// Deepest tree allowed.
pub const MAX_DEPTH: u16 = 64;
/// Most training rows a support-vector model accepts: its solver grows
/// with the square of the rows.
pub const MAX_SVM_ROWS: usize = 5_000;
/// Most classes for SVC, which fits one model per pair of classes.
pub const MAX_SVC_CLASSES: usize = 20;
/// Most neighbours for k-NN.
pub const MAX_K: usize = 1_000;

/// Errors from validating options or fitting a model.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TrainError {
    /// A hyperparameter outside its allowed range.
    #[error("parameter {name} = {value} is out of range: allowed {allowed}")]
    InvalidParameter {
        /// Parameter name as in the manifest.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// A model used for a task it cannot do.
    #[error("model {model} does not do {task}; {hint}")]
    WrongTask {
        /// The model name.
        model: &'static str,
        /// The task asked for.
        task: &'static str,
        /// Which models do.
        hint: &'static str,
    },
    /// A model asked for more than its algorithm handles.
    #[error("model {model} cannot take this job: {reason}")]
    TooLargeForModel {
        /// The model name.
        model: &'static str,
        /// What is over which limit, with the estimate.
        reason: String,
    },
    /// Too few rows to fit.
    #[error("need at least {needed} training rows, found {found}")]
    TooFewRows {
        /// Rows required.
        needed: usize,
        /// Rows available.
        found: usize,
    },
    /// A classification target with one class.
    #[error("target \"{target}\" has only one class (\"{class}\") in the training rows; a classifier needs at least two")]
    OneClass {
        /// Target column.
        target: String,
        /// The only class.
        class: String,
    },
    /// A classification target with too many classes.
    #[error("target \"{target}\" has {classes} classes, over the limit of {limit}; is it an identifier or a continuous value? choose regression or another column")]
    TooManyClasses {
        /// Target column.
        target: String,
        /// Classes found.
        classes: usize,
        /// The limit.
        limit: usize,
    },
    /// Regression asked for a text target.
    #[error("target \"{target}\" holds text, so it cannot be used for regression; choose classification")]
    TextTargetForRegression {
        /// Target column.
        target: String,
    },
    /// Every target value is missing.
    #[error("target \"{target}\" has no values")]
    EmptyTarget {
        /// Target column.
        target: String,
    },
    /// The matrix has a value that is not finite.
    #[error("feature column {column} has a value that is not finite at training row {row}")]
    NonFinite {
        /// 0-based feature position.
        column: usize,
        /// 0-based training row.
        row: usize,
    },
    /// Prediction input of another width than training.
    #[error("the model was trained on {expected} feature columns but was given {found}")]
    WidthMismatch {
        /// Width at fit time.
        expected: usize,
        /// Width now.
        found: usize,
    },
    /// x and y lengths differ.
    #[error("{rows} feature rows but {targets} target values")]
    LengthMismatch {
        /// Rows of x.
        rows: usize,
        /// Length of y.
        targets: usize,
    },
    /// The job would take longer than allowed, by our estimate.
    #[error("training would take about {seconds:.1} s by a rough estimate ({detail}), over the limit of {limit} s; use a smaller model or search, or sample the rows")]
    OverBudget {
        /// Estimated seconds.
        seconds: f64,
        /// The limit.
        limit: f64,
        /// What the estimate is made of.
        detail: String,
    },
    /// smartcore reported a failure (wrapped, never passed through).
    #[error("the model could not be fitted: {message}")]
    Fit {
        /// smartcore's message.
        message: String,
    },
}

impl TrainError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TrainError::InvalidParameter { .. } => "invalid_parameter",
            TrainError::WrongTask { .. } => "wrong_task",
            TrainError::TooLargeForModel { .. } => "too_large_for_model",
            TrainError::TooFewRows { .. } => "too_few_rows",
            TrainError::OneClass { .. } => "one_class",
            TrainError::TooManyClasses { .. } => "too_many_classes",
            TrainError::TextTargetForRegression { .. } => "text_target_for_regression",
            TrainError::EmptyTarget { .. } => "empty_target",
            TrainError::NonFinite { .. } => "non_finite",
            TrainError::WidthMismatch { .. } => "width_mismatch",
            TrainError::LengthMismatch { .. } => "length_mismatch",
            TrainError::OverBudget { .. } => "over_budget",
            TrainError::Fit { .. } => "fit_failed",
        }
    }
}

/// What is being predicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// A class label.
    Classification,
    /// A number.
    Regression,
}

impl Task {
    /// The name used in options and the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Task::Classification => "classification",
            Task::Regression => "regression",
        }
    }
}

/// The kernel of a support-vector model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// `x · y`.
    Linear,
    /// `exp(-gamma |x - y|²)`.
    Rbf,
}

/// How k-NN weighs its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnnWeights {
    /// Every neighbour counts the same.
    Uniform,
    /// Each neighbour counts by the inverse of its distance.
    Distance,
}

/// A model and its hyperparameters, as recorded in the manifest.
///
/// Models that depend on the scale of the features (logistic, k-NN, SVC,
/// SVR) standardise the matrix themselves, with the mean and standard
/// deviation of the rows they are fitted on — scikit-learn's
/// `make_pipeline(StandardScaler(), model)`.
///
/// ```
/// use mlcycle::train::ModelSpec;
/// let spec: ModelSpec = serde_json::from_str(r#"{"kind":"ridge","alpha":0.5}"#).unwrap();
/// assert_eq!(spec.name(), "ridge");
/// assert!(spec.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    /// Logistic regression with an L2 penalty (classification).
    Logistic {
        /// Inverse regularisation strength, as scikit-learn's `C`; > 0, at most 1e6.
        c: f64,
    },
    /// One decision tree (classifier or regressor by task).
    Tree {
        /// Depth limit, 1..=64, or none.
        max_depth: Option<u16>,
        /// Fewest rows in a leaf, at least 1.
        min_samples_leaf: usize,
        /// Fewest rows to split a node, at least 2.
        min_samples_split: usize,
    },
    /// smartcore's random forest (classifier or regressor by task). Reads
    /// the earlier name `random_forest` too.
    #[serde(alias = "random_forest")]
    Forest {
        /// Trees in the forest, 1..=1000.
        n_trees: u16,
        /// Depth limit, 1..=64, or none.
        max_depth: Option<u16>,
        /// Fewest rows in a leaf, at least 1.
        min_samples_leaf: usize,
        /// Fewest rows to split a node, at least 2.
        min_samples_split: usize,
    },
    /// k nearest neighbours by Euclidean distance (classifier or regressor).
    Knn {
        /// Neighbours, 1..=1000 and at most the training rows.
        k: usize,
        /// Weighting of the neighbours.
        weights: KnnWeights,
    },
    /// Gaussian naive Bayes (classification).
    GaussianNb,
    /// Support-vector classifier, one-vs-one for more than two classes.
    Svc {
        /// Kernel.
        kernel: Kernel,
        /// Penalty `C`; > 0, at most 1e6.
        c: f64,
        /// RBF width; none means scikit-learn's `"scale"`, 1 / (width × variance).
        gamma: Option<f64>,
    },
    /// Ordinary least squares (regression).
    Linear,
    /// Least squares with an L2 penalty (regression).
    Ridge {
        /// Penalty, ≥ 0, at most 1e6.
        alpha: f64,
    },
    /// Least squares with an L1 penalty (regression).
    Lasso {
        /// Penalty, > 0, at most 1e6.
        alpha: f64,
    },
    /// Least squares with L1 and L2 penalties (regression).
    ElasticNet {
        /// Penalty, > 0, at most 1e6.
        alpha: f64,
        /// Share of L1 in the penalty, 0..=1.
        l1_ratio: f64,
    },
    /// Extremely randomised trees (regression).
    ExtraTrees {
        /// Trees, 1..=1000.
        n_trees: u16,
        /// Depth limit, 1..=64, or none.
        max_depth: Option<u16>,
        /// Fewest rows in a leaf, at least 1.
        min_samples_leaf: usize,
        /// Fewest rows to split a node, at least 2.
        min_samples_split: usize,
    },
    /// Support-vector regression.
    Svr {
        /// Kernel.
        kernel: Kernel,
        /// Penalty `C`; > 0, at most 1e6.
        c: f64,
        /// Width of the insensitive tube, ≥ 0.
        epsilon: f64,
        /// RBF width; none means scikit-learn's `"scale"`.
        gamma: Option<f64>,
    },
    /// Gradient-boosted trees, smartcore's `XGRegressor` (regression).
    Gbt {
        /// Boosting rounds, 1..=1000.
        n_estimators: u16,
        /// Depth of each tree, 1..=16.
        max_depth: u16,
        /// Shrinkage, (0, 1].
        learning_rate: f64,
        /// L2 penalty on leaf weights, ≥ 0.
        lambda: f64,
        /// Share of rows drawn for each tree, (0, 1].
        subsample: f64,
    },
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::Forest { n_trees: 100, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }
    }
}

/// Every model name, in the order of the command's `--models` list.
pub const MODEL_NAMES: [&str; 13] = [
    "logistic", "tree", "forest", "knn", "gaussian_nb", "svc", "linear", "ridge", "lasso", "elastic_net", "extra_trees",
    "svr", "gbt",
];

fn bad(name: &'static str, value: impl ToString, allowed: &'static str) -> TrainError {
    TrainError::InvalidParameter { name, value: value.to_string(), allowed }
}

fn check_positive(name: &'static str, v: f64, allowed: &'static str, zero_ok: bool, max: f64) -> Result<(), TrainError> {
    let ok = v.is_finite() && v <= max && if zero_ok { v >= 0.0 } else { v > 0.0 };
    if ok {
        Ok(())
    } else {
        Err(bad(name, v, allowed))
    }
}

fn check_trees(n_trees: u16, max_depth: Option<u16>, leaf: usize, split: usize) -> Result<(), TrainError> {
    if n_trees == 0 || n_trees > MAX_TREES {
        return Err(bad("n_trees", n_trees, "1 to 1000"));
    }
    check_tree(max_depth, leaf, split)
}

fn check_tree(max_depth: Option<u16>, leaf: usize, split: usize) -> Result<(), TrainError> {
    if let Some(d) = max_depth {
        if d == 0 || d > MAX_DEPTH {
            return Err(bad("max_depth", d, "1 to 64, or none"));
        }
    }
    if leaf == 0 || leaf > 1_000_000 {
        return Err(bad("min_samples_leaf", leaf, "1 to 1000000"));
    }
    if !(2..=1_000_000).contains(&split) {
        return Err(bad("min_samples_split", split, "2 to 1000000"));
    }
    Ok(())
}

impl ModelSpec {
    /// Short model name, as in `--models`, e.g. `forest`.
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Logistic { .. } => "logistic",
            ModelSpec::Tree { .. } => "tree",
            ModelSpec::Forest { .. } => "forest",
            ModelSpec::Knn { .. } => "knn",
            ModelSpec::GaussianNb => "gaussian_nb",
            ModelSpec::Svc { .. } => "svc",
            ModelSpec::Linear => "linear",
            ModelSpec::Ridge { .. } => "ridge",
            ModelSpec::Lasso { .. } => "lasso",
            ModelSpec::ElasticNet { .. } => "elastic_net",
            ModelSpec::ExtraTrees { .. } => "extra_trees",
            ModelSpec::Svr { .. } => "svr",
            ModelSpec::Gbt { .. } => "gbt",
        }
    }

    /// The model with its default hyperparameters, by name.
    pub fn default_for(name: &str) -> Option<ModelSpec> {
        Some(match name {
            "logistic" => ModelSpec::Logistic { c: 1.0 },
            "tree" => ModelSpec::Tree { max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
            "forest" | "random_forest" => ModelSpec::default(),
            "knn" => ModelSpec::Knn { k: 5, weights: KnnWeights::Uniform },
            "gaussian_nb" => ModelSpec::GaussianNb,
            "svc" => ModelSpec::Svc { kernel: Kernel::Rbf, c: 1.0, gamma: None },
            "linear" => ModelSpec::Linear,
            "ridge" => ModelSpec::Ridge { alpha: 1.0 },
            "lasso" => ModelSpec::Lasso { alpha: 1.0 },
            "elastic_net" => ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 0.5 },
            "extra_trees" => {
                ModelSpec::ExtraTrees { n_trees: 100, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }
            }
            "svr" => ModelSpec::Svr { kernel: Kernel::Rbf, c: 1.0, epsilon: 0.1, gamma: None },
            "gbt" => ModelSpec::Gbt { n_estimators: 100, max_depth: 3, learning_rate: 0.1, lambda: 1.0, subsample: 1.0 },
            _ => return None,
        })
    }

    /// Whether this model does `task`.
    pub fn supports(&self, task: Task) -> bool {
        match self {
            ModelSpec::Tree { .. } | ModelSpec::Forest { .. } | ModelSpec::Knn { .. } => true,
            ModelSpec::Logistic { .. } | ModelSpec::GaussianNb | ModelSpec::Svc { .. } => task == Task::Classification,
            _ => task == Task::Regression,
        }
    }

    /// Whether the model standardises its input itself.
    pub fn standardises(&self) -> bool {
        matches!(self, ModelSpec::Logistic { .. } | ModelSpec::Knn { .. } | ModelSpec::Svc { .. } | ModelSpec::Svr { .. })
    }

    /// Checks every hyperparameter against its allowed range. The page, the
    /// command and replay all call this before fitting.
    pub fn validate(&self) -> Result<(), TrainError> {
        match *self {
            ModelSpec::Logistic { c } => check_positive("c", c, "greater than 0, at most 1e6", false, 1e6),
            ModelSpec::Tree { max_depth, min_samples_leaf, min_samples_split } => {
                check_tree(max_depth, min_samples_leaf, min_samples_split)
            }
            ModelSpec::Forest { n_trees, max_depth, min_samples_leaf, min_samples_split }
            | ModelSpec::ExtraTrees { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
                check_trees(n_trees, max_depth, min_samples_leaf, min_samples_split)
            }
            ModelSpec::Knn { k, .. } => {
                if k == 0 || k > MAX_K {
                    return Err(bad("k", k, "1 to 1000, and at most the training rows"));
                }
                Ok(())
            }
            ModelSpec::GaussianNb | ModelSpec::Linear => Ok(()),
            ModelSpec::Svc { c, gamma, .. } => {
                check_positive("c", c, "greater than 0, at most 1e6", false, 1e6)?;
                check_gamma(gamma)
            }
            ModelSpec::Svr { c, epsilon, gamma, .. } => {
                check_positive("c", c, "greater than 0, at most 1e6", false, 1e6)?;
                check_positive("epsilon", epsilon, "0 to 1e6", true, 1e6)?;
                check_gamma(gamma)
            }
            ModelSpec::Ridge { alpha } => check_positive("alpha", alpha, "0 to 1e6", true, 1e6),
            ModelSpec::Lasso { alpha } => check_positive("alpha", alpha, "greater than 0, at most 1e6", false, 1e6),
            ModelSpec::ElasticNet { alpha, l1_ratio } => {
                check_positive("alpha", alpha, "greater than 0, at most 1e6", false, 1e6)?;
                if !(0.0..=1.0).contains(&l1_ratio) {
                    return Err(bad("l1_ratio", l1_ratio, "0 to 1"));
                }
                Ok(())
            }
            ModelSpec::Gbt { n_estimators, max_depth, learning_rate, lambda, subsample } => {
                if n_estimators == 0 || n_estimators > 1000 {
                    return Err(bad("n_estimators", n_estimators, "1 to 1000"));
                }
                if max_depth == 0 || max_depth > 16 {
                    return Err(bad("max_depth", max_depth, "1 to 16"));
                }
                check_positive("learning_rate", learning_rate, "greater than 0, at most 1", false, 1.0)?;
                check_positive("lambda", lambda, "0 to 1e6", true, 1e6)?;
                check_positive("subsample", subsample, "greater than 0, at most 1", false, 1.0)
            }
        }
    }
}

fn check_gamma(gamma: Option<f64>) -> Result<(), TrainError> {
    match gamma {
        Some(g) => check_positive("gamma", g, "greater than 0, at most 1e6, or none for 1 / (width × variance)", false, 1e6),
        None => Ok(()),
    }
}

/// Seconds per unit of [`estimate_seconds`]'s forest work model, measured
/// natively on a 100,000 × 20 forest (102 s for 6.6e8 units); wasm adds up
/// to 1.2×.
const SECONDS_PER_UNIT: f64 = 1.6e-7;

/// A rough estimate of the seconds fitting `spec` on `rows` × `width` with
/// `classes` classes (1 for regression) takes, and predicting a quarter as
/// many rows, with the terms it is made of, so a job can be refused before
/// it starts. The constants come from the timings quoted in issue 5
/// (100,000 × 20, one thread, native) and are meant to be right within a
/// factor of a few, not exact.
pub fn estimate_seconds(spec: &ModelSpec, rows: usize, width: usize, classes: usize) -> (f64, String) {
    let n = rows as f64;
    let w = width.max(1) as f64;
    let k = classes.max(1) as f64;
    let log_n = n.max(2.0).log2();
    let depth_of = |max_depth: Option<u16>| max_depth.map_or(log_n, |d| log_n.min(d as f64));
    match *spec {
        ModelSpec::Forest { n_trees, max_depth, .. } | ModelSpec::ExtraTrees { n_trees, max_depth, .. } => {
            let mtry = w.sqrt().floor().max(1.0);
            let depth = depth_of(max_depth);
            let units = n_trees as f64 * n * depth * mtry;
            (units * SECONDS_PER_UNIT, format!("{n_trees} trees × {rows} rows × depth {depth:.0} × {mtry} features per split"))
        }
        ModelSpec::Tree { max_depth, .. } => {
            // 3.3 s at depth 10 on 100,000 × 20.
            let depth = depth_of(max_depth);
            (n * depth * w * 1.65e-7, format!("{rows} rows × depth {depth:.0} × {width} features"))
        }
        ModelSpec::Logistic { .. } => {
            // 1.13 s for two classes on 100,000 × 20.
            let kk = if classes <= 2 { 1.0 } else { k };
            (n * w * kk * 5.7e-7, format!("{rows} rows × {width} features × {kk} class weights"))
        }
        ModelSpec::Knn { .. } => {
            // Predicting 10,000 rows against 100,000 took 29 s.
            let queries = (n / 4.0).ceil();
            (queries * n * w * 1.45e-9, format!("{queries} queries × {rows} rows × {width} features"))
        }
        ModelSpec::GaussianNb => (n * w * k * 1e-8, format!("{rows} rows × {width} features × {classes} classes")),
        ModelSpec::Linear | ModelSpec::Ridge { .. } => {
            // 0.24 s on 100,000 × 20.
            (n * w * w * 6e-9, format!("{rows} rows × {width}² features"))
        }
        ModelSpec::Lasso { .. } | ModelSpec::ElasticNet { .. } => {
            (n * w * 100.0 * 1e-8, format!("{rows} rows × {width} features × about 100 sweeps"))
        }
        ModelSpec::Svc { .. } => {
            let pairs = if classes <= 2 { 1.0 } else { k * (k - 1.0) / 2.0 };
            let per_pair = if classes <= 2 { n } else { 2.0 * n / k };
            (pairs * per_pair * per_pair * w * 4e-8, format!("{pairs} class pairs × ({per_pair:.0} rows)² × {width} features"))
        }
        ModelSpec::Svr { .. } => (n * n * w * 4e-8, format!("({rows} rows)² × {width} features")),
        ModelSpec::Gbt { n_estimators, max_depth, .. } => {
            let units = n_estimators as f64 * max_depth as f64 * n * w * log_n;
            (units * 2e-9, format!("{n_estimators} rounds × depth {max_depth} × {rows} rows × {width} features × log rows"))
        }
    }
}

/// Checks `spec` against the data it is about to be fitted on: the task,
/// k-NN's k against the rows, the support-vector limits on rows and
/// classes. [`fit`] calls it; the search calls it before starting.
pub fn check_fit(spec: &ModelSpec, task: Task, rows: usize, classes: usize) -> Result<(), TrainError> {
    spec.validate()?;
    if !spec.supports(task) {
        let hint = match task {
            Task::Classification => "for classification use logistic, tree, forest, knn, gaussian_nb or svc",
            Task::Regression => {
                "for regression use linear, ridge, lasso, elastic_net, tree, forest, extra_trees, knn, svr or gbt"
            }
        };
        return Err(TrainError::WrongTask { model: spec.name(), task: task.as_str(), hint });
    }
    match *spec {
        ModelSpec::Knn { k, .. } if k > rows => Err(TrainError::InvalidParameter {
            name: "k",
            value: format!("{k} (with {rows} training rows)"),
            allowed: "1 to 1000, and at most the training rows",
        }),
        ModelSpec::Svc { .. } | ModelSpec::Svr { .. } if rows > MAX_SVM_ROWS => {
            let (seconds, detail) = estimate_seconds(spec, rows, 10, classes);
            Err(TrainError::TooLargeForModel {
                model: spec.name(),
                reason: format!(
                    "{rows} training rows, over the limit of {MAX_SVM_ROWS} for support-vector models (the solver grows with the square of the rows: about {seconds:.0} s at 10 features, {detail}); sample the rows or use another model"
                ),
            })
        }
        ModelSpec::Svc { .. } if classes > MAX_SVC_CLASSES => Err(TrainError::TooLargeForModel {
            model: "svc",
            reason: format!(
                "{classes} classes need {} one-vs-one models, over the limit of {MAX_SVC_CLASSES} classes; use logistic or forest",
                classes * (classes - 1) / 2
            ),
        }),
        _ => Ok(()),
    }
}

/// The target of a fit: class codes (indices into a label table) or values.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Class codes `0..k`.
    Classes(Vec<u32>),
    /// Finite numbers.
    Values(Vec<f64>),
}

impl Target {
    /// Number of entries.
    pub fn len(&self) -> usize {
        match self {
            Target::Classes(v) => v.len(),
            Target::Values(v) => v.len(),
        }
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries at `idx`, in that order.
    pub fn pick(&self, idx: &[usize]) -> Target {
        match self {
            Target::Classes(c) => Target::Classes(idx.iter().map(|&p| c[p]).collect()),
            Target::Values(v) => Target::Values(idx.iter().map(|&p| v[p]).collect()),
        }
    }

    /// The task this target is for.
    pub fn task(&self) -> Task {
        match self {
            Target::Classes(_) => Task::Classification,
            Target::Values(_) => Task::Regression,
        }
    }

    /// Number of classes (highest code + 1), or 1 for values.
    pub fn classes(&self) -> usize {
        match self {
            Target::Classes(c) => c.iter().max().map_or(0, |&m| m as usize + 1),
            Target::Values(_) => 1,
        }
    }
}

#[cfg(test)]
mod tests;
