//! Class probabilities where smartcore has no `predict_proba`: logistic
//! regression from its coefficients, Gaussian naive Bayes from its fitted
//! means, variances and priors. (SVC's Platt scaling is in `svm.rs`; our
//! classification tree and forest, `cart.rs`, give their leaves' class
//! shares; smartcore's k-NN gives its own.) `exp` and `log` come from
//! `libm`, so the figures are the same bits natively and in wasm. No wasm
//! here.

use ndarray::Array2;
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::logistic_regression::LogisticRegression;

use super::TrainError;

/// Class probabilities: one row per input row, one column per class code.
pub type Probabilities = Array2<f64>;

type Dense = DenseMatrix<f64>;

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

/// Gaussian naive Bayes, fitted exactly as smartcore 0.7's `GaussianNB`
/// is (classes in code order, priors from counts, per-class means and
/// population variances summed in row order) but in one pass: smartcore
/// gathers each class's rows by chaining one iterator per row, which is
/// quadratic in the rows (96 s for 80,000 rows, 0.03 s here). Applied as
/// scikit-learn's is, with its variance smoothing: smartcore's unsmoothed
/// densities are NaN for every class as soon as a feature is constant
/// within a class (any one-hot column of a label only one class has), so
/// it failed on most data with text columns.
#[derive(Debug)]
pub(super) struct NaiveBayes {
    classes: Vec<u32>,
    priors: Vec<f64>,
    theta: Vec<Vec<f64>>,
    var: Vec<Vec<f64>>,
    /// The variance smoothing, see [`NaiveBayes::smoothing`].
    epsilon: f64,
}

impl NaiveBayes {
    pub(super) fn fit(x: &Array2<f64>, codes: &[u32]) -> Result<NaiveBayes, TrainError> {
        let (n, width) = x.dim();
        if n == 0 || codes.len() != n {
            return Err(TrainError::Fit { message: format!("Fit failed: Size of x and y should match and be greater than 0; |x|=[{n}], |y|=[{}]", codes.len()) });
        }
        let mut classes = codes.to_vec();
        classes.sort_unstable();
        classes.dedup();
        let mut count = vec![0usize; classes.len()];
        let mut sum = vec![vec![0.0f64; width]; classes.len()];
        let mut squares = vec![vec![0.0f64; width]; classes.len()];
        for (row, code) in x.rows().into_iter().zip(codes) {
            let c = classes.binary_search(code).map_err(|_| TrainError::Fit { message: "a class code outside the classes seen".into() })?;
            count[c] += 1;
            for (j, &a) in row.iter().enumerate() {
                sum[c][j] += a;
                squares[c][j] += a * a;
            }
        }
        let priors = count.iter().map(|&k| k as f64 / n as f64).collect();
        let theta: Vec<Vec<f64>> = sum.iter().zip(&count).map(|(s, &k)| s.iter().map(|v| v / k as f64).collect()).collect();
        let var = squares
            .iter()
            .zip(&theta)
            .zip(&count)
            .map(|((q, mu), &k)| q.iter().zip(mu).map(|(q, m)| q / k as f64 - m.powi(2)).collect())
            .collect();
        let mut nb = NaiveBayes { classes, priors, theta, var, epsilon: 0.0 };
        nb.epsilon = nb.smoothing();
        Ok(nb)
    }

    /// scikit-learn's `var_smoothing`: 1e-9 × the largest variance of a
    /// feature over all training rows (the classes' mixture), added to every
    /// class variance, so that a feature constant within a class (a one-hot
    /// column, say) does not make every density NaN. 1 when every feature
    /// is constant.
    fn smoothing(&self) -> f64 {
        let (priors, theta, var) = (&self.priors, &self.theta, &self.var);
        let width = theta.first().map_or(0, Vec::len);
        let mut largest: f64 = 0.0;
        for j in 0..width {
            let mean: f64 = (0..priors.len()).map(|c| priors[c] * theta[c][j]).sum();
            let total: f64 = (0..priors.len()).map(|c| priors[c] * (var[c][j] + (theta[c][j] - mean) * (theta[c][j] - mean))).sum();
            largest = largest.max(total);
        }
        if largest > 0.0 { 1e-9 * largest } else { 1.0 }
    }

    /// Each class's log prior + log-likelihood of `row`, variances smoothed
    /// by `epsilon` (portable `libm` logarithms: the same bits in wasm).
    fn joint_log(&self, row: ndarray::ArrayView1<f64>, epsilon: f64) -> Vec<f64> {
        (0..self.priors.len())
            .map(|c| {
                let mut ll = libm::log(self.priors[c]);
                for (j, v) in row.iter().enumerate() {
                    let var = self.var[c][j] + epsilon;
                    let d = v - self.theta[c][j];
                    ll -= 0.5 * libm::log(2.0 * std::f64::consts::PI * var) + d * d / (2.0 * var);
                }
                ll
            })
            .collect()
    }

    /// The class of each row of `x`: the largest smoothed log posterior
    /// (scikit-learn's `predict`), the first class on ties.
    pub(super) fn predict(&self, x: &Array2<f64>) -> Result<Vec<u32>, TrainError> {
        let epsilon = self.epsilon;
        Ok(x.rows()
            .into_iter()
            .map(|row| {
                let joint = self.joint_log(row, epsilon);
                let mut best = 0;
                for (c, &p) in joint.iter().enumerate() {
                    if p > joint[best] || joint[best].is_nan() {
                        best = c;
                    }
                }
                self.classes[best]
            })
            .collect())
    }

    /// The posterior of each class: the softmax of the smoothed log
    /// posteriors [`NaiveBayes::predict`] ranks.
    pub(super) fn proba(&self, x: &Array2<f64>, k: usize) -> Probabilities {
        let epsilon = self.epsilon;
        let rows: Vec<Vec<f64>> = x
            .rows()
            .into_iter()
            .map(|row| {
                let mut s = self.joint_log(row, epsilon);
                softmax(&mut s);
                s
            })
            .collect();
        widen(rows, &self.classes, k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smartcore::naive_bayes::gaussian::{GaussianNB, GaussianNBParameters};

    #[test]
    fn naive_bayes_fits_as_smartcore_and_predicts_as_scikit_learn() {
        // Three classes over uneven, overlapping clouds; codes not starting at 0.
        let (n, width) = (600, 4);
        let mut state = 11u64;
        let mut rnd = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let codes: Vec<u32> = (0..n).map(|i| [2, 5, 5, 9][i % 4]).collect();
        let x = Array2::from_shape_fn((n, width), |(i, j)| f64::from(codes[i]) * 0.3 * (j as f64 + 1.0) + 3.0 * rnd() - 1.5 + 1e3 * j as f64);
        let ours = NaiveBayes::fit(&x, &codes).unwrap();
        let dense = DenseMatrix::new(n, width, x.iter().copied().collect(), false).unwrap();
        let theirs = GaussianNB::fit(&dense, &codes, GaussianNBParameters::default()).unwrap();
        assert_eq!(&ours.classes, theirs.classes());
        assert_eq!(&ours.priors, theirs.class_priors());
        assert_eq!(&ours.theta, theirs.theta());
        assert_eq!(&ours.var, theirs.var());
        assert_eq!(ours.predict(&x).unwrap(), theirs.predict(&dense).unwrap());
        let p = ours.proba(&x, 10);
        assert_eq!(p.ncols(), 10);
        assert!(p.rows().into_iter().all(|row| (row.sum() - 1.0).abs() < 1e-9));
        // A feature constant within each class (as a one-hot column is):
        // smoothed, it separates the classes instead of making every
        // density NaN (smartcore's failure).
        let x = ndarray::array![[0.0, 1.0], [0.0, 1.2], [1.0, 3.0], [1.0, 3.4], [0.0, 0.8]];
        let nb = NaiveBayes::fit(&x, &[0, 0, 1, 1, 0]).unwrap();
        assert_eq!(nb.predict(&x).unwrap(), [0, 0, 1, 1, 0]);
        assert!(nb.proba(&x, 2).rows().into_iter().all(|row| row.iter().all(|p| p.is_finite()) && (row.sum() - 1.0).abs() < 1e-9));
        // Every feature constant: the prior decides.
        let flat = Array2::from_shape_fn((4, 1), |_| 1.0);
        let nb = NaiveBayes::fit(&flat, &[0, 1, 1, 1]).unwrap();
        assert_eq!(nb.predict(&flat).unwrap(), [1, 1, 1, 1]);
        assert!((nb.proba(&flat, 2)[[0, 1]] - 0.75).abs() < 1e-12);
    }
}
