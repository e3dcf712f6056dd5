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
/// The wine tree: among splits of equal impurity decrease scikit-learn
/// picks by a random feature order (`random_state`), smartcore by feature
/// order, so the trees part at the first tie. scikit-learn itself gives
/// 0.8222, 0.8444, 0.8667 or 0.8889 on this split for `random_state` 0 to
/// 19 (0.8667 with 0, the reference); ours is 0.8222, one of them. On 45
/// test rows that is two rows. Forests average such ties away.
const KNOWN_GAPS: &[(&str, &str, f64, &str)] =
    &[("wine.csv", "decision_tree", 0.0445, "tie-breaking between equal splits (ours 0.8222, scikit-learn 0.8222 to 0.8889 by random_state)")];

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
