//! Each model's held-out accuracy / R² against scikit-learn's counterpart
//! with the same hyperparameters on the identical split and prepared
//! matrices, from tests/fixtures/sklearn_models.json (written by
//! scripts/sklearn_models_reference.py). Tolerance 0.01, as issue 5 asks,
//! except the gaps listed in `KNOWN_GAPS`, measured and explained there.
#![cfg(not(target_arch = "wasm32"))]

use mlcycle::data::{parse_csv, ParseOptions};
use mlcycle::run::{run, RunOptions};
use mlcycle::train::ModelSpec;

const TOLERANCE: f64 = 0.01;

/// (data, model kind, measured |ours − scikit-learn| rounded up, why). A
/// listed case must stay within its own measured gap, so a change for the
/// worse is noticed.
///
/// Classification trees and forests are our CART (`src/train/cart.rs`),
/// scikit-learn's algorithm; only the random draws differ (scikit-learn's
/// generator is its own), so wherever splits tie in Gini decrease, or for
/// a forest's bootstrap samples and features tried, the two pick
/// differently. Single trees of depth 5 score as scikit-learn's
/// `random_state=0` on iris and wine, a test row of 142 apart on breast
/// cancer (gap 0.0070); over 40 seeds each, on
/// these splits, ours and scikit-learn's give the same spread: iris 0.9744
/// always for both; wine 0.8000 to 0.8889, mean 0.8456 (scikit-learn:
/// 0.8000 to 0.8889, mean 0.8544), so wine's tree can move by a test row
/// with any change in how the seed is drawn; breast cancer 0.9085 to
/// 0.9296, mean 0.9197 (0.9085 to 0.9296, 0.9194). Of two 100-tree
/// forests one lands a test row away from scikit-learn's `random_state=0`:
/// - iris: ours 0.9487 (one test row of 39); over 40 seeds ours 0.9487 to
///   0.9744, mean 0.9615, scikit-learn 0.9487 to 0.9744, mean 0.9641.
/// - wine: ours 0.9778 (one test row of 45); over 40 seeds ours 0.9333 to
///   0.9778, mean 0.9583, scikit-learn 0.9333 to 0.9778, mean 0.9589.
const KNOWN_GAPS: &[(&str, &str, f64, &str)] = &[
    ("iris.csv", "random_forest", 0.0257, "bootstrap and feature draws: one test row of 39 (ours 0.9487; both 0.9487 to 0.9744 over 40 seeds)"),
    ("wine.csv", "random_forest", 0.0223, "bootstrap and feature draws: one test row of 45 (ours 0.9778; both 0.9333 to 0.9778 over 40 seeds)"),
];

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
        let gap = (ours - theirs).abs();
        let line = format!("{data:<18} {:<44} {metric:<8} ours {ours:.4}  sklearn {theirs:.4}  gap {gap:.4}\n", format!("{} {}", spec.name(), spec.params_text()));
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
