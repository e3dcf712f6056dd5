//! Profile statistics against pandas / numpy reference values, computed by
//! `scripts/pandas_reference.py` on `tests/fixtures/profile_reference.csv`.
//! Counts must match exactly; real numbers within a relative tolerance of
//! 1e-9 (summation order differs between pandas and us).

use mlcycle::data::{parse_csv, ParseOptions};
use mlcycle::profile::{profile, Measure};
use serde_json::Value;

const TOL: f64 = 1e-9;

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= TOL * b.abs().max(1.0), "{what}: mlcycle {a} vs pandas {b}");
}

#[test]
fn profile_matches_pandas() {
    let csv = include_bytes!("fixtures/profile_reference.csv");
    let r: Value = serde_json::from_str(include_str!("fixtures/pandas_profile.json")).unwrap();
    let ds = parse_csv(csv, "profile_reference.csv", &ParseOptions::default()).unwrap();
    let p = profile(&ds);
    assert_eq!(p.rows as u64, r["rows"].as_u64().unwrap());
    assert_eq!(p.dataset.duplicate_rows as u64, r["duplicateRows"].as_u64().unwrap());
    let col = |name: &str| p.columns.iter().find(|c| c.name == name).unwrap();

    for (name, want) in r["numeric"].as_object().unwrap() {
        let c = col(name);
        for key in ["count", "missing", "distinct", "zeros", "negatives"] {
            let got = match key {
                "count" => c.count,
                "missing" => c.missing,
                "distinct" => c.distinct,
                "zeros" => c.zeros.unwrap(),
                _ => c.negatives.unwrap(),
            };
            assert_eq!(got as u64, want[key].as_u64().unwrap(), "{name}.{key}");
        }
        let figures = [("min", c.min), ("max", c.max), ("mean", c.mean), ("std", c.std), ("median", c.median), ("q1", c.q1), ("q3", c.q3), ("skewness", c.skewness)];
        for (key, got) in figures {
            close(got.unwrap(), want[key].as_f64().unwrap(), &format!("{name}.{key}"));
        }
        let counts: Vec<u64> = c.histogram.iter().map(|b| b.count as u64).collect();
        let want_counts: Vec<u64> = want["histogram"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(counts, want_counts, "{name}.histogram");
        let edges = want["histogramEdges"].as_array().unwrap();
        for (b, e) in c.histogram.iter().zip(edges) {
            close(b.start, e.as_f64().unwrap(), &format!("{name}.histogram edge"));
        }
    }
    for (name, want) in r["labels"].as_object().unwrap() {
        let c = col(name);
        assert_eq!(c.count as u64, want["count"].as_u64().unwrap(), "{name}.count");
        assert_eq!(c.missing as u64, want["missing"].as_u64().unwrap(), "{name}.missing");
        assert_eq!(c.distinct as u64, want["distinct"].as_u64().unwrap(), "{name}.distinct");
        for (t, w) in c.top.iter().zip(want["top"].as_array().unwrap()) {
            assert_eq!((t.value.as_str(), t.count as u64), (w[0].as_str().unwrap(), w[1].as_u64().unwrap()), "{name}.top");
        }
    }
    let measure = |m: &str| match m {
        "pearson" => Measure::Pearson,
        "spearman" => Measure::Spearman,
        "cramers_v" => Measure::CramersV,
        _ => Measure::CorrelationRatio,
    };
    let pairs = r["pairs"].as_array().unwrap();
    for w in pairs {
        let (a, b, m) = (w["a"].as_str().unwrap(), w["b"].as_str().unwrap(), measure(w["measure"].as_str().unwrap()));
        let got = p
            .associations
            .pairs
            .iter()
            .find(|x| x.measure == m && ((x.a == a && x.b == b) || (x.a == b && x.b == a)))
            .unwrap_or_else(|| panic!("{a} × {b} {m:?} missing"));
        close(got.value, w["value"].as_f64().unwrap(), &format!("{a} × {b} {m:?}"));
    }
    assert!(pairs.len() >= 15);
}
