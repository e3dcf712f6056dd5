//! Model learning: model specs as data, validated, then fitted by smartcore
//! (classification trees and forests by our own CART, `cart.rs`).
//!
//! Takes a prepared matrix (`ndarray::Array2<f64>`, finite by construction),
//! a target (class codes or values) and a seed; gives a [`TrainedModel`]
//! that predicts on matrices of the same width. Every parameter is checked
//! by [`ModelSpec::validate`] before smartcore sees it, because smartcore
//! panics on some inputs and a panic kills the wasm instance. No wasm here.

mod cart;
mod proba;
mod svm;

pub use proba::Probabilities;

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use smartcore::ensemble::extra_trees_regressor::{ExtraTreesRegressor, ExtraTreesRegressorParameters};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::elastic_net::{ElasticNet, ElasticNetParameters};
use smartcore::linear::lasso::{Lasso, LassoParameters};
use smartcore::linear::linear_regression::{LinearRegression, LinearRegressionParameters};
use smartcore::linear::logistic_regression::{LogisticRegression, LogisticRegressionParameters};
use smartcore::linear::ridge_regression::{RidgeRegression, RidgeRegressionParameters};
use smartcore::metrics::distance::euclidian::Euclidian;
use smartcore::neighbors::knn_classifier::{KNNClassifier, KNNClassifierParameters};
use smartcore::neighbors::knn_regressor::{KNNRegressor, KNNRegressorParameters};
use smartcore::tree::decision_tree_regressor::{DecisionTreeRegressor, DecisionTreeRegressorParameters};
use smartcore::xgboost::xgb_regressor::{XGRegressor, XGRegressorParameters};
use thiserror::Error;

/// Most classes a classification target may have.
pub const MAX_CLASSES: usize = 200;
/// Most trees in a forest.
pub const MAX_TREES: u16 = 1_000;
/// Deepest tree allowed.
pub const MAX_DEPTH: u16 = 64;

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
    /// A classification target whose every value occurs once (an
    /// identifier or free text): no class can be both learned and tested.
    #[error("target \"{target}\" has a different value in each of its {rows} rows, so no class can be both learned and tested; it looks like an identifier or free text: choose another target{hint}")]
    NoRepeatedClass {
        /// Target column.
        target: String,
        /// Rows with a target value.
        rows: usize,
        /// More advice for numbers, or for labels most of which are numbers.
        hint: String,
    },
    /// A regression target with one value.
    #[error("target \"{target}\" has the same value ({value}) in every {part}, so there is nothing to predict; choose another target")]
    ConstantTarget {
        /// Target column.
        target: String,
        /// The only value.
        value: String,
        /// "row" or "training row".
        part: &'static str,
    },
    /// A classification target with too many classes.
    #[error("target \"{target}\" has {classes} classes, over the limit of {limit}; is it an identifier or a continuous value? {}", if hint.is_empty() { "choose regression or another column" } else { hint.as_str() })]
    TooManyClasses {
        /// Target column.
        target: String,
        /// Classes found.
        classes: usize,
        /// The way to its numbers, for labels most of which are numbers
        /// (empty: regression or another column).
        hint: String,
        /// The limit.
        limit: usize,
    },
    /// Regression asked for a text target.
    #[error("target \"{target}\" holds {holds}, so it cannot be used for regression; {hint}")]
    TextTargetForRegression {
        /// Target column.
        target: String,
        /// What it holds: "text", or "two values (yes/no)" for a boolean.
        holds: &'static str,
        /// What to do: read its numbers when most values are numbers
        /// (naming one that is not), else choose classification.
        hint: String,
    },
    /// A stratified split whose test set holds under half the rows asked
    /// for: classes of one row each stay in training.
    #[error("the test set would hold only {test} of {rows} rows (a test fraction asks for {wanted}): {singletons} classes of \"{target}\" have one row each, and a class's only row is kept for training{hint}")]
    SmallTestSet {
        /// Target column.
        target: String,
        /// Test rows the split gives.
        test: usize,
        /// Rows with a target value.
        rows: usize,
        /// Test rows the fraction asks for.
        wanted: usize,
        /// Classes of one row.
        singletons: usize,
        /// What to do.
        hint: String,
    },
    /// A `parse_numbers` step on the target found no number in its labels.
    #[error("target \"{target}\" has no label that reads as a number (e.g. {}), so the parse_numbers step on it leaves no value to predict; remove the step", crate::report::quoted(.example))]
    TargetNotNumbers {
        /// Target column.
        target: String,
        /// One of its labels.
        example: String,
    },
    /// Regression values so large that squared errors overflow.
    #[error("target \"{target}\" has values as large as {max:.3e}, too large to score a fit (the squared errors overflow); rescale it, e.g. divide it by 1e{power}")]
    TargetTooLarge {
        /// Target column.
        target: String,
        /// Its largest absolute value.
        max: f64,
        /// The power of ten that brings it to about one million.
        power: i32,
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
    #[error("training would take about {seconds:.1} s by a rough estimate ({detail}), over the limit of {limit} s; {hint}")]
    OverBudget {
        /// Estimated seconds.
        seconds: f64,
        /// The limit.
        limit: f64,
        /// What the estimate is made of.
        detail: String,
        /// What would make the job smaller.
        hint: String,
    },
    /// Values so large that the model's arithmetic overflows: k-NN
    /// recurses without end on an infinite distance in smartcore 0.7
    /// (overflowing the stack) and its SVD panics on overflowed sums.
    #[error("{model} cannot use values as large as {max:e} (the limit is {limit:e}): its arithmetic would overflow; scale or clip the data first")]
    ValuesTooLarge {
        /// The model's name.
        model: &'static str,
        /// The largest magnitude found.
        max: f64,
        /// The largest allowed.
        limit: f64,
    },
    /// A search stopped (cancelled, or out of time) before any candidate
    /// finished: there is nothing to choose from.
    #[error("the search was stopped before any candidate finished, so nothing was trained")]
    StoppedBeforeAnyTrial,
    /// Every candidate of a search failed.
    #[error("no candidate model could be fitted in the search; the first failure was {first}{hint}")]
    NoCandidate {
        /// The first trial's error.
        first: String,
        /// What can help, when the data says ("" otherwise).
        hint: &'static str,
    },
    /// Candidates were fitted, but the ranking metric was undefined on
    /// every validation fold of every one (R² on folds of one row, ROC AUC
    /// on folds of one class).
    #[error("every candidate's {metric} was undefined on every validation fold (the smallest fold has {smallest_fold} row{}), so none can be chosen; {way}", if *smallest_fold == 1 { "" } else { "s" })]
    UndefinedScores {
        /// The ranking metric.
        metric: &'static str,
        /// Rows of the smallest validation fold.
        smallest_fold: usize,
        /// What can help, for these rows and folds.
        way: &'static str,
    },
    /// A model asked for more than its algorithm handles.
    #[error("model {model} cannot take this job: {reason}")]
    TooLargeForModel {
        /// The model's name.
        model: &'static str,
        /// What is over which limit, with the estimate.
        reason: String,
    },
    /// The model cannot do this task (e.g. ridge for classification).
    #[error("model {model} cannot be used for {task}; the models for {task} are {}", crate::search::models_for(task))]
    WrongTask {
        /// The model's name.
        model: &'static str,
        /// The task.
        task: &'static str,
    },
    /// smartcore reported a failure (wrapped, never passed through).
    #[error("the model could not be fitted: {message}")]
    Fit {
        /// smartcore's message.
        message: String,
    },
    /// smartcore stopped with a panic inside a fit (its line search on
    /// classes one feature or two separate, with no regularisation).
    #[error("the model's solver failed ({message}); if the classes are separated exactly, a column may leak the target, or a regularised setting (alpha above 0) may fit")]
    SolverFailed {
        /// The panic's message.
        message: String,
    },
}

impl TrainError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TrainError::InvalidParameter { .. } => "invalid_parameter",
            TrainError::TooFewRows { .. } => "too_few_rows",
            TrainError::OneClass { .. } => "one_class",
            TrainError::TooManyClasses { .. } => "too_many_classes",
            TrainError::NoRepeatedClass { .. } => "no_repeated_class",
            TrainError::ConstantTarget { .. } => "constant_target",
            TrainError::TextTargetForRegression { .. } => "text_target_for_regression",
            TrainError::SmallTestSet { .. } => "small_test_set",
            TrainError::EmptyTarget { .. } => "empty_target",
            TrainError::TargetNotNumbers { .. } => "target_not_numbers",
            TrainError::TargetTooLarge { .. } => "target_too_large",
            TrainError::NonFinite { .. } => "non_finite",
            TrainError::WidthMismatch { .. } => "width_mismatch",
            TrainError::LengthMismatch { .. } => "length_mismatch",
            TrainError::OverBudget { .. } => "over_budget",
            TrainError::WrongTask { .. } => "wrong_task",
            TrainError::TooLargeForModel { .. } => "too_large_for_model",
            TrainError::NoCandidate { .. } => "no_candidate",
            TrainError::StoppedBeforeAnyTrial => "stopped_before_any_trial",
            TrainError::UndefinedScores { .. } => "undefined_scores",
            TrainError::ValuesTooLarge { .. } => "values_too_large",
            TrainError::Fit { .. } => "fit_failed",
            TrainError::SolverFailed { .. } => "solver_failed",
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

/// Most neighbours k-NN may use.
pub const MAX_K: usize = 1_000;
/// Most classes a logistic regression may be fitted on (it fits one set of
/// coefficients per class and slows sharply beyond this).
pub const MAX_LOGISTIC_CLASSES: usize = 50;

/// A model and its hyperparameters, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    /// A random forest: for classification our CART forest (`cart.rs`,
    /// scikit-learn's `RandomForestClassifier`), for regression smartcore's.
    RandomForest {
        /// Trees in the forest, 1..=1000.
        n_trees: u16,
        /// Depth limit, 1..=64, or none.
        max_depth: Option<u16>,
        /// Fewest rows in a leaf, at least 1.
        min_samples_leaf: usize,
        /// Fewest rows to split a node, at least 2.
        min_samples_split: usize,
    },
    /// One decision tree: for classification our CART (`cart.rs`,
    /// scikit-learn's `DecisionTreeClassifier`), for regression smartcore's.
    DecisionTree {
        /// Depth limit, 1..=64, or none.
        max_depth: Option<u16>,
        /// Fewest rows in a leaf, at least 1.
        min_samples_leaf: usize,
        /// Fewest rows to split a node, at least 2.
        min_samples_split: usize,
    },
    /// k nearest neighbours by Euclidean distance between standardised
    /// features (each training column to mean 0 and deviation 1, as
    /// scikit-learn's `StandardScaler` before `KNeighbors*`: raw units
    /// would let the widest column decide alone), uniform weights.
    Knn {
        /// Neighbours, 1..=1000 and at most the training rows.
        k: usize,
    },
    /// Logistic regression (classification), L2 penalty `alpha`.
    Logistic {
        /// Penalty strength, 0..=1e6.
        alpha: f64,
    },
    /// Gaussian naive Bayes (classification).
    GaussianNb,
    /// Ridge regression (regression), L2 penalty `alpha`.
    Ridge {
        /// Penalty strength, 0..=1e6.
        alpha: f64,
    },
    /// Lasso (regression), L1 penalty `alpha`.
    Lasso {
        /// Penalty strength, 0..=1e6.
        alpha: f64,
    },
    /// Support-vector classifier, one-vs-one for more than two classes,
    /// with class probabilities by Platt scaling. Standardises its input
    /// with the training rows' means and deviations.
    Svc {
        /// Kernel.
        kernel: Kernel,
        /// Penalty `C`, greater than 0, at most 1e6.
        c: f64,
        /// RBF width, greater than 0, at most 1e6; none means
        /// scikit-learn's `"scale"`, 1 / (width × variance).
        gamma: Option<f64>,
    },
    /// Ordinary least squares (regression), solved by SVD. Native builds
    /// take `hypot` from `libm` as wasm does, so it replays bit for bit.
    Linear,
    /// Least squares with L1 and L2 penalties (regression).
    ElasticNet {
        /// Penalty strength, greater than 0, at most 1e6.
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
    /// Support-vector regression. Standardises its input like [`ModelSpec::Svc`].
    Svr {
        /// Kernel.
        kernel: Kernel,
        /// Penalty `C`, greater than 0, at most 1e6.
        c: f64,
        /// Width of the insensitive tube, 0..=1e6.
        epsilon: f64,
        /// RBF width; none means scikit-learn's `"scale"`.
        gamma: Option<f64>,
    },
    /// Gradient-boosted trees, smartcore's `XGRegressor` (regression),
    /// starting from the mean of the target as scikit-learn does.
    Gbt {
        /// Boosting rounds, 1..=1000.
        n_estimators: u16,
        /// Depth of each tree, 1..=16.
        max_depth: u16,
        /// Shrinkage, greater than 0, at most 1.
        learning_rate: f64,
        /// L2 penalty on leaf weights, 0..=1e6.
        lambda: f64,
        /// Share of rows drawn for each tree, greater than 0, at most 1.
        subsample: f64,
    },
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

/// Most training rows a support-vector model accepts: its solver grows
/// with the square of the rows.
pub const MAX_SVM_ROWS: usize = 5_000;
/// Most classes for SVC, which fits one model per pair of classes.
pub const MAX_SVC_CLASSES: usize = 20;

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::RandomForest { n_trees: 100, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }
    }
}

/// A hyperparameter's value as messages show it: integers as written,
/// floats by [`format_number`](crate::data::format_number), so `1e308`
/// reads `1e308`, not 309 digits.
trait ParamText {
    fn param_text(&self) -> String;
}

macro_rules! param_text_display {
    ($($t:ty),*) => {$(impl ParamText for $t {
        fn param_text(&self) -> String {
            self.to_string()
        }
    })*};
}
param_text_display!(u8, u16, u32, u64, usize);

impl ParamText for f64 {
    fn param_text(&self) -> String {
        crate::data::format_number(*self)
    }
}

fn invalid(name: &'static str, value: impl ParamText, allowed: &'static str) -> TrainError {
    TrainError::InvalidParameter { name, value: value.param_text(), allowed }
}

fn check_tree(max_depth: Option<u16>, min_samples_leaf: usize, min_samples_split: usize) -> Result<(), TrainError> {
    if let Some(d) = max_depth {
        if d == 0 || d > MAX_DEPTH {
            return Err(invalid("max_depth", d, "1 to 64, or none"));
        }
    }
    if min_samples_leaf == 0 || min_samples_leaf > 1_000_000 {
        return Err(invalid("min_samples_leaf", min_samples_leaf, "1 to 1000000"));
    }
    if !(2..=1_000_000).contains(&min_samples_split) {
        return Err(invalid("min_samples_split", min_samples_split, "2 to 1000000"));
    }
    Ok(())
}

fn check_alpha(alpha: f64) -> Result<(), TrainError> {
    if !(alpha.is_finite() && (0.0..=1e6).contains(&alpha)) {
        return Err(invalid("alpha", alpha, "0 to 1000000"));
    }
    Ok(())
}

impl ModelSpec {
    /// Short model name, as `--models` and the page spell it.
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::RandomForest { .. } => "random_forest",
            ModelSpec::DecisionTree { .. } => "decision_tree",
            ModelSpec::Knn { .. } => "knn",
            ModelSpec::Logistic { .. } => "logistic",
            ModelSpec::GaussianNb => "gaussian_nb",
            ModelSpec::Ridge { .. } => "ridge",
            ModelSpec::Lasso { .. } => "lasso",
            ModelSpec::Svc { .. } => "svc",
            ModelSpec::Linear => "linear",
            ModelSpec::ElasticNet { .. } => "elastic_net",
            ModelSpec::ExtraTrees { .. } => "extra_trees",
            ModelSpec::Svr { .. } => "svr",
            ModelSpec::Gbt { .. } => "gbt",
        }
    }

    /// Whether the model can do `task`.
    pub fn supports(&self, task: Task) -> bool {
        match self {
            ModelSpec::RandomForest { .. } | ModelSpec::DecisionTree { .. } | ModelSpec::Knn { .. } => true,
            ModelSpec::Logistic { .. } | ModelSpec::GaussianNb | ModelSpec::Svc { .. } => task == Task::Classification,
            ModelSpec::Ridge { .. }
            | ModelSpec::Lasso { .. }
            | ModelSpec::Linear
            | ModelSpec::ElasticNet { .. }
            | ModelSpec::ExtraTrees { .. }
            | ModelSpec::Svr { .. }
            | ModelSpec::Gbt { .. } => task == Task::Regression,
        }
    }

    /// The hyperparameters as `name=value` text, for leaderboards.
    pub fn params_text(&self) -> String {
        let depth = |d: Option<u16>| d.map_or("none".to_string(), |d| d.to_string());
        match self {
            ModelSpec::RandomForest { n_trees, max_depth, .. } => format!("n_trees={n_trees}, max_depth={}", depth(*max_depth)),
            ModelSpec::DecisionTree { max_depth, min_samples_leaf, .. } => {
                format!("max_depth={}, min_samples_leaf={min_samples_leaf}", depth(*max_depth))
            }
            ModelSpec::Knn { k } => format!("k={k}"),
            ModelSpec::Logistic { alpha } | ModelSpec::Ridge { alpha } | ModelSpec::Lasso { alpha } => format!("alpha={}", alpha.param_text()),
            ModelSpec::GaussianNb | ModelSpec::Linear => String::new(),
            ModelSpec::Svc { kernel, c, gamma } => format!("kernel={}, c={}, gamma={}", kernel.as_str(), c.param_text(), gamma_text(*gamma)),
            ModelSpec::Svr { kernel, c, epsilon, gamma } => {
                format!("kernel={}, c={}, epsilon={}, gamma={}", kernel.as_str(), c.param_text(), epsilon.param_text(), gamma_text(*gamma))
            }
            ModelSpec::ElasticNet { alpha, l1_ratio } => format!("alpha={}, l1_ratio={}", alpha.param_text(), l1_ratio.param_text()),
            ModelSpec::ExtraTrees { n_trees, max_depth, .. } => format!("n_trees={n_trees}, max_depth={}", depth(*max_depth)),
            ModelSpec::Gbt { n_estimators, max_depth, learning_rate, .. } => {
                format!("n_estimators={n_estimators}, max_depth={max_depth}, learning_rate={}", learning_rate.param_text())
            }
        }
    }

    /// Checks every hyperparameter against its allowed range. The page, the
    /// command and replay all call this before fitting.
    pub fn validate(&self) -> Result<(), TrainError> {
        match *self {
            ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
                if n_trees == 0 || n_trees > MAX_TREES {
                    return Err(invalid("n_trees", n_trees, "1 to 1000"));
                }
                check_tree(max_depth, min_samples_leaf, min_samples_split)
            }
            ModelSpec::DecisionTree { max_depth, min_samples_leaf, min_samples_split } => {
                check_tree(max_depth, min_samples_leaf, min_samples_split)
            }
            ModelSpec::Knn { k } => {
                if k == 0 || k > MAX_K {
                    return Err(invalid("k", k, "1 to 1000"));
                }
                Ok(())
            }
            ModelSpec::Logistic { alpha } | ModelSpec::Ridge { alpha } | ModelSpec::Lasso { alpha } => check_alpha(alpha),
            ModelSpec::GaussianNb | ModelSpec::Linear => Ok(()),
            ModelSpec::Svc { c, gamma, .. } => {
                check_range("c", c, 0.0, false, 1e6, "greater than 0, at most 1000000")?;
                check_gamma(gamma)
            }
            ModelSpec::Svr { c, epsilon, gamma, .. } => {
                check_range("c", c, 0.0, false, 1e6, "greater than 0, at most 1000000")?;
                check_range("epsilon", epsilon, 0.0, true, 1e6, "0 to 1000000")?;
                check_gamma(gamma)
            }
            ModelSpec::ElasticNet { alpha, l1_ratio } => {
                check_range("alpha", alpha, 0.0, false, 1e6, "greater than 0, at most 1000000")?;
                check_range("l1_ratio", l1_ratio, 0.0, true, 1.0, "0 to 1")
            }
            ModelSpec::ExtraTrees { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
                if n_trees == 0 || n_trees > MAX_TREES {
                    return Err(invalid("n_trees", n_trees, "1 to 1000"));
                }
                check_tree(max_depth, min_samples_leaf, min_samples_split)
            }
            ModelSpec::Gbt { n_estimators, max_depth, learning_rate, lambda, subsample } => {
                if n_estimators == 0 || n_estimators > 1000 {
                    return Err(invalid("n_estimators", n_estimators, "1 to 1000"));
                }
                if max_depth == 0 || max_depth > 16 {
                    return Err(invalid("max_depth", max_depth, "1 to 16"));
                }
                check_range("learning_rate", learning_rate, 0.0, false, 1.0, "greater than 0, at most 1")?;
                check_range("lambda", lambda, 0.0, true, 1e6, "0 to 1000000")?;
                check_range("subsample", subsample, 0.0, false, 1.0, "greater than 0, at most 1")
            }
        }
    }

    /// Whether the model only compares feature values (trees), so any
    /// finite value is safe; the others square and sum them. Extra trees
    /// draw thresholds between a feature's least and greatest value, and
    /// smartcore panics when that range overflows, so they are not exempt.
    pub fn only_compares(&self) -> bool {
        matches!(self, ModelSpec::RandomForest { .. } | ModelSpec::DecisionTree { .. })
    }

    /// Whether the model standardises its input itself (the support-vector
    /// models, whose kernels and penalty assume unit-scale features, and
    /// k-NN, whose distances do).
    pub fn standardises(&self) -> bool {
        matches!(self, ModelSpec::Svc { .. } | ModelSpec::Svr { .. } | ModelSpec::Knn { .. })
    }
}

impl Kernel {
    /// The kernel's name as in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Kernel::Linear => "linear",
            Kernel::Rbf => "rbf",
        }
    }
}

fn gamma_text(gamma: Option<f64>) -> String {
    gamma.map_or_else(|| "scale".to_string(), |g| g.param_text())
}

/// `low < v <= high` (or `low <= v` with `low_ok`), finite; else the error names `allowed`.
fn check_range(name: &'static str, v: f64, low: f64, low_ok: bool, high: f64, allowed: &'static str) -> Result<(), TrainError> {
    let above = if low_ok { v >= low } else { v > low };
    if v.is_finite() && above && v <= high {
        Ok(())
    } else {
        Err(invalid(name, v, allowed))
    }
}

fn check_gamma(gamma: Option<f64>) -> Result<(), TrainError> {
    match gamma {
        Some(g) => check_range("gamma", g, 0.0, false, 1e6, "greater than 0, at most 1000000, or none for 1 / (width × variance)"),
        None => Ok(()),
    }
}

/// Seconds per unit of [`estimate_seconds`]'s work model, measured natively
/// on a 100,000 × 20 forest (102 s for 6.6e8 units); wasm adds up to 1.2×.
const SECONDS_PER_UNIT: f64 = 1.6e-7;
/// SVC's units per pair row^2.5 × feature: 1.04e-8 s measured.
const SVC_UNITS: f64 = 1.04e-8 / SECONDS_PER_UNIT;
/// Units of one gradient-boosting round of depth 3 per row and feature
/// (and 4 per row): 2.0e-7 s (see [`estimate_seconds`]).
const GBT_UNITS: f64 = 2.0e-7 / SECONDS_PER_UNIT;
/// A classification forest's share of a unit on small data (its trees see
/// the ~63% of the rows a bootstrap sample holds): 1.4e-8 to 1.6e-8 s
/// measured up to 20,000 rows, 2.1e-8 s on 100,000 (see [`cart_cache`]).
const CART_FOREST_FACTOR: f64 = 0.14;
/// A single classification tree's (every row, every feature): 2.0e-8 to
/// 2.4e-8 s measured up to 20,000 rows, 3.6e-8 s to 3.8e-8 s on 80,000
/// and 100,000.
const CART_TREE_FACTOR: f64 = 0.24;

/// Our classification trees' cost per unit grows with the rows as a
/// node's gathered values outgrow the caches: taken as growing linearly
/// up to 2× at 300,000 rows (1.33× at 100,000, measured 1.35×).
fn cart_cache(rows: f64) -> f64 {
    1.0 + (rows / 300_000.0).min(1.0)
}

/// A rough estimate of the seconds fitting `spec` on `rows` × `width` takes,
/// with the terms it is made of, so a job can be refused before it starts.
/// A forest costs about trees × rows × depth × features tried per split.
///
/// `classes` is the number of classes (SVC's one-vs-one pairs grow with
/// its square); give 1 for regression.
pub fn estimate_seconds(spec: &ModelSpec, rows: usize, width: usize, classes: usize) -> (f64, String) {
    let mtry = ((width as f64).sqrt().floor()).max(1.0);
    let depth_of = |max_depth: Option<u16>| {
        let d = (rows.max(2) as f64).log2();
        max_depth.map_or(d, |m| d.min(m as f64))
    };
    let (r, w) = (rows as f64, width as f64);
    // Classification trees and forests are ours (`cart.rs`): each level
    // sorts its nodes' rows by each feature tried, a fraction of smartcore's
    // regression tree's cost per unit. Measured natively, 20 features, 3
    // classes, unlimited depth: 100 trees on 5,000 rows 0.39 s, 20,000
    // 1.8 s, 80,000 11.6 s, 100,000 14.8 s (scikit-learn 46 s); one tree
    // 0.03 s, 0.14 s, 1.0 s, 1.2 s; at depth 5 the forest 0.14 s, 0.63 s, -,
    // 4.1 s. The estimates run 1.3× to 1.7× these (2× for fits under 0.1 s).
    let (forest_factor, tree_factor) = if classes >= 2 { (CART_FOREST_FACTOR * cart_cache(r), CART_TREE_FACTOR * cart_cache(r)) } else { (1.0, 1.0) };
    let (units, detail) = match *spec {
        ModelSpec::RandomForest { n_trees, max_depth, .. } => {
            let depth = depth_of(max_depth);
            (n_trees as f64 * r * depth * mtry * forest_factor, format!("{n_trees} trees × {rows} rows × depth {depth:.0} × {mtry} features per split"))
        }
        ModelSpec::DecisionTree { max_depth, .. } => {
            let depth = depth_of(max_depth);
            (r * depth * w * tree_factor, format!("{rows} rows × depth {depth:.0} × {width} features"))
        }
        // Prediction compares every test row with every training row; the
        // test part is about a third of the training part. Measured on
        // 75,000 × 20 rows: classification 158 s natively (400 s in
        // Chromium), regression 497 s (622 s).
        ModelSpec::Knn { .. } => {
            let per = if classes < 2 { w / 12.0 } else { w / 30.0 };
            (r * r / 3.0 * per, format!("{rows} × {rows}/3 distances × {width} features"))
        }
        // One weight vector per class (one for two classes), so each pass
        // over the data costs rows × features × vectors. The passes it
        // takes, in those units, measured natively: with a penalty 0.8 to
        // 3.2 on noisy synthetic data (`examples/logistic_timing.rs`; 374
        // × 2,000, two classes: 0.2 s), but 61 on 19 rows × 3,000 integer
        // features with 7 classes (3.9 s), the case where features far
        // outnumber rows; without a penalty 0.1 to 1.6, and up to 10 for
        // several classes (2,000 × 200, 7 classes: 4.6 s). Taken as 3
        // passes with a penalty, growing with features / rows; without, 2
        // for two classes and 6 + features / 40 (at most 20) for more. On
        // 24 synthetic cases the estimates ran 1.0× to 4.6× the fits (16×
        // and 27× with 50 times more features than rows, and 350× to 400×
        // for several classes without a penalty on more features than
        // rows: those fits end at once).
        ModelSpec::Logistic { alpha } => {
            let k = if classes > 2 { classes as f64 } else { 1.0 };
            let passes = if alpha > 0.0 {
                3.0 * (1.0 + w / (8.0 * r.max(1.0)))
            } else if classes > 2 {
                (6.0 + w / 40.0).min(20.0)
            } else {
                2.0
            };
            (r * w * k * passes, format!("{rows} rows × {width} features × {k} classes × about {passes:.0} passes"))
        }
        ModelSpec::GaussianNb => (r * w * 4.0, format!("{rows} rows × {width} features")),
        ModelSpec::Ridge { .. } => (r * w * w / 4.0 + w * w * w / 3.0, format!("{rows} rows × {width}² features")),
        // Coordinate descent: passes over the data. Measured natively on
        // 100,000 × 15 (2 cores busy): lasso 0.3 s to 0.4 s a fit, elastic
        // net 0.15 s (100 passes were assumed: 24 s, which left them out of
        // the default search on 150,000 rows). Taken as 10 passes.
        ModelSpec::Lasso { .. } | ModelSpec::ElasticNet { .. } => {
            (r * w * 10.0, format!("{rows} rows × {width} features × about 10 passes"))
        }
        ModelSpec::Linear => (r * w * w / 2.0 + w * w * w, format!("{rows} rows × {width}² features")),
        ModelSpec::ExtraTrees { n_trees, max_depth, .. } => {
            // Random thresholds: cheaper per split than the forest's search.
            let depth = depth_of(max_depth);
            (n_trees as f64 * r * depth * w / 2.0, format!("{n_trees} trees × {rows} rows × depth {depth:.0} × {width} features"))
        }
        // The SMO solver touches about rows² kernel entries (a pair of
        // classes at a time for SVC, one-vs-one), over more passes as the
        // rows grow. Measured natively (2 cores busy), 10 features, two
        // classes, the default candidates: 1,000 rows 1.4 s to 3.3 s a fit,
        // 2,000 rows 9 s to 19 s; a Titanic of 445 training rows × 20
        // features 0.3 s to 0.6 s. Taken as rows^2.5 × features at 1.04e-8
        // s (rows² at 9 units said 13 s for the Titanic's 668 rows and left
        // SVC out of the default search). SVR: 2,025 × 10 rows, 4.2 s.
        ModelSpec::Svc { .. } => {
            let k = classes.max(2) as f64;
            let pairs = k * (k - 1.0) / 2.0;
            let per_pair = if classes <= 2 { r } else { 2.0 * r / k };
            (pairs * per_pair.powf(2.5) * w * SVC_UNITS, format!("{pairs} class pair{} × ({per_pair:.0} rows)^2.5 × {width} features", if pairs == 1.0 { "" } else { "s" }))
        }
        ModelSpec::Svr { .. } => (r * r * w * 0.65, format!("({rows} rows)² × {width} features")),
        // Each round sorts the rows by each feature, and updates every
        // row's prediction whatever the width (the + 4); a deeper tree
        // splits more levels. Measured natively on one idle core, 100
        // rounds of depth 3 (one fold's fit): 3,750 rows × 5 features 0.29
        // s, × 20 1.05 s; 7,500 × 20 2.0 s; 37,500 × 5 3.7 s (depth 5 5.6
        // s, 200 rounds 7.2 s); 75,000 × 5 8.2 s. The estimates run 1.7× to
        // 2.3× these, and about 1× with the cores busy with other work
        // (up to twice as slow). Rounds × depth × rows × features × 1.44
        // units, as before, ran 3× to 6× idle fits.
        ModelSpec::Gbt { n_estimators, max_depth, .. } => {
            let depth = f64::from(max_depth.max(1)) / 3.0;
            (n_estimators as f64 * r * (w + 4.0) * depth * GBT_UNITS, format!("{n_estimators} rounds × {rows} rows × {width} features, depth {max_depth}"))
        }
    };
    (units * SECONDS_PER_UNIT, detail)
}

/// What makes a job of `spec` quicker, in words (for over-budget errors).
pub fn speed_hint(spec: &ModelSpec) -> &'static str {
    match spec {
        ModelSpec::RandomForest { .. } | ModelSpec::ExtraTrees { .. } => "use fewer trees, set a max depth, or sample the rows",
        ModelSpec::DecisionTree { .. } => "set a max depth or sample the rows",
        ModelSpec::Gbt { .. } => "use fewer rounds or shallower trees, or sample the rows",
        _ => "sample the rows or use another model",
    }
}

/// What to do when a regression model needs more rows than the data's
/// columns: the models that take wide data, or fewer columns.
const WIDE_ADVICE: &str = "use elastic_net or a tree model (random_forest, extra_trees, gbt), or fewer columns (one-hot columns of many labels are the usual cause)";

/// Refuses jobs a model's algorithm cannot take, before it starts: the
/// support-vector solver past [`MAX_SVM_ROWS`] rows (it grows with their
/// square) and SVC past [`MAX_SVC_CLASSES`] classes (one model per pair),
/// with the estimate in the message.
pub fn check_size(spec: &ModelSpec, rows: usize, width: usize, classes: usize) -> Result<(), TrainError> {
    let too_big = |reason: String| Err(TrainError::TooLargeForModel { model: spec.name(), reason });
    match spec {
        ModelSpec::Svc { .. } | ModelSpec::Svr { .. } if rows > MAX_SVM_ROWS => {
            let (seconds, detail) = estimate_seconds(spec, rows, width, classes.max(1));
            too_big(format!(
                "{rows} training rows, over the limit of {MAX_SVM_ROWS} for support-vector models (the solver grows with the square of the rows: about {seconds:.0} s, {detail}); sample the rows or use another model"
            ))
        }
        // smartcore 0.7's SVR copies each support vector with the row count
        // as its length, so wider rows are cut short and prediction panics.
        ModelSpec::Svr { .. } if width > rows => too_big(format!(
            "{width} feature columns but {rows} training rows; smartcore's SVR needs at least as many rows as columns; {WIDE_ADVICE}"
        )),
        // smartcore's least squares and ridge need more rows than columns,
        // its lasso at least as many; they refuse with a bare message.
        ModelSpec::Linear | ModelSpec::Ridge { .. } if width >= rows => too_big(format!(
            "{width} feature columns but {rows} training rows; smartcore's {} needs more rows than columns (at least {}); {WIDE_ADVICE}",
            spec.name(),
            width + 1
        )),
        ModelSpec::Lasso { .. } if width > rows => too_big(format!(
            "{width} feature columns but {rows} training rows; smartcore's lasso needs at least as many rows as columns; {WIDE_ADVICE}"
        )),
        ModelSpec::Svc { .. } if classes > MAX_SVC_CLASSES => too_big(format!(
            "{classes} classes need {} one-vs-one models, over the limit of {MAX_SVC_CLASSES} classes; use logistic or random_forest",
            classes * (classes - 1) / 2
        )),
        _ => Ok(()),
    }
}

/// Refuses SVC on data wider than the rows of its smallest pair of classes
/// (with two classes or more in `y`): as for SVR, smartcore cuts each
/// support vector to the row count of its pair of classes, so a pair needs
/// as many rows as there are columns.
pub fn check_classes(spec: &ModelSpec, width: usize, y: &Target) -> Result<(), TrainError> {
    let (ModelSpec::Svc { .. }, Target::Classes(codes)) = (spec, y) else { return Ok(()) };
    let mut counts = vec![0usize; codes.iter().max().map_or(0, |&m| m as usize + 1)];
    for &c in codes {
        counts[c as usize] += 1;
    }
    counts.retain(|&n| n > 0);
    counts.sort_unstable();
    let [a, b, ..] = counts[..] else { return Ok(()) };
    let pair_rows = a + b;
    if width > pair_rows {
        return Err(TrainError::TooLargeForModel {
            model: "svc",
            reason: format!("{width} feature columns but only {pair_rows} training rows in the smallest pair of classes; smartcore's SVC needs at least as many rows as columns; use logistic or random_forest, or fewer columns"),
        });
    }
    Ok(())
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
    fn len(&self) -> usize {
        match self {
            Target::Classes(v) => v.len(),
            Target::Values(v) => v.len(),
        }
    }
}

type X = DenseMatrix<f64>;

/// A fitted model, with the width of its training matrix.
#[derive(Debug)]
pub struct TrainedModel {
    width: usize,
    /// Classes of the target (highest code + 1); 0 for regression.
    classes: usize,
    /// The class codes present in the training rows, ascending.
    seen: Vec<u32>,
    inner: Fitted,
}

#[derive(Debug)]
enum Fitted {
    ForestClassifier(cart::Classifier),
    ForestRegressor(RandomForestRegressor<f64, f64, X, Vec<f64>>),
    TreeClassifier(cart::Classifier),
    TreeRegressor(DecisionTreeRegressor<f64, f64, X, Vec<f64>>),
    KnnClassifier(svm::Scaler, KNNClassifier<f64, u32, X, Vec<u32>, Euclidian<f64>>),
    KnnRegressor(svm::Scaler, KNNRegressor<f64, f64, X, Vec<f64>, Euclidian<f64>>),
    Logistic(LogisticRegression<f64, u32, X, Vec<u32>>),
    GaussianNb(proba::NaiveBayes),
    /// With the training columns that vary ([`varying_columns`]).
    Ridge(Vec<usize>, RidgeRegression<f64, f64, X, Vec<f64>>),
    /// With the training columns that vary ([`varying_columns`]).
    Lasso(Vec<usize>, Lasso<f64, f64, X, Vec<f64>>),
    Svc(svm::SvcModel),
    Linear(LinearRegression<f64, f64, X, Vec<f64>>),
    /// A linear model as coefficients and intercept (elastic net, fitted on
    /// centred data so the intercept is not penalised, as scikit-learn does).
    Coefficients { coef: Vec<f64>, intercept: f64 },
    ExtraTrees(ExtraTreesRegressor<f64, f64, X, Vec<f64>>),
    Svr(svm::SvrModel),
    Gbt(XGRegressor<f64, f64, X, Vec<f64>>),
}

/// The columns of `x` that are not one value in every row: ridge and
/// lasso standardise their columns and smartcore fails on a constant one
/// ("Cannot rescale constant column"; statsmodels' `constant`, or a
/// one-hot column of a label no fold's training rows hold). A constant
/// column adds nothing to these models; with none, the columns are all.
fn varying_columns(x: &Array2<f64>) -> Result<Vec<usize>, TrainError> {
    let keep: Vec<usize> = (0..x.ncols()).filter(|&j| x.column(j).iter().any(|&v| Some(&v) != x.column(j).first())).collect();
    if keep.is_empty() {
        return Err(TrainError::Fit { message: "every feature column has one value in all the training rows".into() });
    }
    Ok(keep)
}

fn to_dense(x: &Array2<f64>) -> Result<DenseMatrix<f64>, TrainError> {
    let (rows, cols) = x.dim();
    let values: Vec<f64> = x.iter().copied().collect();
    DenseMatrix::new(rows, cols, values, false).map_err(|e| TrainError::Fit { message: e.to_string() })
}

/// Largest magnitude a model other than a tree or forest may see: squares
/// and sums of products over every row and column must stay finite.
pub const MAX_MAGNITUDE: f64 = 1e100;

/// Refuses values whose squares and sums would overflow in `model`'s
/// arithmetic. Trees and forests only compare values, so they take any
/// finite value.
fn check_magnitude(model: &ModelSpec, values: impl Iterator<Item = f64>) -> Result<(), TrainError> {
    if model.only_compares() {
        return Ok(());
    }
    let max = values.fold(0.0f64, |m, v| m.max(v.abs()));
    if max > MAX_MAGNITUDE {
        return Err(TrainError::ValuesTooLarge { model: model.name(), max, limit: MAX_MAGNITUDE });
    }
    Ok(())
}

fn check_finite(x: &Array2<f64>) -> Result<(), TrainError> {
    for ((row, column), v) in x.indexed_iter() {
        if !v.is_finite() {
            return Err(TrainError::NonFinite { column, row });
        }
    }
    Ok(())
}

/// smartcore's regression trees (its `base_tree` for the regressor, the
/// forest regressor and extra trees) count the root as level 1 and never
/// split a node at level `max_depth`, so their depth d is scikit-learn's
/// d − 1. Our `max_depth` is scikit-learn's for every tree (the
/// classification tree and forest, ours in `cart`, count as scikit-learn
/// does and take it as is). Measured before: depth 4 on diabetes gave
/// scikit-learn's depth-3 R² of 0.2634.
fn smartcore_depth(max_depth: Option<u16>) -> Option<u16> {
    max_depth.map(|d| d.saturating_add(1))
}

/// Fits `spec` on `x` and `y` with `seed`, after validating everything
/// smartcore would otherwise panic on.
pub fn fit(spec: &ModelSpec, x: &Array2<f64>, y: &Target, seed: u64) -> Result<TrainedModel, TrainError> {
    spec.validate()?;
    let (rows, width) = x.dim();
    if rows != y.len() {
        return Err(TrainError::LengthMismatch { rows, targets: y.len() });
    }
    if rows < 2 {
        return Err(TrainError::TooFewRows { needed: 2, found: rows });
    }
    if width == 0 {
        return Err(TrainError::WidthMismatch { expected: 1, found: 0 });
    }
    check_finite(x)?;
    if let Target::Values(v) = y {
        if let Some(row) = v.iter().position(|t| !t.is_finite()) {
            return Err(TrainError::NonFinite { column: width, row });
        }
    }
    let task = match y {
        Target::Classes(_) => Task::Classification,
        Target::Values(_) => Task::Regression,
    };
    if !spec.supports(task) {
        return Err(TrainError::WrongTask { model: spec.name(), task: task.as_str() });
    }
    check_magnitude(spec, x.iter().copied())?;
    if let Target::Values(v) = y {
        check_magnitude(spec, v.iter().copied())?;
    }
    if let ModelSpec::Knn { k } = spec {
        if *k > rows {
            return Err(TrainError::InvalidParameter {
                name: "k",
                value: k.param_text(),
                allowed: "at most the number of training rows",
            });
        }
    }
    let classes = match y {
        Target::Classes(codes) => codes.iter().max().map_or(0, |&m| m as usize + 1),
        Target::Values(_) => 0,
    };
    check_size(spec, rows, width, classes)?;
    if let (ModelSpec::Logistic { .. }, Target::Classes(codes)) = (spec, y) {
        let classes = codes.iter().max().map_or(0, |&m| m as usize + 1);
        if classes > MAX_LOGISTIC_CLASSES {
            return Err(TrainError::TooManyClasses { target: "the target".into(), classes, limit: MAX_LOGISTIC_CLASSES, hint: String::new() });
        }
    }
    let dense = to_dense(x)?;
    let failed = |e: smartcore::error::Failed| {
        let mut message = e.to_string();
        // smartcore's lasso and elastic net solve by an interior-point
        // method with a fixed iteration limit, which some data exhausts
        // (scaling the features did not help on a tester's house prices).
        if message.contains("interior point") {
            message.push_str("; smartcore's solver for this model stops at a fixed number of iterations: choose ridge, which solves directly, or search this model's other strengths (alpha)");
        }
        // Its conjugate-gradient step is given a tolerance of 0 when the
        // duality gap already is: the target is constant on these rows
        // (or the penalty sets every weight to 0), nothing to fit.
        if message.contains("tolerance shoud be > 0") {
            message = "smartcore's solver found nothing to fit: the target is constant on these rows, or the penalty (alpha) sets every weight to 0; a smaller alpha, or another model, fits it".into();
        }
        TrainError::Fit { message }
    };
    let inner = match (spec, y) {
        (&ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split }, Target::Classes(codes)) => {
            let params = cart::TreeParams { max_depth, min_samples_leaf, min_samples_split };
            Fitted::ForestClassifier(cart::Classifier::fit_forest(x, codes, params, n_trees, seed)?)
        }
        (&ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split }, Target::Values(values)) => {
            let params = RandomForestRegressorParameters {
                n_trees: n_trees as usize,
                max_depth: smartcore_depth(max_depth),
                min_samples_leaf,
                min_samples_split,
                seed,
                ..RandomForestRegressorParameters::default()
            };
            Fitted::ForestRegressor(RandomForestRegressor::fit(&dense, values, params).map_err(failed)?)
        }
        (&ModelSpec::DecisionTree { max_depth, min_samples_leaf, min_samples_split }, Target::Classes(codes)) => {
            let params = cart::TreeParams { max_depth, min_samples_leaf, min_samples_split };
            Fitted::TreeClassifier(cart::Classifier::fit_tree(x, codes, params, seed)?)
        }
        (&ModelSpec::DecisionTree { max_depth, min_samples_leaf, min_samples_split }, Target::Values(values)) => {
            let params = DecisionTreeRegressorParameters { max_depth: smartcore_depth(max_depth), min_samples_leaf, min_samples_split, seed: Some(seed) };
            Fitted::TreeRegressor(DecisionTreeRegressor::fit(&dense, values, params).map_err(failed)?)
        }
        (&ModelSpec::Knn { k }, Target::Classes(codes)) => {
            let scaler = svm::Scaler::fit(x);
            let scaled = to_dense(&scaler.apply(x))?;
            Fitted::KnnClassifier(scaler, KNNClassifier::fit(&scaled, codes, KNNClassifierParameters::default().with_k(k)).map_err(failed)?)
        }
        (&ModelSpec::Knn { k }, Target::Values(values)) => {
            let scaler = svm::Scaler::fit(x);
            let scaled = to_dense(&scaler.apply(x))?;
            Fitted::KnnRegressor(scaler, KNNRegressor::fit(&scaled, values, KNNRegressorParameters::default().with_k(k)).map_err(failed)?)
        }
        (&ModelSpec::Logistic { alpha }, Target::Classes(codes)) => {
            let m = LogisticRegression::fit(&dense, codes, LogisticRegressionParameters::default().with_alpha(alpha)).map_err(failed)?;
            // Without a penalty the weights can run off to infinity (a rare
            // class that a feature separates): the model then predicts
            // one class everywhere, which the search had scored as a fit.
            let (r, c) = m.coefficients().shape();
            let finite = (0..r).all(|i| (0..c).all(|j| m.coefficients().get((i, j)).is_finite()) && m.intercept().get((i, 0)).is_finite());
            if !finite {
                return Err(TrainError::Fit {
                    message: format!(
                        "logistic regression with alpha={} gave weights that are not finite: {}",
                        alpha.param_text(),
                        if alpha == 0.0 { "without a penalty they grow without bound when a feature separates the classes (often a rare one); give it a penalty (alpha 1 or more) or let the search choose" } else { "the solver diverged; try a larger alpha" }
                    ),
                });
            }
            Fitted::Logistic(m)
        }
        (ModelSpec::GaussianNb, Target::Classes(codes)) => {
            Fitted::GaussianNb(proba::NaiveBayes::fit(x, codes)?)
        }
        (&ModelSpec::Ridge { alpha }, Target::Values(values)) => {
            let keep = varying_columns(x)?;
            let dense = to_dense(&x.select(ndarray::Axis(1), &keep))?;
            Fitted::Ridge(keep, RidgeRegression::fit(&dense, values, RidgeRegressionParameters::default().with_alpha(alpha)).map_err(failed)?)
        }
        (&ModelSpec::Lasso { alpha }, Target::Values(values)) => {
            let keep = varying_columns(x)?;
            let dense = to_dense(&x.select(ndarray::Axis(1), &keep))?;
            Fitted::Lasso(keep, Lasso::fit(&dense, values, LassoParameters::default().with_alpha(alpha)).map_err(failed)?)
        }
        (&ModelSpec::Svc { kernel, c, gamma }, Target::Classes(codes)) => {
            let mut seen = codes.clone();
            seen.sort_unstable();
            seen.dedup();
            if seen.len() < 2 {
                return Err(TrainError::Fit { message: "the training rows hold only one class".into() });
            }
            check_classes(spec, width, y)?;
            Fitted::Svc(svm::SvcModel::new(x, codes, classes, kernel, c, gamma, seed))
        }
        (ModelSpec::Linear, Target::Values(values)) => {
            Fitted::Linear(LinearRegression::fit(&dense, values, LinearRegressionParameters::default()).map_err(failed)?)
        }
        (&ModelSpec::ElasticNet { alpha, l1_ratio }, Target::Values(values)) => {
            // scikit-learn's objective: no normalisation, the intercept
            // unpenalised (fitted on centred data, then shifted back).
            let n = rows as f64;
            let x_mean: Vec<f64> = (0..width).map(|j| x.column(j).sum() / n).collect();
            let y_mean = values.iter().sum::<f64>() / n;
            let centred = x - &ndarray::Array1::from(x_mean.clone());
            let y_centred: Vec<f64> = values.iter().map(|v| v - y_mean).collect();
            let params = ElasticNetParameters { alpha, l1_ratio, normalize: false, ..ElasticNetParameters::default() };
            let model = ElasticNet::fit(&to_dense(&centred)?, &y_centred, params).map_err(failed)?;
            let coef: Vec<f64> = (0..width).map(|j| *model.coefficients().get((j, 0))).collect();
            let shift: f64 = coef.iter().zip(&x_mean).map(|(w, m)| w * m).sum();
            Fitted::Coefficients { intercept: y_mean + *model.intercept() - shift, coef }
        }
        (&ModelSpec::ExtraTrees { n_trees, max_depth, min_samples_leaf, min_samples_split }, Target::Values(values)) => {
            let params = ExtraTreesRegressorParameters {
                n_trees: n_trees as usize,
                max_depth: smartcore_depth(max_depth),
                min_samples_leaf,
                min_samples_split,
                seed,
                ..ExtraTreesRegressorParameters::default()
            };
            Fitted::ExtraTrees(ExtraTreesRegressor::fit(&dense, values, params).map_err(failed)?)
        }
        (&ModelSpec::Svr { kernel, c, epsilon, gamma }, Target::Values(values)) => {
            Fitted::Svr(svm::SvrModel::new(x, values, kernel, c, epsilon, gamma))
        }
        (&ModelSpec::Gbt { n_estimators, max_depth, learning_rate, lambda, subsample }, Target::Values(values)) => {
            // Start from the mean, as scikit-learn does: XGBoost's fixed 0.5
            // needs many rounds to reach a target in the hundreds.
            let base_score = values.iter().sum::<f64>() / values.len() as f64;
            let params = XGRegressorParameters {
                n_estimators: n_estimators as usize,
                max_depth,
                learning_rate,
                lambda,
                subsample,
                base_score,
                seed,
                ..XGRegressorParameters::default()
            };
            Fitted::Gbt(XGRegressor::fit(&dense, values, params).map_err(failed)?)
        }
        _ => unreachable!("supports() was checked above"),
    };
    let seen = match y {
        Target::Classes(codes) => {
            let mut s = codes.clone();
            s.sort_unstable();
            s.dedup();
            s
        }
        Target::Values(_) => Vec::new(),
    };
    Ok(TrainedModel { width, classes, seen, inner })
}

impl TrainedModel {
    /// Predicts class codes or values for each row of `x`; non-finite
    /// predictions (a degenerate linear fit) are an error, never a metric.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Target, TrainError> {
        Ok(self.predict_full(x, false)?.0)
    }

    /// Whether the model is a classifier (every classifier gives class
    /// probabilities through [`TrainedModel::predict_full`]).
    pub fn is_classifier(&self) -> bool {
        self.classes > 0
    }

    /// Predicts like [`TrainedModel::predict`] and, for a classifier when
    /// `probabilities` is set, the class probabilities (rows × classes, in
    /// class-code order; classes absent from the training rows get 0).
    pub fn predict_full(&self, x: &Array2<f64>, probabilities: bool) -> Result<(Target, Option<Probabilities>), TrainError> {
        if x.ncols() != self.width {
            return Err(TrainError::WidthMismatch { expected: self.width, found: x.ncols() });
        }
        check_finite(x)?;
        if !matches!(
            self.inner,
            Fitted::ForestClassifier(_) | Fitted::ForestRegressor(_) | Fitted::TreeClassifier(_) | Fitted::TreeRegressor(_)
        ) {
            // Any non-tree spec stands for the family's limit here.
            check_magnitude(&ModelSpec::GaussianNb, x.iter().copied())?;
        }
        let dense = to_dense(x)?;
        let failed = |e: smartcore::error::Failed| TrainError::Fit { message: e.to_string() };
        let k = self.classes;
        let mut proba = None;
        let out = match &self.inner {
            Fitted::ForestClassifier(m) | Fitted::TreeClassifier(m) => {
                let (pred, p) = m.predict(x, k)?;
                proba = Some(p);
                Target::Classes(pred)
            }
            Fitted::KnnClassifier(scaler, m) => {
                let dense = to_dense(&scaler.apply(x))?;
                let pred = m.predict(&dense).map_err(failed)?;
                if probabilities {
                    // Columns follow the sorted distinct training codes.
                    let rows = m.predict_proba(&dense).map_err(failed)?;
                    proba = Some(proba::widen(rows, &self.seen, k));
                }
                Target::Classes(pred)
            }
            Fitted::Logistic(m) => {
                if probabilities {
                    proba = Some(proba::logistic(m, x, k));
                }
                Target::Classes(m.predict(&dense).map_err(failed)?)
            }
            Fitted::GaussianNb(m) => {
                if probabilities {
                    proba = Some(m.proba(x, k));
                }
                Target::Classes(m.predict(x)?)
            }
            Fitted::ForestRegressor(m) => Target::Values(m.predict(&dense).map_err(failed)?),
            Fitted::TreeRegressor(m) => Target::Values(m.predict(&dense).map_err(failed)?),
            Fitted::KnnRegressor(scaler, m) => Target::Values(m.predict(&to_dense(&scaler.apply(x))?).map_err(failed)?),
            Fitted::Ridge(keep, m) => Target::Values(m.predict(&to_dense(&x.select(ndarray::Axis(1), keep))?).map_err(failed)?),
            Fitted::Lasso(keep, m) => Target::Values(m.predict(&to_dense(&x.select(ndarray::Axis(1), keep))?).map_err(failed)?),
            Fitted::Svc(m) => {
                let (pred, p) = m.predict(x)?;
                proba = Some(p);
                Target::Classes(pred)
            }
            Fitted::Linear(m) => Target::Values(m.predict(&dense).map_err(failed)?),
            Fitted::Coefficients { coef, intercept } => {
                Target::Values(x.rows().into_iter().map(|row| coef.iter().zip(row).map(|(w, v)| w * v).sum::<f64>() + intercept).collect())
            }
            Fitted::ExtraTrees(m) => Target::Values(m.predict(&dense).map_err(failed)?),
            Fitted::Svr(m) => Target::Values(m.predict(x)?),
            Fitted::Gbt(m) => Target::Values(m.predict(&dense).map_err(failed)?),
        };
        if let Target::Values(v) = &out {
            if v.iter().any(|p| !p.is_finite()) {
                return Err(TrainError::Fit { message: "the model predicted a value that is not finite (the fit is degenerate)".into() });
            }
        }
        if let Some(p) = &proba {
            if p.iter().any(|v| !v.is_finite()) {
                return Err(TrainError::Fit { message: "the model gave a class probability that is not finite".into() });
            }
        }
        Ok((out, if probabilities { proba } else { None }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xor_like() -> (Array2<f64>, Target) {
        let x = Array2::from_shape_fn((40, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f64);
        let y = Target::Classes((0..40).map(|i| ((i * 7) % 11 > 5) as u32).collect());
        (x, y)
    }

    /// A constant feature column (statsmodels' `constant`, or a one-hot
    /// column of a label a fold lacks) made every ridge and lasso fit fail
    /// ("Cannot rescale constant column 1"); they fit without it, and
    /// predict as they do on the data without it, bit for bit.
    #[test]
    fn ridge_and_lasso_fit_beside_a_constant_column() {
        let plain = Array2::from_shape_fn((30, 2), |(i, j)| ((i * (j + 3)) % 7) as f64 + 0.5 * j as f64);
        let y = Target::Values((0..30).map(|i| plain[[i, 0]] * 2.0 - plain[[i, 1]] + (i % 3) as f64 * 0.1).collect());
        let mut with = Array2::from_elem((30, 3), 1.0);
        with.column_mut(0).assign(&plain.column(0));
        with.column_mut(2).assign(&plain.column(1));
        for spec in [ModelSpec::Ridge { alpha: 1.0 }, ModelSpec::Lasso { alpha: 0.1 }] {
            let a = fit(&spec, &with, &y, 1).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
            let b = fit(&spec, &plain, &y, 1).unwrap();
            let (Target::Values(pa), Target::Values(pb)) = (a.predict(&with).unwrap(), b.predict(&plain).unwrap()) else { panic!("values") };
            assert_eq!(pa.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), pb.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), "{spec:?}");
        }
        assert!(fit(&ModelSpec::Ridge { alpha: 1.0 }, &Array2::from_elem((30, 2), 3.0), &y, 1).is_err());
    }

    /// One row per bad parameter: the spec and the parameter named.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn bad_parameters_are_named() {
        let cases = [
            (ModelSpec::RandomForest { n_trees: 0, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }, "n_trees"),
            (ModelSpec::RandomForest { n_trees: 1001, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }, "n_trees"),
            (ModelSpec::RandomForest { n_trees: 10, max_depth: Some(0), min_samples_leaf: 1, min_samples_split: 2 }, "max_depth"),
            (ModelSpec::RandomForest { n_trees: 10, max_depth: None, min_samples_leaf: 0, min_samples_split: 2 }, "min_samples_leaf"),
            (ModelSpec::RandomForest { n_trees: 10, max_depth: None, min_samples_leaf: 1, min_samples_split: 1 }, "min_samples_split"),
        ];
        let (x, y) = xor_like();
        for (spec, name) in cases {
            match fit(&spec, &x, &y, 1) {
                Err(TrainError::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
                other => panic!("{spec:?}: expected InvalidParameter, got {other:?}"),
            }
        }
    }

    /// smartcore's lasso on a constant target stops with "tolerance shoud
    /// be > 0", a setting no user gives: said as what it means.
    #[test]
    fn lasso_on_a_constant_target_says_there_is_nothing_to_fit() {
        let x = Array2::from_shape_fn((30, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f64);
        let y = Target::Values(vec![7.5; 30]);
        for spec in [ModelSpec::Lasso { alpha: 1.0 }, ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 0.5 }] {
            let Err(e) = fit(&spec, &x, &y, 1) else { panic!("{spec:?} fitted a constant target") };
            let e = e.to_string();
            assert!(e.contains("smartcore's solver found nothing to fit: the target is constant on these rows"), "{spec:?}: {e}");
        }
    }

    /// An out-of-range float is said as a number is written (`1e308`),
    /// not as its 309 integer digits; so are leaderboard settings.
    #[test]
    fn huge_parameters_read_as_written() {
        let (x, y) = xor_like();
        let err = fit(&ModelSpec::Logistic { alpha: 1e308 }, &x, &y, 1).unwrap_err().to_string();
        assert_eq!(err, "parameter alpha = 1e308 is out of range: allowed 0 to 1000000");
        assert_eq!(ModelSpec::Ridge { alpha: 1e-300 }.params_text(), "alpha=1e-300");
        assert_eq!(ModelSpec::Ridge { alpha: 0.5 }.params_text(), "alpha=0.5");
    }

    /// One row per new model's bad parameter: the spec and the parameter named.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn zoo_parameters_are_validated_before_smartcore() {
        let gbt = |n_estimators, max_depth, learning_rate, lambda, subsample| ModelSpec::Gbt { n_estimators, max_depth, learning_rate, lambda, subsample };
        let cases = [
            (ModelSpec::Svc { kernel: Kernel::Rbf, c: 0.0, gamma: None }, "c"),
            (ModelSpec::Svc { kernel: Kernel::Rbf, c: f64::NAN, gamma: None }, "c"),
            (ModelSpec::Svc { kernel: Kernel::Rbf, c: 1.0, gamma: Some(-1.0) }, "gamma"),
            (ModelSpec::Svr { kernel: Kernel::Linear, c: 1.0, epsilon: -0.1, gamma: None }, "epsilon"),
            (ModelSpec::Svr { kernel: Kernel::Linear, c: f64::INFINITY, epsilon: 0.1, gamma: None }, "c"),
            (ModelSpec::ElasticNet { alpha: 0.0, l1_ratio: 0.5 }, "alpha"),
            (ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 1.5 }, "l1_ratio"),
            (ModelSpec::ExtraTrees { n_trees: 0, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }, "n_trees"),
            (ModelSpec::ExtraTrees { n_trees: 5, max_depth: Some(0), min_samples_leaf: 1, min_samples_split: 2 }, "max_depth"),
            (gbt(0, 3, 0.1, 1.0, 1.0), "n_estimators"),
            (gbt(10, 0, 0.1, 1.0, 1.0), "max_depth"),
            (gbt(10, 3, 0.0, 1.0, 1.0), "learning_rate"),
            (gbt(10, 3, 0.1, -1.0, 1.0), "lambda"),
            (gbt(10, 3, 0.1, 1.0, 0.0), "subsample"),
        ];
        let (x, _) = xor_like();
        let y = Target::Values((0..40).map(|i| i as f64).collect());
        let classes = xor_like().1;
        for (spec, name) in cases {
            let target = if spec.supports(Task::Classification) { &classes } else { &y };
            match fit(&spec, &x, target, 1) {
                Err(TrainError::InvalidParameter { name: n, allowed, .. }) => {
                    assert_eq!(n, name, "{spec:?}");
                    assert!(!allowed.is_empty());
                }
                other => panic!("{spec:?}: expected InvalidParameter, got {other:?}"),
            }
        }
    }

    /// Every model of the zoo fits, predicts finite values of the right
    /// kind, and every classifier's probabilities are rows summing to 1.
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn every_model_fits_and_every_classifier_gives_probabilities() {
        let (x, classes) = xor_like();
        let values = Target::Values((0..40).map(|i| ((i * 7) % 11) as f64 * 0.5 + (i % 3) as f64).collect());
        for name in crate::search::MODEL_NAMES {
            for spec in crate::search::default_space(name).unwrap() {
                for y in [&classes, &values] {
                    let task = if matches!(y, Target::Classes(_)) { Task::Classification } else { Task::Regression };
                    if !spec.supports(task) {
                        continue;
                    }
                    let model = fit(&spec, &x, y, 7).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
                    let (pred, proba) = model.predict_full(&x, true).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
                    match (pred, proba) {
                        (Target::Classes(p), Some(pr)) => {
                            assert_eq!(p.len(), 40);
                            assert_eq!(pr.dim(), (40, 2), "{spec:?}");
                            for row in pr.rows() {
                                let sum: f64 = row.iter().sum();
                                assert!((sum - 1.0).abs() < 1e-6 && row.iter().all(|v| (0.0..=1.0).contains(v)), "{spec:?}: {row:?}");
                            }
                        }
                        (Target::Values(v), None) => assert!(v.iter().all(|p| p.is_finite()), "{spec:?}"),
                        other => panic!("{spec:?}: {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn svm_size_caps_name_the_estimate() {
        let err = check_size(&ModelSpec::Svr { kernel: Kernel::Rbf, c: 1.0, epsilon: 0.1, gamma: None }, 6_000, 10, 0).unwrap_err();
        assert_eq!(err.code(), "too_large_for_model");
        assert!(err.to_string().contains("5000") && err.to_string().contains(" s"), "{err}");
        let err = check_size(&ModelSpec::Svr { kernel: Kernel::Rbf, c: 1.0, epsilon: 0.1, gamma: None }, 13, 60, 0).unwrap_err();
        assert!(err.to_string().contains("60 feature columns but 13 training rows"), "{err}");
        let err = check_size(&ModelSpec::Svc { kernel: Kernel::Linear, c: 1.0, gamma: None }, 500, 10, 30).unwrap_err();
        assert!(err.to_string().contains("435 one-vs-one models"), "{err}");
        assert!(check_size(&ModelSpec::Svc { kernel: Kernel::Linear, c: 1.0, gamma: None }, 500, 10, 3).is_ok());
        // Wider than a pair of classes has rows: refused, not a smartcore panic.
        let wide = Array2::from_shape_fn((12, 30), |(i, j)| ((i * 31 + j * 7) % 13) as f64);
        let y = Target::Classes((0..12).map(|i| (i % 2) as u32).collect());
        let err = fit(&ModelSpec::Svc { kernel: Kernel::Rbf, c: 1.0, gamma: None }, &wide, &y, 1).unwrap_err();
        assert!(err.to_string().contains("30 feature columns but only 12 training rows"), "{err}");
        let y = Target::Values((0..12).map(|i| i as f64).collect());
        assert_eq!(fit(&ModelSpec::Svr { kernel: Kernel::Rbf, c: 1.0, epsilon: 0.1, gamma: None }, &wide, &y, 1).unwrap_err().code(), "too_large_for_model");
    }

    /// Least squares, ridge and lasso fit data exactly as wide as smartcore
    /// takes (one row more than columns for least squares and ridge, as many
    /// for lasso) and one row fewer is refused in our words, naming the
    /// models that take wide data.
    #[test]
    fn linear_models_on_wide_data_are_refused_at_smartcores_limit() {
        let width = 8;
        let data = |rows: usize| {
            let x = Array2::from_shape_fn((rows, width), |(i, j)| (((i + 3) * (j + 5) * 7919) % 101) as f64 / 10.0 + (i == j) as u8 as f64);
            let y = Target::Values((0..rows).map(|i| (i * 13 % 17) as f64).collect());
            (x, y)
        };
        for (spec, fewest) in [(ModelSpec::Linear, width + 1), (ModelSpec::Ridge { alpha: 1.0 }, width + 1), (ModelSpec::Lasso { alpha: 0.1 }, width)] {
            let (x, y) = data(fewest);
            if let Err(e) = fit(&spec, &x, &y, 1) { panic!("{spec:?} on {fewest} rows: {e}") }
            let (x, y) = data(fewest - 1);
            let err = fit(&spec, &x, &y, 1).unwrap_err();
            assert_eq!(err.code(), "too_large_for_model", "{spec:?}: {err}");
            assert!(err.to_string().contains(&format!("{width} feature columns but {} training rows", fewest - 1)) && err.to_string().contains("use elastic_net"), "{err}");
        }
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn same_seed_same_model() {
        let (x, y) = xor_like();
        let spec = ModelSpec::RandomForest { n_trees: 15, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 };
        let a = fit(&spec, &x, &y, 3).unwrap().predict(&x).unwrap();
        let b = fit(&spec, &x, &y, 3).unwrap().predict(&x).unwrap();
        assert_eq!(a, b);
    }

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn estimate_grows_with_the_job() {
        let spec = ModelSpec::default();
        let (small, _) = estimate_seconds(&spec, 111, 4, 3);
        let (big, detail) = estimate_seconds(&spec, 100_000, 20, 1);
        assert!(small < 0.1, "{small}");
        assert!((50.0..200.0).contains(&big), "{big}");
        assert_eq!(detail, "100 trees × 100000 rows × depth 17 × 4 features per split");
        // Our classification trees (× 20 features, 3 classes), measured
        // natively: 100 trees 0.39 s on 5,000 rows, 1.8 s on 20,000, 11.6 s
        // on 80,000, 14.8 s on 100,000; one tree 0.14 s, 1.0 s, 1.2 s on
        // 20,000, 80,000, 100,000; at depth 5, 0.14 s to 4.1 s.
        let tree = |max_depth| ModelSpec::DecisionTree { max_depth, min_samples_leaf: 1, min_samples_split: 2 };
        let forest = |max_depth| ModelSpec::RandomForest { n_trees: 100, max_depth, min_samples_leaf: 1, min_samples_split: 2 };
        let measured = [
            (forest(None), 5_000, 0.39),
            (forest(None), 20_000, 1.8),
            (forest(None), 80_000, 11.6),
            (forest(None), 100_000, 14.8),
            (forest(Some(5)), 5_000, 0.14),
            (forest(Some(5)), 100_000, 4.1),
            (tree(None), 20_000, 0.14),
            (tree(None), 80_000, 1.0),
            (tree(None), 100_000, 1.2),
            (tree(Some(5)), 100_000, 0.35),
        ];
        for (spec, rows, seconds) in measured {
            let (s, detail) = estimate_seconds(&spec, rows, 20, 3);
            assert!(s >= seconds && s < seconds * 2.0, "{spec:?} on {rows} rows: {s} s estimated ({detail}), {seconds} s measured");
        }
        // Gradient-boosted trees (regression), one fold's fit measured
        // natively on an idle core: the estimate was 3× to 6× too high.
        let gbt = |n_estimators, max_depth| ModelSpec::Gbt { n_estimators, max_depth, learning_rate: 0.1, lambda: 1.0, subsample: 1.0 };
        let measured = [
            (gbt(100, 3), 3_750, 5, 0.29),
            (gbt(100, 3), 3_750, 20, 1.05),
            (gbt(100, 3), 7_500, 20, 2.0),
            (gbt(100, 3), 37_500, 5, 3.7),
            (gbt(100, 5), 37_500, 5, 5.56),
            (gbt(200, 3), 37_500, 5, 7.2),
            (gbt(100, 3), 75_000, 5, 8.2),
        ];
        for (spec, rows, width, seconds) in measured {
            let (s, detail) = estimate_seconds(&spec, rows, width, 1);
            assert!(s >= seconds && s < seconds * 2.5, "{spec:?} on {rows} × {width}: {s} s estimated ({detail}), {seconds} s measured");
        }
    }

    #[test]
    fn huge_values_are_refused_for_knn_instead_of_overflowing_the_stack() {
        let (mut x, y) = xor_like();
        x[[0, 0]] = 1e308;
        let err = fit(&ModelSpec::Knn { k: 3 }, &x, &y, 1).unwrap_err();
        assert_eq!(err.code(), "values_too_large");
        let (x, y) = xor_like();
        let model = fit(&ModelSpec::Knn { k: 3 }, &x, &y, 1).unwrap();
        let mut far = x.clone();
        far[[1, 1]] = -1e200;
        assert_eq!(model.predict(&far).unwrap_err().code(), "values_too_large");
    }

    #[test]
    fn width_mismatch_is_an_error_not_a_panic() {
        let (x, y) = xor_like();
        let model = fit(&ModelSpec::default(), &x, &y, 1).unwrap();
        let narrow = Array2::zeros((3, 1));
        assert_eq!(model.predict(&narrow).unwrap_err().code(), "width_mismatch");
    }

    #[test]
    fn non_finite_and_tiny_inputs_are_refused() {
        let (mut x, y) = xor_like();
        x[[4, 1]] = f64::NAN;
        assert_eq!(fit(&ModelSpec::default(), &x, &y, 1).unwrap_err().code(), "non_finite");
        let one = Array2::zeros((1, 2));
        assert_eq!(fit(&ModelSpec::default(), &one, &Target::Values(vec![1.0]), 1).unwrap_err().code(), "too_few_rows");
    }
}
