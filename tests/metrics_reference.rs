//! Metrics against scikit-learn's, from tests/fixtures/sklearn_metrics.json
//! (written by scripts/sklearn_reference.py). Tolerance: 1e-12 relative.
#![cfg(not(target_arch = "wasm32"))]

use mlcycle::evaluate::{accuracy, macro_f1, r2, rmse};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn metrics_match_scikit_learn() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sklearn_metrics.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 8);
    for (i, c) in cases.iter().enumerate() {
        match c["kind"].as_str().unwrap() {
            "classification" => {
                let t: Vec<u32> = c["truth"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect();
                let p: Vec<u32> = c["pred"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect();
                let (a, f) = (accuracy(&t, &p), macro_f1(&t, &p));
                assert!(close(a, c["accuracy"].as_f64().unwrap()), "case {i}: accuracy {a} vs {}", c["accuracy"]);
                assert!(close(f, c["macro_f1"].as_f64().unwrap()), "case {i}: macro F1 {f} vs {}", c["macro_f1"]);
            }
            _ => {
                let t: Vec<f64> = c["truth"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
                let p: Vec<f64> = c["pred"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
                let (e, r) = (rmse(&t, &p), r2(&t, &p));
                assert!(close(e, c["rmse"].as_f64().unwrap()), "case {i}: rmse {e} vs {}", c["rmse"]);
                assert!(close(r, c["r2"].as_f64().unwrap()), "case {i}: r2 {r} vs {}", c["r2"]);
            }
        }
    }
}
