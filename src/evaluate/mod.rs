//! Model verification: metrics on held-out rows.
//!
//! Takes true and predicted targets, gives named metrics. Sums run in row
//! order so results are bit-identical natively and in wasm. A metric that
//! is undefined (R² on a constant target) is `None`, never NaN. No training
//! code and no wasm here.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// One named metric value; `None` when undefined for this data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// `accuracy`, `macro_f1`, `log_loss`, `roc_auc`, `rmse` or `r2`.
    pub name: String,
    /// The value.
    pub value: Option<f64>,
}

fn metric(name: &str, value: f64) -> Metric {
    Metric { name: name.to_string(), value: value.is_finite().then_some(value) }
}

/// Share of rows predicted correctly.
pub fn accuracy(truth: &[u32], pred: &[u32]) -> f64 {
    let hits = truth.iter().zip(pred).filter(|(a, b)| a == b).count();
    hits as f64 / truth.len() as f64
}

/// Unweighted mean of per-class F1 over every class that occurs in the
/// truth or the predictions (scikit-learn's `f1_score(average="macro")`,
/// with F1 = 0 where precision and recall are both zero).
pub fn macro_f1(truth: &[u32], pred: &[u32]) -> f64 {
    let k = truth.iter().chain(pred).max().map_or(0, |&m| m as usize + 1);
    let mut tp = vec![0usize; k];
    let mut fp = vec![0usize; k];
    let mut fn_ = vec![0usize; k];
    for (&t, &p) in truth.iter().zip(pred) {
        if t == p {
            tp[t as usize] += 1;
        } else {
            fp[p as usize] += 1;
            fn_[t as usize] += 1;
        }
    }
    let mut sum = 0.0;
    let mut classes = 0;
    for c in 0..k {
        if tp[c] + fp[c] + fn_[c] == 0 {
            continue;
        }
        classes += 1;
        let denom = 2 * tp[c] + fp[c] + fn_[c];
        sum += 2.0 * tp[c] as f64 / denom as f64;
    }
    sum / classes as f64
}

/// Root mean squared error.
pub fn rmse(truth: &[f64], pred: &[f64]) -> f64 {
    let ss: f64 = truth.iter().zip(pred).map(|(t, p)| (t - p) * (t - p)).sum();
    (ss / truth.len() as f64).sqrt()
}

/// Coefficient of determination; NaN when the truth is constant.
pub fn r2(truth: &[f64], pred: &[f64]) -> f64 {
    let mean = truth.iter().sum::<f64>() / truth.len() as f64;
    let ss_res: f64 = truth.iter().zip(pred).map(|(t, p)| (t - p) * (t - p)).sum();
    let ss_tot: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    if ss_tot == 0.0 {
        f64::NAN
    } else {
        1.0 - ss_res / ss_tot
    }
}

/// Accuracy and macro F1.
pub fn classification_metrics(truth: &[u32], pred: &[u32]) -> Vec<Metric> {
    vec![metric("accuracy", accuracy(truth, pred)), metric("macro_f1", macro_f1(truth, pred))]
}

/// RMSE and R².
pub fn regression_metrics(truth: &[f64], pred: &[f64]) -> Vec<Metric> {
    vec![metric("rmse", rmse(truth, pred)), metric("r2", r2(truth, pred))]
}


/// Mean negative log-likelihood of the true classes under `proba` (rows ×
/// classes), each probability clipped to [ε, 1 − ε] with ε the f64 machine
/// epsilon, as scikit-learn's `log_loss`.
pub fn log_loss(truth: &[u32], proba: &Array2<f64>) -> f64 {
    let eps = f64::EPSILON;
    let mut sum = 0.0;
    for (i, &t) in truth.iter().enumerate() {
        let p = if (t as usize) < proba.ncols() { proba[[i, t as usize]] } else { 0.0 };
        sum -= libm::log(p.clamp(eps, 1.0 - eps));
    }
    sum / truth.len() as f64
}

/// Area under the ROC curve of `score` for the rows where `positive` is
/// true (Mann–Whitney, ties counted half); NaN without both kinds of rows.
fn auc(positive: &[bool], score: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[a].total_cmp(&score[b]).then(a.cmp(&b)));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        // Tied scores share the mean of their 1-based ranks.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            if positive[o] {
                rank_sum += rank;
            }
        }
        i = j + 1;
    }
    let n_pos = positive.iter().filter(|&&p| p).count() as f64;
    let n_neg = positive.len() as f64 - n_pos;
    (rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg)
}

/// ROC AUC: for two classes the AUC of the second class's probability;
/// for more, the unweighted mean of one-vs-rest AUCs over the classes of
/// `proba` (scikit-learn's `roc_auc_score(multi_class="ovr")`). NaN when
/// some class has no positive or no negative row.
pub fn roc_auc(truth: &[u32], proba: &Array2<f64>) -> f64 {
    let k = proba.ncols();
    if k == 2 {
        let pos: Vec<bool> = truth.iter().map(|&t| t == 1).collect();
        return auc(&pos, &proba.column(1).to_vec());
    }
    let mut sum = 0.0;
    for c in 0..k {
        let pos: Vec<bool> = truth.iter().map(|&t| t as usize == c).collect();
        sum += auc(&pos, &proba.column(c).to_vec());
    }
    sum / k as f64
}

/// Log loss and ROC AUC of class probabilities.
pub fn probability_metrics(truth: &[u32], proba: &Array2<f64>) -> Vec<Metric> {
    vec![metric("log_loss", log_loss(truth, proba)), metric("roc_auc", roc_auc(truth, proba))]
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from scikit-learn 1.x:
    //   accuracy_score([0,1,2,2,1,0],[0,2,2,2,1,1]) == 0.6666666666666666
    //   f1_score(..., average="macro") == 0.6555555555555556
    //   mean_squared_error([3,-0.5,2,7],[2.5,0,2,8]) ** 0.5 == 0.6123724356957945
    //   r2_score([3,-0.5,2,7],[2.5,0,2,8]) == 0.9486081370449679
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn match_scikit_learn() {
        let t = [0, 1, 2, 2, 1, 0];
        let p = [0, 2, 2, 2, 1, 1];
        assert!((accuracy(&t, &p) - 0.6666666666666666).abs() < 1e-15);
        assert!((macro_f1(&t, &p) - 0.6555555555555556).abs() < 1e-15);
        let t = [3.0, -0.5, 2.0, 7.0];
        let p = [2.5, 0.0, 2.0, 8.0];
        assert!((rmse(&t, &p) - 0.6123724356957945).abs() < 1e-15);
        assert!((r2(&t, &p) - 0.9486081370449679).abs() < 1e-15);
    }

    #[test]
    fn undefined_is_none_not_nan() {
        let m = regression_metrics(&[1.0, 1.0], &[1.0, 2.0]);
        assert_eq!(m[1], Metric { name: "r2".into(), value: None });
    }
}
