use ndarray::Array2;

use super::*;

fn blobs(n: usize) -> (Array2<f64>, Target) {
    let x = Array2::from_shape_fn((n, 3), |(i, j)| (i % 3) as f64 * 2.0 + ((i * 7 + j * 13) % 10) as f64 / 4.0);
    (x, Target::Classes((0..n).map(|i| (i % 3) as u32).collect()))
}

fn config(strategy: Strategy, trials: usize) -> SearchConfig {
    let spaces: Vec<ModelSpace> = serde_json::from_str(
        r#"[{"model":"knn","params":{"k":{"int_range":[1,9]},"weights":{"choice":["uniform","distance"]}}},
            {"model":"logistic","params":{"c":{"log_range":[0.01,100]}}},
            {"model":"gaussian_nb"}]"#,
    )
    .unwrap();
    SearchConfig { strategy, spaces, trials, folds: 3, metric: Some(MetricName::Accuracy), grid_points: 3 }
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn stratified_folds_partition_the_rows_and_keep_the_balance() {
    let classes: Vec<u32> = (0..50).map(|i| u32::from(i >= 40)).collect();
    let folds = k_folds(50, Some(&classes), 5, 9);
    let mut all: Vec<usize> = folds.iter().flatten().copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..50).collect::<Vec<_>>());
    for f in &folds {
        assert_eq!(f.len(), 10);
        assert_eq!(f.iter().filter(|&&i| i >= 40).count(), 2, "{f:?}");
    }
    assert_eq!(folds, k_folds(50, Some(&classes), 5, 9));
    assert_ne!(folds, k_folds(50, Some(&classes), 5, 10));
}

/// Running the trials in any order, in two halves recorded by another
/// state, gives the same leaderboard as stepping through them.
#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn trials_are_independent_of_order_and_worker() {
    for strategy in [Strategy::Random, Strategy::Grid, Strategy::Halving] {
        let (x, y) = blobs(60);
        let mut a = SearchState::start(config(strategy, 9), x.clone(), y.clone(), 4).unwrap();
        while a.step().is_some() {}
        let mut b = SearchState::start(config(strategy, 9), x.clone(), y.clone(), 4).unwrap();
        let worker = SearchState::start(config(strategy, 9), x, y, 4).unwrap();
        while !b.is_done() {
            let mut pending = b.pending();
            pending.reverse();
            for t in pending {
                b.record(worker.data().run_trial(&t)).unwrap();
            }
        }
        assert_eq!(a.results(), b.results(), "{strategy:?}");
        assert_eq!(a.record_of().unwrap(), b.record_of().unwrap());
        assert!(!a.results().is_empty());
    }
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn strategies_plan_within_the_budget() {
    let (x, y) = blobs(60);
    let random = SearchState::start(config(Strategy::Random, 7), x.clone(), y.clone(), 1).unwrap();
    let models: Vec<&str> = random.pending().iter().map(|t| t.model.name()).collect();
    // Models in turn; naive Bayes has no parameters, so it is tried once.
    assert_eq!(models, ["knn", "logistic", "gaussian_nb", "knn", "logistic", "knn", "logistic"]);
    // knn 3 × 2 + logistic 3 + nb 1 = 10 combinations, sampled down to 8.
    let grid = SearchState::start(config(Strategy::Grid, 100), x.clone(), y.clone(), 1).unwrap();
    assert_eq!(grid.pending().len(), 10);
    let grid = SearchState::start(config(Strategy::Grid, 8), x.clone(), y.clone(), 1).unwrap();
    assert_eq!(grid.pending().len(), 8);
    let mut halving = SearchState::start(config(Strategy::Halving, 12), x, y, 1).unwrap();
    assert_eq!(halving.summary().trials, 8 + 3 + 1);
    assert!(halving.pending().iter().all(|t| t.rung == 0 && t.row_share < 1.0));
    while halving.step().is_some() {}
    let r = halving.record_of().unwrap();
    assert_eq!(r.trials.len(), 12);
    let last = r.trials.iter().find(|t| t.trial.index == r.best).unwrap();
    assert_eq!((last.trial.rung, last.trial.row_share), (2, 1.0));
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn cancel_keeps_finished_trials_and_says_so() {
    let (x, y) = blobs(60);
    let mut s = SearchState::start(config(Strategy::Random, 6), x, y, 2).unwrap();
    assert_eq!(s.record_of().unwrap_err().code(), "nothing_to_choose");
    s.step().unwrap();
    s.step().unwrap();
    s.cancel();
    assert!(s.step().is_none());
    let r = s.record_of().unwrap();
    assert!(r.cut_short);
    assert_eq!(r.trials.len(), 2);
    assert_eq!(r.planned, 6);
}

/// One row per bad config: the error code and a piece of the message.
#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn bad_configs_are_refused_with_the_place() {
    let (x, y) = blobs(60);
    let space = |json: &str| -> SearchConfig {
        SearchConfig { spaces: serde_json::from_str(json).unwrap(), ..config(Strategy::Random, 4) }
    };
    let cases = [
        (SearchConfig { trials: 0, ..config(Strategy::Random, 4) }, "invalid_search_setting", "trials = 0"),
        (SearchConfig { folds: 1, ..config(Strategy::Random, 4) }, "invalid_search_setting", "folds = 1"),
        (SearchConfig { folds: 21, ..config(Strategy::Random, 4) }, "invalid_search_setting", "2 to 20"),
        (SearchConfig { metric: Some(MetricName::R2), ..config(Strategy::Random, 4) }, "bad_metric", "regression metric"),
        (space(r#"[{"model":"forest"}]"#).with_metric(MetricName::LogLoss), "bad_metric", "no class probabilities"),
        (space(r#"[{"model":"nope"}]"#), "unknown_model", "known models: logistic"),
        (space(r#"[{"model":"ridge"}]"#), "bad_search_space", "does not do classification"),
        (space(r#"[{"model":"knn","params":{"kk":{"choice":[1]}}}]"#), "bad_search_space", "its parameters: k, weights"),
        (space(r#"[{"model":"knn","params":{"k":{"int_range":[0,5]}}}]"#), "bad_search_space", "k = 0"),
        (space(r#"[{"model":"logistic","params":{"c":{"log_range":[0,5]}}}]"#), "bad_search_space", "above 0"),
        (space(r#"[{"model":"logistic","params":{"c":{"choice":[]}}}]"#), "bad_search_space", "empty choice"),
        (space(r#"[{"model":"svc","params":{"kernel":{"choice":["poly"]}}}]"#), "bad_search_space", "unknown variant"),
        (space(r#"[{"model":"knn","params":{"k":{"choice":[50]}}}]"#), "invalid_parameter", "training rows"),
    ];
    for (cfg, code, text) in cases {
        let err = SearchState::start(cfg.clone(), x.clone(), y.clone(), 1).unwrap_err();
        assert_eq!(err.code(), code, "{cfg:?}: {err}");
        assert!(err.to_string().contains(text), "{err}");
    }
    let (x, y) = blobs(30);
    let err = SearchState::start(SearchConfig { folds: 20, ..config(Strategy::Random, 4) }, x, y, 1).unwrap_err();
    assert!(err.to_string().contains("2 to 15 for 30 training rows"), "{err}");
}

impl SearchConfig {
    fn with_metric(self, m: MetricName) -> SearchConfig {
        SearchConfig { metric: Some(m), ..self }
    }
}

#[test]
fn default_spaces_are_valid_for_their_tasks() {
    for task in [Task::Classification, Task::Regression] {
        let c = SearchConfig::default().resolve(task).unwrap();
        assert_eq!(c.spaces.len(), default_models(task).len());
    }
}
