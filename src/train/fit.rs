//! Fitting each [`ModelSpec`] through smartcore, and predicting with it.
//!
//! Where smartcore has no probabilities they are computed here: logistic
//! regression from its coefficients, Gaussian naive Bayes from its fitted
//! means, variances and priors, SVC by Platt scaling of each pair's
//! decision values and pairwise coupling. `exp` and `log` come from the
//! `libm` crate so these figures are the same bits natively and in wasm.
//! No wasm here.

use ndarray::Array2;
use smartcore::ensemble::extra_trees_regressor::{ExtraTreesRegressor, ExtraTreesRegressorParameters};
use smartcore::ensemble::random_forest_classifier::{RandomForestClassifier, RandomForestClassifierParameters};
use smartcore::ensemble::random_forest_regressor::{RandomForestRegressor, RandomForestRegressorParameters};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::elastic_net::{ElasticNet, ElasticNetParameters};
use smartcore::linear::lasso::{Lasso, LassoParameters};
use smartcore::linear::linear_regression::{LinearRegression, LinearRegressionParameters};
use smartcore::linear::logistic_regression::{LogisticRegression, LogisticRegressionParameters};
use smartcore::linear::ridge_regression::{RidgeRegression, RidgeRegressionParameters};
use smartcore::metrics::distance::euclidian::Euclidian;
use smartcore::naive_bayes::gaussian::{GaussianNB, GaussianNBParameters};
use smartcore::neighbors::knn_classifier::{KNNClassifier, KNNClassifierParameters};
use smartcore::neighbors::knn_regressor::{KNNRegressor, KNNRegressorParameters};
use smartcore::neighbors::KNNWeightFunction;
use smartcore::svm::svc::{SVCParameters, SVC};
use smartcore::svm::svr::{SVRParameters, SVR};
use smartcore::svm::Kernels;
use smartcore::tree::decision_tree_classifier::{DecisionTreeClassifier, DecisionTreeClassifierParameters};
use smartcore::tree::decision_tree_regressor::{DecisionTreeRegressor, DecisionTreeRegressorParameters};
use smartcore::xgboost::xgb_regressor::{XGRegressor, XGRegressorParameters};

use super::{check_fit, Kernel, KnnWeights, ModelSpec, Target, TrainError};

type Dense = DenseMatrix<f64>;
type SvcParams = SVCParameters<f64, i32, Dense, Vec<i32>>;

fn failed(e: impl std::fmt::Display) -> TrainError {
    TrainError::Fit { message: e.to_string() }
}

fn to_dense(x: &Array2<f64>) -> Result<Dense, TrainError> {
    let (rows, cols) = x.dim();
    let values: Vec<f64> = x.iter().copied().collect();
    DenseMatrix::new(rows, cols, values, false).map_err(failed)
}

fn check_finite(x: &Array2<f64>) -> Result<(), TrainError> {
    for ((row, column), v) in x.indexed_iter() {
        if !v.is_finite() {
            return Err(TrainError::NonFinite { column, row });
        }
    }
    Ok(())
}

/// Column means and standard deviations of the training rows
/// (population, as scikit-learn's `StandardScaler`; 1 for a constant column).
#[derive(Debug, Clone)]
struct Scaler {
    mean: Vec<f64>,
    scale: Vec<f64>,
}

impl Scaler {
    fn fit(x: &Array2<f64>) -> Scaler {
        let n = x.nrows() as f64;
        let mut mean = vec![0.0; x.ncols()];
        let mut scale = vec![0.0; x.ncols()];
        for row in x.rows() {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        for row in x.rows() {
            for ((s, m), v) in scale.iter_mut().zip(&mean).zip(row) {
                *s += (v - m) * (v - m);
            }
        }
        for s in &mut scale {
            *s = (*s / n).sqrt();
            // scikit-learn treats a scale under 10 ε as zero.
            if !s.is_finite() || *s < 10.0 * f64::EPSILON {
                *s = 1.0;
            }
        }
        Scaler { mean, scale }
    }

    fn apply(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.clone();
        for mut row in out.rows_mut() {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
                *v = (*v - m) / s;
            }
        }
        out
    }
}

/// scikit-learn's `gamma="scale"`: 1 / (width × variance of every entry).
fn scale_gamma(x: &Array2<f64>) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    if var > 0.0 {
        1.0 / (x.ncols() as f64 * var)
    } else {
        1.0
    }
}

fn kernel(kind: Kernel, gamma: f64) -> Kernels {
    match kind {
        Kernel::Linear => Kernels::linear(),
        Kernel::Rbf => Kernels::rbf().with_gamma(gamma),
    }
}

/// One fitted binary SVC of a one-vs-one set, and its Platt sigmoid.
struct SvcPair {
    /// The lower class code (decision ≤ 0) and the higher (decision > 0).
    classes: (u32, u32),
    /// Platt's A and B: P(higher | f) = 1 / (1 + exp(A f + B)).
    platt: (f64, f64),
    model: SVC<'static, f64, i32, Dense, Vec<i32>>,
}

/// smartcore's SVC and SVR keep a reference to their parameters for the
/// kernel, so the parameters live in a box beside the models. The models
/// borrow nothing else once fitted (support vectors are copied).
struct SvcSet {
    // Declared before `_params`, so dropped first; `_params` is only kept alive.
    pairs: Vec<SvcPair>,
    _params: Box<SvcParams>,
}

struct SvrModel {
    // Declared before `_params`, so dropped first; `_params` is only kept alive.
    model: SVR<'static, f64, Dense, Vec<f64>>,
    _params: Box<SVRParameters<f64>>,
}

enum Inner {
    Logistic { coef: Vec<Vec<f64>>, intercept: Vec<f64>, seen: Vec<u32> },
    TreeC(DecisionTreeClassifier<f64, u32, Dense, Vec<u32>>, Vec<u32>),
    TreeR(DecisionTreeRegressor<f64, f64, Dense, Vec<f64>>),
    ForestC(RandomForestClassifier<f64, u32, Dense, Vec<u32>>),
    ForestR(RandomForestRegressor<f64, f64, Dense, Vec<f64>>),
    KnnC(KNNClassifier<f64, u32, Dense, Vec<u32>, Euclidian<f64>>, Vec<u32>),
    KnnR(KNNRegressor<f64, f64, Dense, Vec<f64>, Euclidian<f64>>),
    Nb { priors: Vec<f64>, theta: Vec<Vec<f64>>, var: Vec<Vec<f64>>, seen: Vec<u32> },
    Svc(SvcSet),
    Linear { coef: Vec<f64>, intercept: f64 },
    ExtraTrees(ExtraTreesRegressor<f64, f64, Dense, Vec<f64>>),
    Svr(SvrModel),
    Gbt(XGRegressor<f64, f64, Dense, Vec<f64>>),
}

/// A fitted model: predicts class codes or values, and class
/// probabilities where the model has them.
pub struct TrainedModel {
    spec: ModelSpec,
    width: usize,
    classes: usize,
    scaler: Option<Scaler>,
    inner: Inner,
}

impl std::fmt::Debug for TrainedModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrainedModel").field("spec", &self.spec).field("width", &self.width).finish_non_exhaustive()
    }
}

fn sorted_unique(codes: &[u32]) -> Vec<u32> {
    let mut seen = codes.to_vec();
    seen.sort_unstable();
    seen.dedup();
    seen
}

/// Centres `x` and `y`; gives the centred copies and the means, so a model
/// fitted without an intercept gets scikit-learn's unpenalised one.
fn centre(x: &Array2<f64>, y: &[f64]) -> (Array2<f64>, Vec<f64>, Vec<f64>, f64) {
    let n = x.nrows() as f64;
    let mut xm = vec![0.0; x.ncols()];
    for row in x.rows() {
        for (m, v) in xm.iter_mut().zip(row) {
            *m += v;
        }
    }
    xm.iter_mut().for_each(|m| *m /= n);
    let ym = y.iter().sum::<f64>() / n;
    let mut xc = x.clone();
    for mut row in xc.rows_mut() {
        for (v, m) in row.iter_mut().zip(&xm) {
            *v -= m;
        }
    }
    (xc, y.iter().map(|v| v - ym).collect(), xm, ym)
}

fn linear_from(coef: Vec<f64>, intercept_centred: f64, xm: &[f64], ym: f64) -> Inner {
    let shift: f64 = coef.iter().zip(xm).map(|(w, m)| w * m).sum();
    Inner::Linear { intercept: ym + intercept_centred - shift, coef }
}

/// Fits `spec` on `x` and `y` with `seed`, after validating everything
/// smartcore would otherwise panic on.
///
/// ```
/// use ndarray::Array2;
/// use mlcycle::train::{fit, ModelSpec, Target};
/// let x = Array2::from_shape_fn((20, 1), |(i, _)| i as f64);
/// let y = Target::Values((0..20).map(|i| 2.0 * i as f64 + 1.0).collect());
/// let model = fit(&ModelSpec::Linear, &x, &y, 0).unwrap();
/// let Target::Values(p) = model.predict(&x).unwrap() else { unreachable!() };
/// assert!((p[3] - 7.0).abs() < 1e-9);
/// ```
pub fn fit(spec: &ModelSpec, x: &Array2<f64>, y: &Target, seed: u64) -> Result<TrainedModel, TrainError> {
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
    let classes = y.classes();
    check_fit(spec, y.task(), rows, classes)?;
    check_finite(x)?;
    if let Target::Values(v) = y {
        if let Some(row) = v.iter().position(|t| !t.is_finite()) {
            return Err(TrainError::NonFinite { column: width, row });
        }
    }
    let scaler = spec.standardises().then(|| Scaler::fit(x));
    let scaled;
    let x = match &scaler {
        Some(s) => {
            scaled = s.apply(x);
            &scaled
        }
        None => x,
    };
    let inner = match y {
        Target::Classes(codes) => fit_classifier(spec, x, codes, seed)?,
        Target::Values(values) => fit_regressor(spec, x, values, seed)?,
    };
    Ok(TrainedModel { spec: spec.clone(), width, classes, scaler, inner })
}

fn fit_classifier(spec: &ModelSpec, x: &Array2<f64>, codes: &[u32], seed: u64) -> Result<Inner, TrainError> {
    let seen = sorted_unique(codes);
    if seen.len() < 2 {
        return Err(TrainError::Fit { message: "the training rows hold only one class".into() });
    }
    let codes_vec = codes.to_vec();
    Ok(match *spec {
        ModelSpec::Logistic { c } => {
            let dense = to_dense(x)?;
            let params = LogisticRegressionParameters::default().with_alpha(1.0 / c);
            let model = LogisticRegression::fit(&dense, &codes_vec, params).map_err(failed)?;
            let (k, p) = model.coefficients().shape();
            let coef = (0..k).map(|r| (0..p).map(|j| *model.coefficients().get((r, j))).collect()).collect();
            let intercept = (0..k).map(|r| *model.intercept().get((r, 0))).collect();
            Inner::Logistic { coef, intercept, seen }
        }
        ModelSpec::Tree { max_depth, min_samples_leaf, min_samples_split } => {
            let params = DecisionTreeClassifierParameters {
                max_depth,
                min_samples_leaf,
                min_samples_split,
                seed: Some(seed),
                ..Default::default()
            };
            Inner::TreeC(DecisionTreeClassifier::fit(&to_dense(x)?, &codes_vec, params).map_err(failed)?, seen)
        }
        ModelSpec::Forest { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
            let params = RandomForestClassifierParameters {
                n_trees,
                max_depth,
                min_samples_leaf,
                min_samples_split,
                seed,
                ..RandomForestClassifierParameters::default()
            };
            Inner::ForestC(RandomForestClassifier::fit(&to_dense(x)?, &codes_vec, params).map_err(failed)?)
        }
        ModelSpec::Knn { k, weights } => {
            let params = KNNClassifierParameters::default().with_k(k).with_weight(knn_weight(weights));
            Inner::KnnC(KNNClassifier::fit(&to_dense(x)?, &codes_vec, params).map_err(failed)?, seen)
        }
        ModelSpec::GaussianNb => {
            let model = GaussianNB::fit(&to_dense(x)?, &codes_vec, GaussianNBParameters::default()).map_err(failed)?;
            Inner::Nb { priors: model.class_priors().clone(), theta: model.theta().clone(), var: model.var().clone(), seen }
        }
        ModelSpec::Svc { kernel: kind, c, gamma } => Inner::Svc(fit_svc(x, codes, &seen, kind, c, gamma, seed)?),
        _ => unreachable!("check_fit refuses regression models for classification"),
    })
}

fn knn_weight(w: KnnWeights) -> KNNWeightFunction {
    match w {
        KnnWeights::Uniform => KNNWeightFunction::Uniform,
        KnnWeights::Distance => KNNWeightFunction::Distance,
    }
}

fn fit_svc(
    x: &Array2<f64>,
    codes: &[u32],
    seen: &[u32],
    kind: Kernel,
    c: f64,
    gamma: Option<f64>,
    seed: u64,
) -> Result<SvcSet, TrainError> {
    let g = gamma.unwrap_or_else(|| scale_gamma(x));
    let params: Box<SvcParams> =
        Box::new(SVCParameters::default().with_c(c).with_kernel(kernel(kind, g)).with_seed(Some(seed)));
    // SAFETY: each SVC borrows `params` for its kernel and nothing else after
    // fitting (the support vectors are copied out of the matrix). `params`
    // is boxed, so it does not move, and `SvcSet` drops the models first.
    let params_ref: &'static SvcParams = unsafe { &*(params.as_ref() as *const SvcParams) };
    let mut pairs = Vec::new();
    for (i, &lo) in seen.iter().enumerate() {
        for &hi in &seen[i + 1..] {
            let idx: Vec<usize> = (0..codes.len()).filter(|&r| codes[r] == lo || codes[r] == hi).collect();
            let sub = x.select(ndarray::Axis(0), &idx);
            let dense = to_dense(&sub)?;
            let labels: Vec<i32> = idx.iter().map(|&r| i32::from(codes[r] == hi)).collect();
            let model = SVC::fit(&dense, &labels, params_ref).map_err(failed)?;
            let decisions = model.decision_function(&dense).map_err(failed)?;
            let platt = platt_fit(&decisions, &labels);
            // SAFETY: as above; the fitted SVC holds no borrow of `dense` or `labels`.
            let model: SVC<'static, f64, i32, Dense, Vec<i32>> = unsafe { std::mem::transmute(model) };
            pairs.push(SvcPair { classes: (lo, hi), platt, model });
        }
    }
    Ok(SvcSet { pairs, _params: params })
}

/// Platt's sigmoid fitted to decision values `f` and 0/1 labels, by the
/// Newton method with backtracking of Lin, Lin and Weng (2007), as LIBSVM's
/// `sigmoid_train`. Fitted on the training decisions (LIBSVM uses an inner
/// cross-validation, so probabilities differ somewhat from scikit-learn's).
fn platt_fit(f: &[f64], labels: &[i32]) -> (f64, f64) {
    let prior1 = labels.iter().filter(|&&l| l == 1).count() as f64;
    let prior0 = labels.len() as f64 - prior1;
    let (hi_t, lo_t) = ((prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0));
    let t: Vec<f64> = labels.iter().map(|&l| if l == 1 { hi_t } else { lo_t }).collect();
    let (min_step, sigma, eps) = (1e-10, 1e-12, 1e-5);
    let mut a = 0.0;
    let mut b = libm::log((prior0 + 1.0) / (prior1 + 1.0));
    let value = |a: f64, b: f64| -> f64 {
        f.iter()
            .zip(&t)
            .map(|(fi, ti)| {
                let fapb = fi * a + b;
                if fapb >= 0.0 {
                    ti * fapb + libm::log(1.0 + libm::exp(-fapb))
                } else {
                    (ti - 1.0) * fapb + libm::log(1.0 + libm::exp(fapb))
                }
            })
            .sum()
    };
    let mut fval = value(a, b);
    for _ in 0..100 {
        let (mut h11, mut h22, mut h21, mut g1, mut g2) = (sigma, sigma, 0.0, 0.0, 0.0);
        for (fi, ti) in f.iter().zip(&t) {
            let fapb = fi * a + b;
            let (p, q) = if fapb >= 0.0 {
                let e = libm::exp(-fapb);
                (e / (1.0 + e), 1.0 / (1.0 + e))
            } else {
                let e = libm::exp(fapb);
                (1.0 / (1.0 + e), e / (1.0 + e))
            };
            let d2 = p * q;
            h11 += fi * fi * d2;
            h22 += d2;
            h21 += fi * d2;
            let d1 = ti - p;
            g1 += fi * d1;
            g2 += d1;
        }
        if g1.abs() < eps && g2.abs() < eps {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let da = -(h22 * g1 - h21 * g2) / det;
        let db = -(-h21 * g1 + h11 * g2) / det;
        let gd = g1 * da + g2 * db;
        let mut step = 1.0;
        while step >= min_step {
            let (na, nb) = (a + step * da, b + step * db);
            let nf = value(na, nb);
            if nf < fval + 1e-4 * step * gd {
                a = na;
                b = nb;
                fval = nf;
                break;
            }
            step /= 2.0;
        }
        if step < min_step {
            break;
        }
    }
    (a, b)
}

/// Pairwise coupling of one-vs-one probabilities `r[i][j]` = P(i | i or j)
/// into class probabilities (Wu, Lin and Weng 2004, method 2; LIBSVM's
/// `multiclass_probability`).
fn couple(r: &[Vec<f64>]) -> Vec<f64> {
    let k = r.len();
    let mut q = vec![vec![0.0; k]; k];
    let mut p = vec![1.0 / k as f64; k];
    for t in 0..k {
        for j in 0..k {
            if j != t {
                q[t][t] += r[j][t] * r[j][t];
                q[t][j] = -r[j][t] * r[t][j];
            }
        }
    }
    let mut qp = vec![0.0; k];
    for _ in 0..k.max(100) {
        let mut pqp = 0.0;
        for t in 0..k {
            qp[t] = (0..k).map(|j| q[t][j] * p[j]).sum();
            pqp += p[t] * qp[t];
        }
        let max_error = qp.iter().map(|v| (v - pqp).abs()).fold(0.0, f64::max);
        if max_error < 0.005 / k as f64 {
            break;
        }
        for t in 0..k {
            let diff = (-qp[t] + pqp) / q[t][t];
            p[t] += diff;
            pqp = (pqp + diff * (diff * q[t][t] + 2.0 * qp[t])) / (1.0 + diff) / (1.0 + diff);
            for j in 0..k {
                qp[j] = (qp[j] + diff * q[t][j]) / (1.0 + diff);
                p[j] /= 1.0 + diff;
            }
        }
    }
    p
}

fn fit_regressor(spec: &ModelSpec, x: &Array2<f64>, y: &[f64], seed: u64) -> Result<Inner, TrainError> {
    let yv = y.to_vec();
    Ok(match *spec {
        ModelSpec::Tree { max_depth, min_samples_leaf, min_samples_split } => {
            let params = DecisionTreeRegressorParameters { max_depth, min_samples_leaf, min_samples_split, seed: Some(seed) };
            Inner::TreeR(DecisionTreeRegressor::fit(&to_dense(x)?, &yv, params).map_err(failed)?)
        }
        ModelSpec::Forest { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
            let params = RandomForestRegressorParameters {
                n_trees: n_trees as usize,
                max_depth,
                min_samples_leaf,
                min_samples_split,
                seed,
                ..RandomForestRegressorParameters::default()
            };
            Inner::ForestR(RandomForestRegressor::fit(&to_dense(x)?, &yv, params).map_err(failed)?)
        }
        ModelSpec::ExtraTrees { n_trees, max_depth, min_samples_leaf, min_samples_split } => {
            let params = ExtraTreesRegressorParameters {
                n_trees: n_trees as usize,
                max_depth,
                min_samples_leaf,
                min_samples_split,
                seed,
                ..ExtraTreesRegressorParameters::default()
            };
            Inner::ExtraTrees(ExtraTreesRegressor::fit(&to_dense(x)?, &yv, params).map_err(failed)?)
        }
        ModelSpec::Knn { k, weights } => {
            let params = KNNRegressorParameters::default().with_k(k).with_weight(knn_weight(weights));
            Inner::KnnR(KNNRegressor::fit(&to_dense(x)?, &yv, params).map_err(failed)?)
        }
        ModelSpec::Linear => {
            let model = LinearRegression::fit(&to_dense(x)?, &yv, LinearRegressionParameters::default()).map_err(failed)?;
            let coef = (0..x.ncols()).map(|j| *model.coefficients().get((j, 0))).collect();
            Inner::Linear { coef, intercept: *model.intercept() }
        }
        ModelSpec::Ridge { alpha } => {
            let (xc, yc, xm, ym) = centre(x, y);
            let params = RidgeRegressionParameters::default().with_alpha(alpha).with_normalize(false);
            let model = RidgeRegression::fit(&to_dense(&xc)?, &yc, params).map_err(failed)?;
            let coef = (0..x.ncols()).map(|j| *model.coefficients().get((j, 0))).collect();
            linear_from(coef, *model.intercept(), &xm, ym)
        }
        ModelSpec::Lasso { alpha } => {
            let (xc, yc, xm, ym) = centre(x, y);
            let params = LassoParameters { alpha, normalize: false, ..LassoParameters::default() };
            let model = Lasso::fit(&to_dense(&xc)?, &yc, params).map_err(failed)?;
            let coef = (0..x.ncols()).map(|j| *model.coefficients().get((j, 0))).collect();
            linear_from(coef, *model.intercept(), &xm, ym)
        }
        ModelSpec::ElasticNet { alpha, l1_ratio } => {
            let (xc, yc, xm, ym) = centre(x, y);
            let params = ElasticNetParameters { alpha, l1_ratio, normalize: false, ..ElasticNetParameters::default() };
            let model = ElasticNet::fit(&to_dense(&xc)?, &yc, params).map_err(failed)?;
            let coef = (0..x.ncols()).map(|j| *model.coefficients().get((j, 0))).collect();
            linear_from(coef, *model.intercept(), &xm, ym)
        }
        ModelSpec::Svr { kernel: kind, c, epsilon, gamma } => {
            let g = gamma.unwrap_or_else(|| scale_gamma(x));
            let params = Box::new(SVRParameters::default().with_c(c).with_eps(epsilon).with_kernel(kernel(kind, g)));
            // SAFETY: the fitted SVR borrows only `params` (for its kernel);
            // it is boxed and `SvrModel` drops the model first.
            let params_ref: &'static SVRParameters<f64> = unsafe { &*(params.as_ref() as *const SVRParameters<f64>) };
            let dense = to_dense(x)?;
            let model = SVR::fit(&dense, &yv, params_ref).map_err(failed)?;
            // SAFETY: as above; the support vectors are copied out of `dense`.
            let model: SVR<'static, f64, Dense, Vec<f64>> = unsafe { std::mem::transmute(model) };
            Inner::Svr(SvrModel { model, _params: params })
        }
        ModelSpec::Gbt { n_estimators, max_depth, learning_rate, lambda, subsample } => {
            // Start from the mean, as scikit-learn does: XGBoost's fixed 0.5
            // needs many rounds to reach a target in the hundreds.
            let base_score = y.iter().sum::<f64>() / y.len() as f64;
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
            Inner::Gbt(XGRegressor::fit(&to_dense(x)?, &yv, params).map_err(failed)?)
        }
        _ => unreachable!("check_fit refuses classification models for regression"),
    })
}

/// Spreads probability columns over the classes seen in training (in code
/// order) into `k` columns, one per class code.
fn widen(rows: Vec<Vec<f64>>, seen: &[u32], k: usize) -> Array2<f64> {
    let mut out = Array2::zeros((rows.len(), k));
    for (i, row) in rows.into_iter().enumerate() {
        for (j, p) in row.into_iter().enumerate() {
            out[[i, seen[j] as usize]] = p;
        }
    }
    out
}

fn argmax_codes(p: &Array2<f64>) -> Vec<u32> {
    p.rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for (j, v) in row.iter().enumerate() {
                if *v > row[best] {
                    best = j;
                }
            }
            best as u32
        })
        .collect()
}

fn softmax(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for s in scores.iter_mut() {
        *s = libm::exp(*s - max);
        sum += *s;
    }
    scores.iter_mut().for_each(|s| *s /= sum);
}

impl TrainedModel {
    /// The spec this model was fitted with.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// Whether [`TrainedModel::predict_full`] gives class probabilities.
    /// Every classifier but the forest does: smartcore keeps the forest's
    /// trees private, so they cannot be averaged.
    pub fn has_probabilities(&self) -> bool {
        matches!(self.inner, Inner::Logistic { .. } | Inner::TreeC(..) | Inner::KnnC(..) | Inner::Nb { .. } | Inner::Svc(_))
    }

    /// Predicts class codes or values for each row of `x`.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Target, TrainError> {
        self.predict_full(x).map(|(t, _)| t)
    }

    /// Predicts class codes or values for each row of `x`, and for a
    /// classifier that has them, class probabilities (rows × classes, in
    /// code order).
    pub fn predict_full(&self, x: &Array2<f64>) -> Result<(Target, Option<Array2<f64>>), TrainError> {
        if x.ncols() != self.width {
            return Err(TrainError::WidthMismatch { expected: self.width, found: x.ncols() });
        }
        check_finite(x)?;
        let scaled;
        let x = match &self.scaler {
            Some(s) => {
                scaled = s.apply(x);
                &scaled
            }
            None => x,
        };
        let k = self.classes;
        let values = |v: Vec<f64>| Ok((Target::Values(v), None));
        match &self.inner {
            Inner::Logistic { coef, intercept, seen } => {
                let rows: Vec<Vec<f64>> = x
                    .rows()
                    .into_iter()
                    .map(|row| {
                        let scores: Vec<f64> =
                            coef.iter().zip(intercept).map(|(w, b)| w.iter().zip(row).map(|(a, v)| a * v).sum::<f64>() + b).collect();
                        if scores.len() == 1 {
                            let p1 = 1.0 / (1.0 + libm::exp(-scores[0]));
                            vec![1.0 - p1, p1]
                        } else {
                            let mut s = scores;
                            softmax(&mut s);
                            s
                        }
                    })
                    .collect();
                let p = widen(rows, seen, k);
                Ok((Target::Classes(argmax_codes(&p)), Some(p)))
            }
            Inner::TreeC(model, seen) => {
                let dense = to_dense(x)?;
                let pred = model.predict(&dense).map_err(failed)?;
                let proba = model.predict_proba(&dense).map_err(failed)?;
                let (n, c) = proba.shape();
                let rows = (0..n).map(|i| (0..c).map(|j| *proba.get((i, j))).collect()).collect();
                Ok((Target::Classes(pred), Some(widen(rows, seen, k))))
            }
            Inner::ForestC(model) => Ok((Target::Classes(model.predict(&to_dense(x)?).map_err(failed)?), None)),
            Inner::KnnC(model, seen) => {
                let dense = to_dense(x)?;
                let pred = model.predict(&dense).map_err(failed)?;
                let proba = model.predict_proba(&dense).map_err(failed)?;
                Ok((Target::Classes(pred), Some(widen(proba, seen, k))))
            }
            Inner::Nb { priors, theta, var, seen } => {
                // scikit-learn's var_smoothing: 1e-9 × the largest feature variance.
                let epsilon = 1e-9 * feature_variance_max(theta, var, priors);
                let rows: Vec<Vec<f64>> = x
                    .rows()
                    .into_iter()
                    .map(|row| {
                        let mut s: Vec<f64> = (0..priors.len())
                            .map(|c| {
                                let mut ll = libm::log(priors[c]);
                                for (j, v) in row.iter().enumerate() {
                                    let var = var[c][j] + epsilon;
                                    let d = v - theta[c][j];
                                    ll -= 0.5 * libm::log(2.0 * std::f64::consts::PI * var) + d * d / (2.0 * var);
                                }
                                ll
                            })
                            .collect();
                        softmax(&mut s);
                        s
                    })
                    .collect();
                let p = widen(rows, seen, k);
                Ok((Target::Classes(argmax_codes(&p)), Some(p)))
            }
            Inner::Svc(set) => self.predict_svc(set, x),
            Inner::TreeR(m) => values(m.predict(&to_dense(x)?).map_err(failed)?),
            Inner::ForestR(m) => values(m.predict(&to_dense(x)?).map_err(failed)?),
            Inner::KnnR(m) => values(m.predict(&to_dense(x)?).map_err(failed)?),
            Inner::ExtraTrees(m) => values(m.predict(&to_dense(x)?).map_err(failed)?),
            Inner::Gbt(m) => values(m.predict(&to_dense(x)?).map_err(failed)?),
            Inner::Svr(m) => values(m.model.predict(&to_dense(x)?).map_err(failed)?),
            Inner::Linear { coef, intercept } => {
                values(x.rows().into_iter().map(|row| coef.iter().zip(row).map(|(w, v)| w * v).sum::<f64>() + intercept).collect())
            }
        }
    }

    fn predict_svc(&self, set: &SvcSet, x: &Array2<f64>) -> Result<(Target, Option<Array2<f64>>), TrainError> {
        let k = self.classes;
        let n = x.nrows();
        let dense = to_dense(x)?;
        let mut votes = vec![vec![0u32; k]; n];
        // r[i][a][b] = P(a | a or b) for row i.
        let mut r = vec![vec![vec![0.0; k]; k]; n];
        for pair in &set.pairs {
            let model: &SVC<'_, f64, i32, Dense, Vec<i32>> = &pair.model;
            let decisions = model.decision_function(&dense).map_err(failed)?;
            let (lo, hi) = (pair.classes.0 as usize, pair.classes.1 as usize);
            for (i, f) in decisions.iter().enumerate() {
                votes[i][if *f > 0.0 { hi } else { lo }] += 1;
                let fapb = f * pair.platt.0 + pair.platt.1;
                let p_hi = if fapb >= 0.0 { libm::exp(-fapb) / (1.0 + libm::exp(-fapb)) } else { 1.0 / (1.0 + libm::exp(fapb)) };
                let p_hi = p_hi.clamp(1e-7, 1.0 - 1e-7);
                r[i][hi][lo] = p_hi;
                r[i][lo][hi] = 1.0 - p_hi;
            }
        }
        // Ties go to the lowest class code, as in LIBSVM.
        let pred: Vec<u32> = votes
            .iter()
            .map(|v| {
                let mut best = 0;
                for (j, c) in v.iter().enumerate() {
                    if *c > v[best] {
                        best = j;
                    }
                }
                best as u32
            })
            .collect();
        let seen: Vec<usize> = {
            let mut s: Vec<usize> = set.pairs.iter().flat_map(|p| [p.classes.0 as usize, p.classes.1 as usize]).collect();
            s.sort_unstable();
            s.dedup();
            s
        };
        let mut proba = Array2::zeros((n, k));
        for (i, ri) in r.iter().enumerate() {
            if seen.len() == 2 {
                proba[[i, seen[0]]] = ri[seen[0]][seen[1]];
                proba[[i, seen[1]]] = ri[seen[1]][seen[0]];
            } else {
                let sub: Vec<Vec<f64>> = seen.iter().map(|&a| seen.iter().map(|&b| ri[a][b]).collect()).collect();
                for (j, p) in couple(&sub).into_iter().enumerate() {
                    proba[[i, seen[j]]] = p;
                }
            }
        }
        Ok((Target::Classes(pred), Some(proba)))
    }
}

fn feature_variance_max(theta: &[Vec<f64>], var: &[Vec<f64>], priors: &[f64]) -> f64 {
    // The variance of each feature over all rows, from the per-class
    // moments (law of total variance with the class shares).
    let width = theta.first().map_or(0, Vec::len);
    let mut max: f64 = 0.0;
    for j in 0..width {
        let mean: f64 = (0..priors.len()).map(|c| priors[c] * theta[c][j]).sum();
        let total: f64 = (0..priors.len()).map(|c| priors[c] * (var[c][j] + (theta[c][j] - mean).powi(2))).sum();
        max = max.max(total);
    }
    max
}
