//! The wasm boundary under Node (`wasm-pack test --node`): the `Session`
//! class as the worker uses it, errors as JS values, and manifests made
//! natively replaying bit for bit in wasm.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use mlcycle::wasm::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const IRIS: &[u8] = include_bytes!("../www/data/iris.csv");
const DIABETES: &[u8] = include_bytes!("../www/data/diabetes.csv");
const BREAST: &[u8] = include_bytes!("../www/data/breast_cancer.csv");
const IRIS_RUN: &str = include_str!("fixtures/iris.run.json");
const DIABETES_RUN: &str = include_str!("fixtures/diabetes.run.json");
const DIABETES_RANDOM_RUN: &str = include_str!("fixtures/diabetes-random.run.json");
const BREAST_RUN: &str = include_str!("fixtures/breast_cancer.run.json");
const DIABETES_HALVING_RUN: &str = include_str!("fixtures/diabetes-halving.run.json");
const IRIS_SEARCH_RUN: &str = include_str!("fixtures/iris-search.run.json");

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn options(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn bad_csv_is_a_js_error_with_stage_and_code() {
    let err = Session::new(b"a,b\n1,2\n3\n", "bad.csv").err().expect("ragged CSV must fail");
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name"), "DataError");
    assert_eq!(get(&err, "code"), "ragged_row");
    assert_eq!(
        get(&err, "message"),
        "bad.csv: row 2 (line 3) has 1 field but the header has 2; to fill the fields such rows lack with missing values, as pandas does, use --short-rows missing (or \"Short rows\" in the page's reading options)"
    );
}

/// The reading options for runs of blanks and short rows cross from
/// JavaScript as the page sends them.
#[wasm_bindgen_test]
fn whitespace_and_short_rows_options_cross() {
    let s = Session::with_options(b"a  b   c\n 1  x  2\n 3\n", "t.txt", options(r#"{"delimiter":"whitespace","shortRows":"missing"}"#)).unwrap();
    assert_eq!(s.rows(), 2);
    let err = Session::with_options(b"a,b\n1\n", "t.csv", options(r#"{"shortRows":"maybe"}"#)).err().expect("a bad option must fail");
    let message = get(&err, "message").as_string().unwrap_or_default();
    assert!(message.contains("maybe"), "{message}");
}

#[wasm_bindgen_test]
fn profile_crosses_as_plain_json() {
    let s = Session::new(IRIS, "iris.csv").unwrap();
    assert_eq!(s.rows(), 150);
    let p = s.profile().unwrap();
    assert_eq!(get(&p, "columnCount"), 5);
    let cols: Array = get(&p, "columns").into();
    let species = cols.get(4);
    assert_eq!(get(&species, "kind"), "categorical");
    assert_eq!(get(&species, "distinct"), 3);
    assert_eq!(s.infer_task("species", JsValue::UNDEFINED).unwrap(), "classification");
    let err = s.infer_task("nope", JsValue::UNDEFINED).unwrap_err();
    assert_eq!(get(&err, "code"), "unknown_column");
    assert_eq!(s.column_names(), ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]);
    // With a target, the profile says which, and its alerts are about it.
    let p = s.profile_with(options(r#"{"target": "species"}"#)).unwrap();
    assert_eq!(get(&p, "target"), "species");
}

/// Prices written as text to be predicted: with a parse_numbers step on
/// the target the task is regression, and without one classification.
#[wasm_bindgen_test]
fn infer_task_reads_a_price_target_through_its_step() {
    let s = Session::new(b"units,revenue\n1,\"$1,200.50\"\n2,\"$2,401.00\"\n3,\"$3,600.25\"\n4,$99.10\n", "sales.csv").unwrap();
    assert_eq!(s.infer_task("revenue", JsValue::UNDEFINED).unwrap(), "classification");
    let steps = options(r#"[{"step": "parse_numbers", "column": "revenue"}]"#);
    assert_eq!(s.infer_task("revenue", steps).unwrap(), "regression");
}

#[wasm_bindgen_test]
fn native_manifests_reproduce_in_wasm() {
    // Every model of the zoo is in these: grid searches over all the
    // classification models (SVC and logistic regression among them), a
    // random search and successive halving over the regression ones (SVR,
    // GBT, extra trees, elastic net, least squares), spaces from a
    // configuration ranked by log loss (class probabilities).
    for (csv, name, manifest) in [
        (IRIS, "iris.csv", IRIS_RUN),
        (DIABETES, "diabetes.csv", DIABETES_RUN),
        (DIABETES, "diabetes.csv", DIABETES_RANDOM_RUN),
        (BREAST, "breast_cancer.csv", BREAST_RUN),
        (DIABETES, "diabetes.csv", DIABETES_HALVING_RUN),
        (IRIS, "iris.csv", IRIS_SEARCH_RUN),
    ] {
        let s = Session::new(csv, name).unwrap();
        let report = s.replay(manifest).unwrap();
        assert_eq!(get(&report, "reproduced"), true, "{name}: {:?}", JSON::stringify(&report).unwrap());
    }
}

#[wasm_bindgen_test]
fn wasm_manifest_is_byte_identical_to_native_but_for_target_and_durations() {
    let mut s = Session::new(IRIS, "iris.csv").unwrap();
    let result = s.train(options(r#"{"target":"species","seed":42}"#)).unwrap();
    let search = get(&result, "search");
    assert_eq!(get(&search, "planned"), 17);
    assert_eq!(get(&result, "trainRows"), 111);
    let ours = s.manifest(options(r#"{"train":1.5}"#)).unwrap();
    // Drop what legitimately differs: the build target and every duration.
    let strip = |text: &str| -> String {
        text.lines()
            .filter(|l| !(l.contains("\"target\": \"") && !l.contains("species")) && !l.contains("\"duration_ms\""))
            .collect::<Vec<_>>()
            .join("\n")
            .split("\"durations_ms\"")
            .next()
            .unwrap()
            .to_string()
    };
    assert!(ours.contains("\"target\": \"wasm32-unknown\""));
    assert_eq!(strip(&ours), strip(IRIS_RUN));
}

#[wasm_bindgen_test]
fn replay_on_other_data_names_both_digests() {
    let s = Session::new(DIABETES, "diabetes.csv").unwrap();
    let err = s.replay(IRIS_RUN).unwrap_err();
    assert_eq!(get(&err, "name"), "ReplayError");
    assert_eq!(get(&err, "code"), "data_mismatch");
    let msg = get(&err, "message").as_string().unwrap();
    assert!(msg.contains("9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355"), "{msg}");
}

#[wasm_bindgen_test]
fn bad_options_and_manifests_are_errors_not_traps() {
    let mut s = Session::new(IRIS, "iris.csv").unwrap();
    let err = s.train(options(r#"{"target":"species","nTres":5}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_options");
    assert!(get(&err, "message").as_string().unwrap().contains("unknown field `nTres`"));
    let err = s.train(options(r#"{"target":"species","seed":-1}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_options");
    let err = s.train(options(r#"{"target":"species","testFraction":"x"}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_options");
    let err = s.train(options(r#"{"target":"species","search":"none","nTrees":0}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_parameter");
    let err = s.manifest(JsValue::UNDEFINED).unwrap_err();
    assert_eq!(get(&err, "code"), "not_trained");
    let err = s.replay("{\"schema\":\"mlcycle.run/9\"}").unwrap_err();
    assert_eq!(get(&err, "code"), "schema_version");
    let err = s.replay(&"[".repeat(50_000)).unwrap_err();
    assert_eq!(get(&err, "code"), "too_deep");
    // The session still works after every error.
    assert!(s.train(options(r#"{"target":"species","search":"none","nTrees":5}"#)).is_ok());
}

#[wasm_bindgen_test]
fn step_wise_search_reports_trials_and_a_cancel_keeps_them() {
    let mut s = Session::new(IRIS, "iris.csv").unwrap();
    let plan = s.search_start(options(r#"{"target":"species","models":["decision_tree","knn"]}"#)).unwrap();
    assert_eq!(get(&plan, "planned"), 8);
    let first = s.search_step(None).unwrap();
    assert_eq!(get(&first, "index"), 0);
    s.search_trial_duration(12.5);
    let _second = s.search_step(None).unwrap();
    s.search_cancel();
    assert!(s.search_step(None).unwrap().is_null(), "no trial runs after a cancel");
    let result = s.search_finish().unwrap();
    let search = get(&result, "search");
    assert_eq!(get(&search, "cut_short"), true);
    assert_eq!(Array::from(&get(&search, "trials")).length(), 2);
    let manifest = s.manifest(JsValue::UNDEFINED).unwrap();
    assert!(manifest.contains("\"cut_short\": true"));
    assert!(manifest.contains("\"duration_ms\": 12.5"));
    // A cut-short search replays to the same two trials.
    let report = s.replay(&manifest).unwrap();
    assert_eq!(get(&report, "reproduced"), true);
}

/// A pool as the page will run it: a coordinating session hands pending
/// trials to worker sessions (same data, same options), which run them in
/// any order; the coordinator records them. Same leaderboard as one
/// session stepping, across halving rungs.
#[wasm_bindgen_test]
fn a_pool_of_sessions_gives_the_same_leaderboard() {
    let opts = r#"{"target":"progression","search":"halving","trials":9,"seed":4,"models":["ridge","lasso","knn","decision_tree","linear"]}"#;
    let mut alone = Session::new(DIABETES, "diabetes.csv").unwrap();
    let expected = alone.train(options(opts)).unwrap();
    let mut coordinator = Session::new(DIABETES, "diabetes.csv").unwrap();
    let mut workers = [Session::new(DIABETES, "diabetes.csv").unwrap(), Session::new(DIABETES, "diabetes.csv").unwrap()];
    coordinator.search_start(options(opts)).unwrap();
    for w in &mut workers {
        w.search_start(options(opts)).unwrap();
    }
    let mut rounds = 0;
    loop {
        let pending: Array = coordinator.search_pending().unwrap().into();
        if pending.length() == 0 {
            break;
        }
        rounds += 1;
        // Last first, alternating workers: any order will do.
        let trials: Vec<JsValue> = (0..pending.length()).rev().map(|i| workers[i as usize % 2].search_run_trial(pending.get(i)).unwrap()).collect();
        for t in trials {
            coordinator.search_record(t, Some(3.0)).unwrap();
        }
    }
    assert!(rounds >= 2, "{rounds} rung(s)");
    let pooled = coordinator.search_finish().unwrap();
    let strip = |v: &JsValue| -> String {
        let s = JSON::stringify(&get(v, "search")).unwrap().as_string().unwrap();
        s.replace(",\"duration_ms\":3", "").replace(",\"duration_ms\":null", "")
    };
    assert_eq!(strip(&pooled), strip(&expected));
    assert_eq!(JSON::stringify(&get(&pooled, "metrics")).unwrap(), JSON::stringify(&get(&expected, "metrics")).unwrap());
    // A trial from elsewhere is refused, not a trap.
    coordinator.search_start(options(opts)).unwrap();
    let spec = Array::from(&coordinator.search_pending().unwrap()).get(0);
    let trial = workers[0].search_run_trial(spec).unwrap();
    Reflect::set(&trial, &JsValue::from_str("index"), &JsValue::from_f64(500.0)).unwrap();
    assert_eq!(get(&coordinator.search_record(trial, None).unwrap_err(), "code"), "foreign_trial");
    let err = workers[0].search_run_trial(options(r#"{"index":0,"model":{"kind":"svc","c":0}}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_options");
}

#[wasm_bindgen_test]
fn chunked_ingest_profile_alerts_and_report_cross_the_boundary() {
    use mlcycle::wasm::IngestJs;
    let mut ingest = IngestJs::new("iris.csv", JsValue::UNDEFINED, Some(IRIS.len() as f64)).unwrap();
    for chunk in IRIS.chunks(1000) {
        ingest.push(chunk).unwrap();
    }
    assert_eq!(ingest.bytes_done(), IRIS.len() as f64);
    let s = ingest.finish().unwrap();
    // Same bytes in chunks, same manifest replay.
    assert_eq!(get(&s.replay(IRIS_RUN).unwrap(), "reproduced"), true);
    let p = s.profile_with(options(r#"{"target":"species"}"#)).unwrap();
    assert_eq!(get(&p, "target"), "species");
    let alerts: Array = get(&p, "alerts").into();
    assert!(alerts.length() > 0);
    let assoc = get(&p, "associations");
    let target: Array = get(&assoc, "target").into();
    assert_eq!(target.length(), 4);
    let err = s.profile_with(options(r#"{"target":"nope"}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "unknown_column");
    let err = s.profile_with(options(r#"{"tagret":"species"}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_options");
    let charts = s.profile_charts(JsValue::UNDEFINED).unwrap();
    assert!(get(&get(&charts, "columns"), "species").is_object());

    let evil = Session::with_options(b"<script>x</script>;v\n1;1,5\n2;2,5\n", "e.csv", options(r#"{"decimalComma":true}"#)).unwrap();
    let html = evil.profile_report(JsValue::UNDEFINED).unwrap();
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script"));
    let err = IngestJs::new("x.csv", options(r#"{"delimiter":"ab"}"#), None).err().unwrap();
    assert_eq!(get(&err, "code"), "invalid_options");
}

/// A file read in two parts through the JavaScript API (as the page's two
/// workers do) profiles exactly as when read whole; damaged part bytes are
/// refused, not trusted, and the head then reads the bytes itself.
#[wasm_bindgen_test]
fn a_file_read_in_parts_profiles_as_when_read_whole() {
    use mlcycle::wasm::{part_start_js, IngestJs, PartJs};
    let mut csv = String::from("id,x,label,when\n");
    for i in 0..20_000 {
        csv.push_str(&format!("{i},{}.25,\"l{}, ok\",2024-02-{:02}\n", i % 613, i % 7, 1 + i % 28));
    }
    let bytes = csv.as_bytes();
    let total = bytes.len() as f64;
    let whole = {
        let mut ingest = IngestJs::new("p.csv", JsValue::UNDEFINED, Some(total)).unwrap();
        ingest.push(bytes).unwrap();
        ingest.finish().unwrap()
    };
    let expected = JSON::stringify(&whole.profile().unwrap()).unwrap();
    let split = bytes.len() * 6 / 10;
    let start = split + part_start_js(&bytes[split..split + 4096]).unwrap() as usize;
    for damage in [false, true] {
        let mut ingest = IngestJs::new("p.csv", JsValue::UNDEFINED, Some(total)).unwrap();
        ingest.push(&bytes[..start]).unwrap();
        let spec = ingest.part_spec(start as f64, total).expect("a head past its header hands out parts");
        let mut part = PartJs::new(&spec).unwrap();
        part.push(&bytes[start..]).unwrap();
        let mut encoded = part.finish().unwrap();
        if damage {
            encoded[0] ^= 0xFF;
        }
        ingest.hash_ahead(&bytes[start..]);
        let taken = ingest.absorb(vec![js_sys::Uint8Array::from(&encoded[..])]).unwrap();
        assert_eq!(taken, !damage);
        if !taken {
            ingest.push(&bytes[start..]).unwrap();
        }
        let s = ingest.finish().unwrap();
        assert_eq!(JSON::stringify(&s.profile().unwrap()).unwrap(), expected, "damaged: {damage}");
    }
}
