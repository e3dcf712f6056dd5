// Small fuzzed tables (at most 2 KB, target = last column) through the
// whole run: one logistic regression (inputs up to 512 bytes), a 3-tree forest with the task inferred, forced to
// classification and forced to regression, and a cross-validated grid
// over decision trees, k-NN, naive Bayes, ridge and lasso. Errors are
// fine, panics are findings; a successful run's manifest must read back
// and replay on the same data as reproduced, bit for bit.
//
// Shared by the fuzz target (fuzz/fuzz_targets/train.rs) and the native
// regression test (tests/fuzz_regressions.rs), which replays every kept
// input under fuzz/regressions/train/ and fuzz/seeds/train/.
use mlcycle::data::{parse_csv, Dataset, ParseOptions};
use mlcycle::manifest::RunManifest;
use mlcycle::run::{replay, run, RunOptions};
use mlcycle::search::Strategy;
use mlcycle::train::Task;

const MAX_INPUT: usize = 2048;

fn check(ds: &Dataset, opts: &RunOptions) {
    let Ok(out) = run(ds, opts) else { return };
    let text = out.manifest(Default::default()).to_json().unwrap_or_else(|e| panic!("our own run's manifest is refused: {e}"));
    let m = RunManifest::from_bytes(text.as_bytes())
        .unwrap_or_else(|e| panic!("our own manifest does not read back: {e}\n{text}"));
    let report = replay(ds, &m).unwrap_or_else(|e| panic!("our own manifest does not replay: {e}\n{text}"));
    assert!(report.reproduced, "replay differs: {:?}\n{text}", report.differences);
}

/// Checks one input; panics on a finding.
pub fn check_input(data: &[u8]) {
    if data.len() > MAX_INPUT {
        return;
    }
    let Ok(ds) = parse_csv(data, "fuzz.csv", &ParseOptions::default()) else { return };
    let Some(target) = ds.columns.last().map(|c| c.name.clone()) else { return };

    // One small random forest, no search.
    for task in [None, Some(Task::Classification), Some(Task::Regression)] {
        let opts = RunOptions { search: Some(Strategy::None), n_trees: Some(3), task, ..RunOptions::new(&target) };
        check(&ds, &opts);
    }
    let zoo = |names: &[&str]| Some(names.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    // Logistic regression once, on the smaller inputs only: its solver
    // takes seconds per table under the sanitizer (e.g. on
    // seeds/train/wine.csv).
    if data.len() <= 512 {
        let opts = RunOptions { task: Some(Task::Classification), search: Some(Strategy::None), models: zoo(&["logistic"]), ..RunOptions::new(&target) };
        check(&ds, &opts);
    }
    // The rest of the zoo through the cross-validated search. Left out for
    // speed: forests (100 trees in the grid).
    for (task, models) in [
        (Task::Classification, zoo(&["decision_tree", "knn", "gaussian_nb"])),
        (Task::Regression, zoo(&["decision_tree", "knn", "ridge", "lasso"])),
    ] {
        let opts = RunOptions { task: Some(task), search: Some(Strategy::Grid), models, ..RunOptions::new(&target) };
        check(&ds, &opts);
    }
}
