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
const IRIS_RUN: &str = include_str!("fixtures/iris.run.json");
const DIABETES_RUN: &str = include_str!("fixtures/diabetes.run.json");
const IRIS_SEARCH_RUN: &str = include_str!("fixtures/iris-search.run.json");
const DIABETES_HALVING_RUN: &str = include_str!("fixtures/diabetes-halving.run.json");

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
    assert_eq!(get(&err, "message"), "bad.csv: row 2 (line 3) has 1 fields but the header has 2");
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
    assert_eq!(s.infer_task("species").unwrap(), "classification");
    let err = s.infer_task("nope").unwrap_err();
    assert_eq!(get(&err, "code"), "unknown_column");
}

#[wasm_bindgen_test]
fn native_manifests_reproduce_in_wasm() {
    for (csv, name, manifest) in [
        (IRIS, "iris.csv", IRIS_RUN),
        (DIABETES, "diabetes.csv", DIABETES_RUN),
        (IRIS, "iris.csv", IRIS_SEARCH_RUN),
        (DIABETES, "diabetes.csv", DIABETES_HALVING_RUN),
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
    assert_eq!(get(&result, "trainRows"), 111);
    let ours = s.manifest(options(r#"{"train":1.5}"#)).unwrap();
    let strip = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.contains("\"target\": \"") || l.contains("species"))
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
    let err = s.train(options(r#"{"target":"species","nTrees":0}"#)).unwrap_err();
    assert_eq!(get(&err, "code"), "invalid_parameter");
    let err = s.manifest(JsValue::UNDEFINED).unwrap_err();
    assert_eq!(get(&err, "code"), "not_trained");
    let err = s.replay("{\"schema\":\"mlcycle.run/9\"}").unwrap_err();
    assert_eq!(get(&err, "code"), "schema_version");
    let err = s.replay(&"[".repeat(50_000)).unwrap_err();
    assert_eq!(get(&err, "code"), "too_deep");
    // The session still works after every error.
    assert!(s.train(options(r#"{"target":"species","nTrees":5}"#)).is_ok());
}

fn stringify(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

const SMALL_SEARCH: &str = r#"{"target":"species","seed":3,"models":["knn","gaussian_nb","logistic"],"trials":5,"folds":3}"#;

#[wasm_bindgen_test]
fn search_runs_step_by_step_and_lands_in_the_manifest() {
    let mut s = Session::new(IRIS, "iris.csv").unwrap();
    let plan = s.search_start(options(SMALL_SEARCH)).unwrap();
    assert_eq!(get(&plan, "trials"), 5);
    assert_eq!(get(&plan, "metric"), "accuracy");
    let mut steps = 0;
    loop {
        let r = s.search_step().unwrap();
        if r.is_null() {
            break;
        }
        assert_eq!(Array::from(&get(&r, "fold_scores")).length(), 3);
        s.search_time(get(&get(&r, "trial"), "index").as_f64().unwrap() as u32, 12.5).unwrap();
        steps += 1;
    }
    assert_eq!(steps, 5);
    let result = s.search_result().unwrap();
    assert_eq!(get(&result, "cutShort"), false);
    assert_eq!(Array::from(&get(&result, "leaderboard")).length(), 5);
    let manifest = s.manifest(JsValue::UNDEFINED).unwrap();
    assert!(manifest.contains("\"search\": {"), "{manifest}");
    assert!(manifest.contains("\"fit_ms\": 12.5"));
    // The page's manifest replays in the page.
    assert_eq!(get(&s.replay(&manifest).unwrap(), "reproduced"), true);
}

/// Trials run by other sessions (workers), in reverse order, give the same
/// leaderboard as one session stepping through them.
#[wasm_bindgen_test]
fn trials_spread_over_workers_give_the_same_leaderboard() {
    let mut one = Session::new(IRIS, "iris.csv").unwrap();
    one.search_start(options(SMALL_SEARCH)).unwrap();
    while !one.search_step().unwrap().is_null() {}
    let mut main = Session::new(IRIS, "iris.csv").unwrap();
    let mut workers = [Session::new(IRIS, "iris.csv").unwrap(), Session::new(IRIS, "iris.csv").unwrap()];
    main.search_start(options(SMALL_SEARCH)).unwrap();
    for w in &mut workers {
        w.search_start(options(SMALL_SEARCH)).unwrap();
    }
    let mut pending = main.search_pending().unwrap();
    pending.reverse();
    for (i, index) in pending.into_iter().enumerate() {
        let r = workers[i % 2].run_trial(index).unwrap();
        main.search_record(r).unwrap();
    }
    assert!(main.search_step().unwrap().is_null());
    assert_eq!(stringify(&main.search_leaderboard().unwrap()), stringify(&one.search_leaderboard().unwrap()));
}

#[wasm_bindgen_test]
fn cancel_keeps_finished_trials_and_is_recorded() {
    let mut s = Session::new(IRIS, "iris.csv").unwrap();
    s.search_start(options(SMALL_SEARCH)).unwrap();
    assert!(!s.search_step().unwrap().is_null());
    s.search_cancel().unwrap();
    assert!(s.search_step().unwrap().is_null());
    let result = s.search_result().unwrap();
    assert_eq!(get(&result, "cutShort"), true);
    assert_eq!(Array::from(&get(&result, "leaderboard")).length(), 1);
    let manifest = s.manifest(JsValue::UNDEFINED).unwrap();
    assert!(manifest.contains("\"cut_short\": true"));
    assert_eq!(get(&s.replay(&manifest).unwrap(), "reproduced"), true);
}

#[wasm_bindgen_test]
fn bad_search_options_are_errors_not_traps() {
    let mut s = Session::new(IRIS, "iris.csv").unwrap();
    let err = s.search_step().unwrap_err();
    assert_eq!(get(&err, "code"), "no_search");
    let cases = [
        (r#"{"target":"species","trails":5}"#, "invalid_options"),
        (r#"{"target":"species","models":["nope"]}"#, "unknown_model"),
        (r#"{"target":"species","models":["ridge"]}"#, "bad_search_space"),
        (r#"{"target":"species","folds":1}"#, "invalid_search_setting"),
        (r#"{"target":"species","metric":"r2"}"#, "bad_metric"),
        (r#"{"target":"species","spaces":[{"model":"svc","params":{"c":{"range":[0,1]}}}]}"#, "bad_search_space"),
        (r#"{"target":"species","spaces":[{"model":"knn","params":{"k":{"choice":[500]}}}]}"#, "invalid_parameter"),
    ];
    for (json, code) in cases {
        let err = s.search_start(options(json)).unwrap_err();
        assert_eq!(get(&err, "code"), code, "{json}: {:?}", get(&err, "message"));
    }
    let err = s.run_trial(0).unwrap_err();
    assert_eq!(get(&err, "code"), "no_search");
    s.search_start(options(SMALL_SEARCH)).unwrap();
    let err = s.run_trial(99).unwrap_err();
    assert_eq!(get(&err, "code"), "foreign_trial");
}
