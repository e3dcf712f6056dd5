//! Model verification: metrics on held-out rows.
//!
//! Takes true and predicted targets, gives named metrics. Sums run in row
//! order so results are bit-identical natively and in wasm. A metric that
//! is undefined (R² on a constant target) is `None`, never NaN. No training
//! code and no wasm here.

use serde::{Deserialize, Serialize};

/// One named metric value; `None` when undefined for this data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// `accuracy`, `macro_f1`, `rmse` or `r2`.
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

/// Mean negative log of the probability given to the true class
/// (scikit-learn's `log_loss`, probabilities clipped to [ε, 1 − ε] with ε
/// the machine epsilon). `proba` is rows × classes in code order; rows
/// whose truth has no column count as probability 0. `ln` is `libm`'s, so
/// the value is the same bits natively and in wasm.
pub fn log_loss(truth: &[u32], proba: &[Vec<f64>]) -> f64 {
    let eps = f64::EPSILON;
    let sum: f64 = truth
        .iter()
        .zip(proba)
        .map(|(&t, row)| {
            let total: f64 = row.iter().sum();
            let p = row.get(t as usize).copied().unwrap_or(0.0) / if total > 0.0 { total } else { 1.0 };
            -libm::log(p.clamp(eps, 1.0 - eps))
        })
        .sum();
    sum / truth.len() as f64
}

/// Area under the ROC curve of `score` for the rows where `positive` holds
/// (Mann–Whitney, ties counted half); NaN without both kinds of rows.
fn binary_auc(positive: &[bool], score: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_by(|&a, &b| score[a].total_cmp(&score[b]));
    let (mut rank_sum, mut i) = (0.0, 0);
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        // Ranks i+1..=j+1 share their mean.
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mean_rank * order[i..=j].iter().filter(|&&r| positive[r]).count() as f64;
        i = j + 1;
    }
    let pos = positive.iter().filter(|&&p| p).count() as f64;
    let neg = positive.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return f64::NAN;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// ROC AUC: for two classes, of the probability of code 1; for more,
/// the unweighted mean of each class against the rest over the classes in
/// the truth (scikit-learn's `roc_auc_score(multi_class="ovr",
/// average="macro")`). NaN with one class in the truth.
pub fn roc_auc(truth: &[u32], proba: &[Vec<f64>]) -> f64 {
    let k = proba.first().map_or(0, Vec::len);
    let column = |c: usize| -> Vec<f64> { proba.iter().map(|r| r.get(c).copied().unwrap_or(0.0)).collect() };
    let mut present: Vec<u32> = truth.to_vec();
    present.sort_unstable();
    present.dedup();
    if present.len() < 2 {
        return f64::NAN;
    }
    if k <= 2 {
        let positive: Vec<bool> = truth.iter().map(|&t| t == 1).collect();
        return binary_auc(&positive, &column(1));
    }
    let aucs: Vec<f64> = present
        .iter()
        .map(|&c| {
            let positive: Vec<bool> = truth.iter().map(|&t| t == c).collect();
            binary_auc(&positive, &column(c as usize))
        })
        .collect();
    aucs.iter().sum::<f64>() / aucs.len() as f64
}

/// Accuracy and macro F1.
pub fn classification_metrics(truth: &[u32], pred: &[u32]) -> Vec<Metric> {
    vec![metric("accuracy", accuracy(truth, pred)), metric("macro_f1", macro_f1(truth, pred))]
}

/// Accuracy, macro F1, and from class probabilities log loss and ROC AUC.
pub fn classification_metrics_with(truth: &[u32], pred: &[u32], proba: &[Vec<f64>]) -> Vec<Metric> {
    let mut m = classification_metrics(truth, pred);
    m.push(metric("log_loss", log_loss(truth, proba)));
    m.push(metric("roc_auc", roc_auc(truth, proba)));
    m
}

/// RMSE and R².
pub fn regression_metrics(truth: &[f64], pred: &[f64]) -> Vec<Metric> {
    vec![metric("rmse", rmse(truth, pred)), metric("r2", r2(truth, pred))]
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

    // scikit-learn 1.9.1:
    //   log_loss([0,1,1,0],[[.9,.1],[.2,.8],[.6,.4],[.5,.5]]) == 0.484485494851534
    //   roc_auc_score([0,1,1,0],[.1,.8,.4,.5]) == 0.75
    //   roc_auc_score([0,1,2,2,1,0], P3, multi_class="ovr") == 0.875
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn probability_metrics_match_scikit_learn() {
        let p = vec![vec![0.9, 0.1], vec![0.2, 0.8], vec![0.6, 0.4], vec![0.5, 0.5]];
        assert!((log_loss(&[0, 1, 1, 0], &p) - 0.484485494851534).abs() < 1e-15, "{}", log_loss(&[0, 1, 1, 0], &p));
        assert!((roc_auc(&[0, 1, 1, 0], &p) - 0.75).abs() < 1e-15);
        let p3 = vec![
            vec![0.7, 0.2, 0.1],
            vec![0.3, 0.3, 0.4],
            vec![0.1, 0.2, 0.7],
            vec![0.2, 0.5, 0.3],
            vec![0.2, 0.6, 0.2],
            vec![0.4, 0.4, 0.2],
        ];
        assert!((roc_auc(&[0, 1, 2, 2, 1, 0], &p3) - 0.875).abs() < 1e-15, "{}", roc_auc(&[0, 1, 2, 2, 1, 0], &p3));
        assert!(roc_auc(&[1, 1], &p[..2]).is_nan());
    }

    #[test]
    fn undefined_is_none_not_nan() {
        let m = regression_metrics(&[1.0, 1.0], &[1.0, 2.0]);
        assert_eq!(m[1], Metric { name: "r2".into(), value: None });
    }
}
