//! Each model's held-out accuracy / R² against scikit-learn's counterpart
//! with the same hyperparameters on the identical split and prepared
//! matrices, from tests/fixtures/sklearn_models.json (written by
//! scripts/sklearn_models_reference.py). Tolerance 0.01, as issue 5 asks;
//! forests by their mean over 20 model seeds (see `KNOWN_GAPS`' note).
#![cfg(not(target_arch = "wasm32"))]

use mlcycle::data::{parse_csv, ParseOptions};
use mlcycle::run::{run, RunOptions};
use mlcycle::train::ModelSpec;

const TOLERANCE: f64 = 0.01;

/// Forests are compared by their mean over model seeds 0..`seeds` on the
/// same split (the fixture's `sklearn_mean_over_seeds`, scikit-learn's
/// `random_state` 0..19), not by one draw: our trees are scikit-learn's
/// algorithm (`src/train/cart.rs` for classification) but the random draws
/// differ (scikit-learn's generator is its own), and on a test split of 39
/// or 45 rows one draw moves the score by a whole row (0.022 to 0.026).
/// With `random_state=0` alone, iris's forest scores 0.9487 here against
/// 0.9744 and wine's 0.9778 against 0.9556; over 40 seeds both sides span
/// the same range (iris 0.9487 to 0.9744, wine 0.9333 to 0.9778).
///
/// (data, model kind, measured |ours − scikit-learn| rounded up, why): none
/// now. A listed case must stay within its own measured gap, so a change
/// for the worse is noticed.
///
/// Single classification trees of depth 5 score as scikit-learn's
/// `random_state=0` on iris and wine and a test row of 142 apart on breast
/// cancer (gap 0.0070); ties in Gini decrease are where the draws matter:
/// over 40 seeds wine spans 0.8000 to 0.8889 on both sides.
const KNOWN_GAPS: &[(&str, &str, f64, &str)] = &[];

/// Our mean held-out score of `spec` over model seeds `0..seeds`, on the
/// split and prepared matrices of the run with seed `split_seed`.
fn mean_over_seeds(ds: &mlcycle::data::Dataset, target: &str, spec: &ModelSpec, split_seed: u64, seeds: u64) -> f64 {
    use mlcycle::train::Target;
    let opts = RunOptions { seed: Some(split_seed), ..RunOptions::single(target, spec.clone()) };
    let p = mlcycle::run::Run::start(ds, &opts).unwrap().prepared(ds).unwrap();
    let total: f64 = (0..seeds)
        .map(|seed| {
            let model = mlcycle::train::fit(spec, &p.x_train, &p.y_train, seed).unwrap();
            match (model.predict(&p.x_test).unwrap(), &p.y_test) {
                (Target::Classes(pred), Target::Classes(truth)) => mlcycle::evaluate::accuracy(truth, &pred),
                (Target::Values(pred), Target::Values(truth)) => mlcycle::evaluate::r2(truth, &pred),
                _ => unreachable!("the model predicts the kind of target it was fitted on"),
            }
        })
        .sum();
    total / seeds as f64
}

#[test]
fn models_match_scikit_learn_on_the_same_split() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sklearn_models.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 32);
    let mut report = String::new();
    let mut failures = Vec::new();
    for c in cases {
        let data = c["data"].as_str().unwrap();
        let bytes = std::fs::read(format!("{}/www/data/{data}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let ds = parse_csv(&bytes, data, &ParseOptions::default()).unwrap();
        let spec: ModelSpec = serde_json::from_value(c["spec"].clone()).unwrap();
        let opts = RunOptions { seed: c["seed"].as_u64(), ..RunOptions::single(c["target"].as_str().unwrap(), spec.clone()) };
        let out = run(&ds, &opts).unwrap();
        let metric = c["metric"].as_str().unwrap();
        let ours = out.result.metrics.iter().find(|m| m.name == metric).and_then(|m| m.value).unwrap();
        let theirs = c["sklearn"].as_f64().unwrap();
        let (ours, theirs, over) = match c["sklearn_mean_over_seeds"].as_f64() {
            Some(mean) => {
                let seeds = c["seeds"].as_u64().unwrap();
                let mine = mean_over_seeds(&ds, c["target"].as_str().unwrap(), &spec, c["seed"].as_u64().unwrap(), seeds);
                report.push_str(&format!("{data:<18} {:<44} {metric:<8} seed 0:  ours {ours:.4}  sklearn {theirs:.4}\n", format!("{} {}", spec.name(), spec.params_text())));
                (mine, mean, format!(" (mean of {seeds} seeds)"))
            }
            None => (ours, theirs, String::new()),
        };
        let gap = (ours - theirs).abs();
        let line = format!("{data:<18} {:<44} {metric:<8} ours {ours:.4}  sklearn {theirs:.4}  gap {gap:.4}{over}\n", format!("{} {}", spec.name(), spec.params_text()));
        report.push_str(&line);
        let kind = c["spec"]["kind"].as_str().unwrap();
        let allowed = KNOWN_GAPS.iter().find(|(d, k, _, _)| *d == data && *k == kind).map_or(TOLERANCE, |(_, _, g, _)| g.max(TOLERANCE));
        if gap > allowed {
            failures.push(line);
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "over tolerance:\n{}", failures.join(""));
}
