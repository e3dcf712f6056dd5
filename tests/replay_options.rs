//! A run on data read with reading options replays only on data read the
//! same way: the page's session names both sets of options when they differ
//! (the command reads the file with the manifest's options itself).

use std::collections::BTreeMap;

use mlcycle::data::{parse_csv, ColumnKind, ParseOptions};
use mlcycle::manifest::RunManifest;
use mlcycle::run::{replay, run, RunOptions};
use mlcycle::search::Strategy;

fn data() -> Vec<u8> {
    let mut csv = String::from("x,zip,label\n");
    for i in 0..30 {
        csv.push_str(&format!("{i},0{},{}\n", 1000 + i % 4, if i % 3 == 0 { "a" } else { "b" }));
    }
    csv.into_bytes()
}

#[test]
fn replay_names_differing_reading_options() {
    let typed = ParseOptions { column_types: BTreeMap::from([("zip".to_string(), ColumnKind::Categorical)]), ..ParseOptions::default() };
    let ds = parse_csv(&data(), "z.csv", &typed).unwrap();
    let out = run(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("label") }).unwrap();
    let m = RunManifest::from_bytes(out.manifest(Default::default()).to_json().unwrap().as_bytes()).unwrap();
    assert_eq!(m.dataset.parse_options.as_ref(), Some(&typed));
    assert!(replay(&ds, &m).unwrap().reproduced);

    let plain = parse_csv(&data(), "z.csv", &ParseOptions::default()).unwrap();
    let err = replay(&plain, &m).unwrap_err();
    assert_eq!(err.code(), "parse_options_differ");
    assert_eq!(
        err.to_string(),
        "the run read this file with other reading options (column types: \"zip\" as categorical in the run, the default here); read the file again with the run's options"
    );
    // Each option that differs, in words, the defaults named as such (it
    // was raw JSON: `it used {}, this data was read with {"missingTokens":…}`).
    let tokens = ParseOptions { missing_tokens: vec![String::new(), "none".into()], has_header: Some(true), ..ParseOptions::default() };
    assert_eq!(
        mlcycle::run::options_difference(&ParseOptions::default(), &tokens),
        "has header: the default in the run, yes here; missing tokens: the default in the run, \"\", \"none\" here"
    );

    // Default options are not recorded at all.
    let out = run(&plain, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("label") }).unwrap();
    assert!(!out.manifest(Default::default()).to_json().unwrap().contains("parse_options"));
}

/// 40 rows × 10,000 columns with 7 classes: a default search leaves out
/// logistic regression's two penalised candidates (13.5 s per fit measured
/// on 19 rows) and keeps its plain one (1.5 s).
fn wide() -> mlcycle::data::Dataset {
    let width = 10_000;
    let mut text = (0..width).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    text.push('\n');
    for r in 0..40usize {
        let row: Vec<String> = (0..width).map(|i| ((i * r + if i == width - 1 { r % 2 } else { 0 }) % 7).to_string()).collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    parse_csv(text.as_bytes(), "wide.csv", &ParseOptions::default()).unwrap()
}

/// A default search that left some but not all of a model's candidates out
/// replays identically: the manifest records the grid it searched, and the
/// replay searches that grid, not the model's whole default space (it used
/// to, and planned other trials). A manifest written before the grid was
/// recorded still replays: the slow candidates are left out again.
#[test]
fn a_default_search_that_left_candidates_out_replays() {
    use mlcycle::run::Run;
    use mlcycle::train::ModelSpec;
    let ds = wide();
    // Seed 1 plans a decision tree and naive Bayes, quick in a debug build.
    let opts = RunOptions { search: Some(Strategy::Random), trials: Some(2), folds: Some(2), seed: Some(1), ..RunOptions::new("c9999") };
    let job = Run::start(&ds, &opts).unwrap();
    let logistic = job.left_out().iter().find(|l| l.model == "logistic").expect("logistic partly left out");
    assert!(logistic.reason.starts_with("2 of its 3 candidates"), "{}", logistic.reason);

    let out = run(&ds, &opts).unwrap();
    let m = RunManifest::from_bytes(out.manifest(Default::default()).to_json().unwrap().as_bytes()).unwrap();
    let report = replay(&ds, &m).unwrap();
    assert!(report.reproduced, "{:?}", report.differences);
    let config = m.config.search.as_ref().unwrap();
    let grid = config.grid.as_ref().expect("the searched grid is recorded");
    let logistic: Vec<&ModelSpec> = grid.iter().filter(|s| s.name() == "logistic").collect();
    assert_eq!(logistic, [&ModelSpec::Logistic { alpha: 0.0 }]);

    // As an older build wrote it: models named, no grid.
    let mut old = m.clone();
    old.config.search.as_mut().unwrap().grid = None;
    let old = RunManifest::from_bytes(old.to_json().unwrap().as_bytes()).unwrap();
    let report = replay(&ds, &old).unwrap();
    assert!(report.reproduced, "{:?}", report.differences);
}
