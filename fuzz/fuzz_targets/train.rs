//! Small fuzzed tables through the whole run, both tasks; a successful run's
//! manifest reads back and replays as reproduced.
#![no_main]
use libfuzzer_sys::fuzz_target;
use mlcycle::data::{parse_csv, ParseOptions};
use mlcycle::manifest::RunManifest;
use mlcycle::run::{replay, run, RunOptions};
use mlcycle::train::Task;

fuzz_target!(|data: &[u8]| {
    if data.len() > 2048 {
        return;
    }
    let Ok(ds) = parse_csv(data, "fuzz.csv", &ParseOptions::default()) else { return };
    let target = ds.columns.last().map(|c| c.name.clone()).unwrap_or_default();
    for task in [None, Some(Task::Classification), Some(Task::Regression)] {
        let opts = RunOptions { n_trees: Some(3), task, ..RunOptions::new(&target) };
        if let Ok(out) = run(&ds, &opts) {
            let text = out.manifest(Default::default()).to_json();
            let m = RunManifest::from_bytes(text.as_bytes()).expect("our own manifest reads back");
            let report = replay(&ds, &m).expect("our own manifest replays");
            assert!(report.reproduced, "{:?}", report.differences);
        }
    }
});
