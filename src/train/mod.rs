//! Model learning: model specs as data, validated, then fitted by smartcore.
//!
//! Takes a prepared matrix (`ndarray::Array2<f64>`, finite by construction),
//! a target (class codes or values) and a seed; gives a [`TrainedModel`]
//! that predicts on matrices of the same width. Every parameter is checked
//! by [`ModelSpec::validate`] before smartcore sees it, because smartcore
//! panics on some inputs and a panic kills the wasm instance. No wasm here.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_classifier::{
    RandomForestClassifier, RandomForestClassifierParameters,
};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;
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
    #[error("training would take about {seconds:.1} s by a rough estimate ({detail}), over the limit of {limit} s; use fewer trees, set a max depth, or sample the rows")]
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

/// A model and its hyperparameters, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    /// smartcore's random forest (classifier or regressor by task).
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
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::RandomForest { n_trees: 100, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }
    }
}

impl ModelSpec {
    /// Short model name, e.g. `random_forest`.
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::RandomForest { .. } => "random_forest",
        }
    }

    /// Checks every hyperparameter against its allowed range. The page, the
    /// command and replay all call this before fitting.
    pub fn validate(&self) -> Result<(), TrainError> {
        match *self {
            ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
                if n_trees == 0 || n_trees > MAX_TREES {
                    return Err(TrainError::InvalidParameter {
                        name: "n_trees",
                        value: n_trees.to_string(),
                        allowed: "1 to 1000",
                    });
                }
                if let Some(d) = max_depth {
                    if d == 0 || d > MAX_DEPTH {
                        return Err(TrainError::InvalidParameter {
                            name: "max_depth",
                            value: d.to_string(),
                            allowed: "1 to 64, or none",
                        });
                    }
                }
                if min_samples_leaf == 0 || min_samples_leaf > 1_000_000 {
                    return Err(TrainError::InvalidParameter {
                        name: "min_samples_leaf",
                        value: min_samples_leaf.to_string(),
                        allowed: "1 to 1000000",
                    });
                }
                if !(2..=1_000_000).contains(&min_samples_split) {
                    return Err(TrainError::InvalidParameter {
                        name: "min_samples_split",
                        value: min_samples_split.to_string(),
                        allowed: "2 to 1000000",
                    });
                }
                Ok(())
            }
        }
    }
}

/// Seconds per unit of [`estimate_seconds`]'s work model, measured natively
/// on a 100,000 × 20 forest (102 s for 6.6e8 units); wasm adds up to 1.2×.
const SECONDS_PER_UNIT: f64 = 1.6e-7;

/// A rough estimate of the seconds fitting `spec` on `rows` × `width` takes,
/// with the terms it is made of, so a job can be refused before it starts.
/// A forest costs about trees × rows × depth × features tried per split.
pub fn estimate_seconds(spec: &ModelSpec, rows: usize, width: usize) -> (f64, String) {
    let ModelSpec::RandomForest { n_trees, max_depth, .. } = *spec;
    let mtry = ((width as f64).sqrt().floor()).max(1.0);
    let mut depth = (rows.max(2) as f64).log2();
    if let Some(d) = max_depth {
        depth = depth.min(d as f64);
    }
    let units = n_trees as f64 * rows as f64 * depth * mtry;
    (units * SECONDS_PER_UNIT, format!("{n_trees} trees × {rows} rows × depth {depth:.0} × {mtry} features per split"))
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

/// A fitted model.
#[derive(Debug)]
pub enum TrainedModel {
    /// A random forest classifier over class codes.
    ForestClassifier {
        /// The smartcore model.
        model: RandomForestClassifier<f64, u32, DenseMatrix<f64>, Vec<u32>>,
        /// Width of the training matrix.
        width: usize,
    },
    /// A random forest regressor.
    ForestRegressor {
        /// The smartcore model.
        model: RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>,
        /// Width of the training matrix.
        width: usize,
    },
}

fn to_dense(x: &Array2<f64>) -> Result<DenseMatrix<f64>, TrainError> {
    let (rows, cols) = x.dim();
    let values: Vec<f64> = x.iter().copied().collect();
    DenseMatrix::new(rows, cols, values, false).map_err(|e| TrainError::Fit { message: e.to_string() })
}

fn check_finite(x: &Array2<f64>) -> Result<(), TrainError> {
    for ((row, column), v) in x.indexed_iter() {
        if !v.is_finite() {
            return Err(TrainError::NonFinite { column, row });
        }
    }
    Ok(())
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
    let dense = to_dense(x)?;
    let ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split } = *spec;
    match y {
        Target::Classes(codes) => {
            let params = RandomForestClassifierParameters {
                n_trees,
                max_depth,
                min_samples_leaf,
                min_samples_split,
                seed,
                ..RandomForestClassifierParameters::default()
            };
            let model = RandomForestClassifier::fit(&dense, codes, params)
                .map_err(|e| TrainError::Fit { message: e.to_string() })?;
            Ok(TrainedModel::ForestClassifier { model, width })
        }
        Target::Values(values) => {
            let params = RandomForestRegressorParameters {
                n_trees: n_trees as usize,
                max_depth,
                min_samples_leaf,
                min_samples_split,
                seed,
                ..RandomForestRegressorParameters::default()
            };
            let model = RandomForestRegressor::fit(&dense, values, params)
                .map_err(|e| TrainError::Fit { message: e.to_string() })?;
            Ok(TrainedModel::ForestRegressor { model, width })
        }
    }
}

impl TrainedModel {
    /// Predicts class codes or values for each row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Target, TrainError> {
        let width = match self {
            TrainedModel::ForestClassifier { width, .. } | TrainedModel::ForestRegressor { width, .. } => *width,
        };
        if x.ncols() != width {
            return Err(TrainError::WidthMismatch { expected: width, found: x.ncols() });
        }
        check_finite(x)?;
        let dense = to_dense(x)?;
        match self {
            TrainedModel::ForestClassifier { model, .. } => model
                .predict(&dense)
                .map(Target::Classes)
                .map_err(|e| TrainError::Fit { message: e.to_string() }),
            TrainedModel::ForestRegressor { model, .. } => model
                .predict(&dense)
                .map(Target::Values)
                .map_err(|e| TrainError::Fit { message: e.to_string() }),
        }
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
        let (small, _) = estimate_seconds(&spec, 111, 4);
        let (big, detail) = estimate_seconds(&spec, 100_000, 20);
        assert!(small < 0.1, "{small}");
        assert!((50.0..200.0).contains(&big), "{big}");
        assert_eq!(detail, "100 trees × 100000 rows × depth 17 × 4 features per split");
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
