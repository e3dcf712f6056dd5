//! Support-vector models through smartcore, without `unsafe`.
//!
//! smartcore 0.7's `SVC<'a>` and `SVR<'a>` borrow their parameters, and
//! their `predict` takes the input with that same lifetime, so a fitted one
//! cannot be stored beside what it borrows in safe Rust. We keep what a fit
//! needs instead — the standardised training rows, labels and the owned
//! parameters — and run smartcore's solver inside each prediction, where
//! everything lives in one scope. Our pipeline predicts once per fitted
//! model (a fold's validation rows, the test rows), so this costs nothing
//! there; a second prediction refits, deterministically, to the same bits.
//!
//! SVC is one-vs-one (one binary model per pair of classes, ties to the
//! lower class code as in LIBSVM) with Platt scaling of each pair's
//! decision values and pairwise coupling into class probabilities. `exp`
//! and `log` come from `libm`, so probabilities are the same bits natively
//! and in wasm. No wasm here.

use ndarray::{Array2, Axis};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::svm::svc::{SVCParameters, SVC};
use smartcore::svm::svr::{SVRParameters, SVR};
use smartcore::svm::Kernels;

use super::{Kernel, TrainError};

type Dense = DenseMatrix<f64>;

fn failed(e: impl std::fmt::Display) -> TrainError {
    TrainError::Fit { message: e.to_string() }
}

fn dense(x: &Array2<f64>) -> Result<Dense, TrainError> {
    let (rows, cols) = x.dim();
    DenseMatrix::new(rows, cols, x.iter().copied().collect(), false).map_err(failed)
}

/// Column means and population deviations of the training rows
/// (scikit-learn's `StandardScaler`; 1 for a constant column).
#[derive(Debug, Clone)]
pub(super) struct Scaler {
    mean: Vec<f64>,
    scale: Vec<f64>,
}

impl Scaler {
    pub(super) fn fit(x: &Array2<f64>) -> Scaler {
        let n = x.nrows() as f64;
        let mut mean = vec![0.0; x.ncols()];
        for row in x.rows() {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut scale = vec![0.0; x.ncols()];
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

    pub(super) fn apply(&self, x: &Array2<f64>) -> Array2<f64> {
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

/// A support-vector classifier ready to predict: standardised training
/// rows, class codes, and the solver's settings.
#[derive(Debug)]
pub(super) struct SvcModel {
    scaler: Scaler,
    x: Array2<f64>,
    codes: Vec<u32>,
    classes: usize,
    params: SVCParameters<f64, i32, Dense, Vec<i32>>,
}

impl SvcModel {
    pub(super) fn new(x: &Array2<f64>, codes: &[u32], classes: usize, kind: Kernel, c: f64, gamma: Option<f64>, seed: u64) -> SvcModel {
        let scaler = Scaler::fit(x);
        let x = scaler.apply(x);
        let g = gamma.unwrap_or_else(|| scale_gamma(&x));
        let params = SVCParameters::default().with_c(c).with_kernel(kernel(kind, g)).with_seed(Some(seed));
        SvcModel { scaler, x, codes: codes.to_vec(), classes, params }
    }

    /// Class codes and probabilities (rows × classes, code order) for `x`.
    pub(super) fn predict(&self, x: &Array2<f64>) -> Result<(Vec<u32>, Array2<f64>), TrainError> {
        let k = self.classes;
        let n = x.nrows();
        let test = dense(&self.scaler.apply(x))?;
        let mut seen: Vec<u32> = self.codes.clone();
        seen.sort_unstable();
        seen.dedup();
        let mut votes = vec![vec![0u32; k]; n];
        // r[i][a][b] = P(a | a or b) for row i.
        let mut r = vec![vec![vec![0.0; k]; k]; n];
        for (i, &lo) in seen.iter().enumerate() {
            for &hi in &seen[i + 1..] {
                let idx: Vec<usize> = (0..self.codes.len()).filter(|&p| self.codes[p] == lo || self.codes[p] == hi).collect();
                let train = dense(&self.x.select(Axis(0), &idx))?;
                let labels: Vec<i32> = idx.iter().map(|&p| i32::from(self.codes[p] == hi)).collect();
                let model = SVC::fit(&train, &labels, &self.params).map_err(failed)?;
                let platt = platt_fit(&model.decision_function(&train).map_err(failed)?, &labels);
                let decisions = model.decision_function(&test).map_err(failed)?;
                let (lo, hi) = (lo as usize, hi as usize);
                for (row, f) in decisions.iter().enumerate() {
                    votes[row][if *f > 0.0 { hi } else { lo }] += 1;
                    let fapb = f * platt.0 + platt.1;
                    let p_hi = if fapb >= 0.0 { libm::exp(-fapb) / (1.0 + libm::exp(-fapb)) } else { 1.0 / (1.0 + libm::exp(fapb)) };
                    let p_hi = p_hi.clamp(1e-7, 1.0 - 1e-7);
                    r[row][hi][lo] = p_hi;
                    r[row][lo][hi] = 1.0 - p_hi;
                }
            }
        }
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
        let seen: Vec<usize> = seen.iter().map(|&c| c as usize).collect();
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
        Ok((pred, proba))
    }
}

/// A support-vector regressor ready to predict.
#[derive(Debug)]
pub(super) struct SvrModel {
    scaler: Scaler,
    x: Array2<f64>,
    y: Vec<f64>,
    params: SVRParameters<f64>,
}

impl SvrModel {
    pub(super) fn new(x: &Array2<f64>, y: &[f64], kind: Kernel, c: f64, epsilon: f64, gamma: Option<f64>) -> SvrModel {
        let scaler = Scaler::fit(x);
        let x = scaler.apply(x);
        let g = gamma.unwrap_or_else(|| scale_gamma(&x));
        let params = SVRParameters::default().with_c(c).with_eps(epsilon).with_kernel(kernel(kind, g));
        SvrModel { scaler, x, y: y.to_vec(), params }
    }

    pub(super) fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>, TrainError> {
        let train = dense(&self.x)?;
        let test = dense(&self.scaler.apply(x))?;
        let model = SVR::fit(&train, &self.y, &self.params).map_err(failed)?;
        model.predict(&test).map_err(failed)
    }
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
