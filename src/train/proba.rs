//! Class probabilities where smartcore has no `predict_proba`: logistic
//! regression from its coefficients, Gaussian naive Bayes from its fitted
//! means, variances and priors, the random forest by averaging its trees.
//! (SVC's Platt scaling is in `svm.rs`; smartcore's tree and k-NN give
//! their own.) `exp` and `log` come from `libm`, so the figures are the
//! same bits natively and in wasm. No wasm here.

use ndarray::Array2;
use smartcore::ensemble::random_forest_classifier::{RandomForestClassifier, RandomForestClassifierParameters};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::logistic_regression::LogisticRegression;
use smartcore::naive_bayes::gaussian::GaussianNB;

use super::TrainError;

/// Class probabilities: one row per input row, one column per class code.
pub type Probabilities = Array2<f64>;

type Dense = DenseMatrix<f64>;

fn failed(e: impl std::fmt::Display) -> TrainError {
    TrainError::Fit { message: e.to_string() }
}

/// Spreads probability columns over the classes seen in training (`seen`,
/// ascending codes) into `k` columns, one per class code.
pub(super) fn widen(rows: Vec<Vec<f64>>, seen: &[u32], k: usize) -> Probabilities {
    let mut out = Array2::zeros((rows.len(), k));
    for (i, row) in rows.into_iter().enumerate() {
        for (j, p) in row.into_iter().enumerate() {
            out[[i, seen[j] as usize]] = p;
        }
    }
    out
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

/// Logistic regression's probabilities: the sigmoid of the one score for
/// two classes, the softmax of the class scores for more.
pub(super) fn logistic(model: &LogisticRegression<f64, u32, Dense, Vec<u32>>, x: &Array2<f64>, k: usize) -> Probabilities {
    let coef = model.coefficients();
    let intercept = model.intercept();
    let (rows_c, p) = coef.shape();
    let rows: Vec<Vec<f64>> = x
        .rows()
        .into_iter()
        .map(|row| {
            let mut scores: Vec<f64> = (0..rows_c)
                .map(|r| (0..p).map(|j| *coef.get((r, j)) * row[j]).sum::<f64>() + *intercept.get((r, 0)))
                .collect();
            if scores.len() == 1 {
                let p1 = 1.0 / (1.0 + libm::exp(-scores[0]));
                vec![1.0 - p1, p1]
            } else {
                softmax(&mut scores);
                scores
            }
        })
        .collect();
    widen(rows, model.classes(), k)
}

/// Gaussian naive Bayes' posterior from its likelihoods, with
/// scikit-learn's `var_smoothing` (1e-9 × the largest feature variance).
pub(super) fn naive_bayes(model: &GaussianNB<f64, u32, Dense, Vec<u32>>, x: &Array2<f64>, k: usize) -> Probabilities {
    let (priors, theta, var) = (model.class_priors(), model.theta(), model.var());
    let width = theta.first().map_or(0, Vec::len);
    let mut largest: f64 = 0.0;
    for j in 0..width {
        let mean: f64 = (0..priors.len()).map(|c| priors[c] * theta[c][j]).sum();
        let total: f64 = (0..priors.len()).map(|c| priors[c] * (var[c][j] + (theta[c][j] - mean) * (theta[c][j] - mean))).sum();
        largest = largest.max(total);
    }
    let epsilon = 1e-9 * largest;
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
    widen(rows, model.classes(), k)
}

/// A random-forest classifier whose trees we can read: smartcore keeps a
/// forest's trees private, so each tree is a one-tree smartcore forest
/// (its own bootstrap sample and `sqrt(width)` features tried per split)
/// with a seed drawn from the run's. Votes are counted as smartcore's
/// forest counts them (ties to the lowest class code); the probability of
/// a class is its share of the votes, the average of the trees' one-hot
/// leaves, as smartcore's trees give no leaf class shares.
#[derive(Debug)]
pub(super) struct Forest {
    trees: Vec<RandomForestClassifier<f64, u32, Dense, Vec<u32>>>,
}

impl Forest {
    pub(super) fn fit(x: &Dense, codes: &Vec<u32>, params: RandomForestClassifierParameters, seed: u64) -> Result<Forest, TrainError> {
        let n_trees = params.n_trees;
        let mut trees = Vec::with_capacity(n_trees as usize);
        for t in 0..u64::from(n_trees) {
            let tree_seed = seed ^ (t + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let p = RandomForestClassifierParameters { n_trees: 1, seed: tree_seed, ..params.clone() };
            trees.push(RandomForestClassifier::fit(x, codes, p).map_err(failed)?);
        }
        Ok(Forest { trees })
    }

    /// Class codes by majority vote and the vote shares.
    pub(super) fn predict(&self, x: &Dense, k: usize) -> Result<(Vec<u32>, Probabilities), TrainError> {
        let n = x.shape().0;
        let mut votes = vec![vec![0usize; k]; n];
        for tree in &self.trees {
            for (i, c) in tree.predict(x).map_err(failed)?.into_iter().enumerate() {
                votes[i][c as usize] += 1;
            }
        }
        let total = self.trees.len() as f64;
        let mut proba = Array2::zeros((n, k));
        let mut pred = Vec::with_capacity(n);
        for (i, v) in votes.iter().enumerate() {
            let mut best = 0;
            for (j, &c) in v.iter().enumerate() {
                proba[[i, j]] = c as f64 / total;
                if c > v[best] {
                    best = j;
                }
            }
            pred.push(best as u32);
        }
        Ok((pred, proba))
    }
}
