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
    let m = RunManifest::from_bytes(out.manifest(Default::default()).to_json().as_bytes()).unwrap();
    assert_eq!(m.dataset.parse_options.as_ref(), Some(&typed));
    assert!(replay(&ds, &m).unwrap().reproduced);

    let plain = parse_csv(&data(), "z.csv", &ParseOptions::default()).unwrap();
    let err = replay(&plain, &m).unwrap_err();
    assert_eq!(err.code(), "parse_options_differ");
    assert_eq!(
        err.to_string(),
        "the run read this file with other reading options: it used {\"columnTypes\":{\"zip\":\"categorical\"}}, this data was read with {}; read the file again with the run's options"
    );

    // Default options are not recorded at all.
    let out = run(&plain, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("label") }).unwrap();
    assert!(!out.manifest(Default::default()).to_json().contains("parse_options"));
}
