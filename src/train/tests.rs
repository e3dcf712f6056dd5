use ndarray::Array2;

use super::*;

fn blobs(n: usize, k: u32) -> (Array2<f64>, Target) {
    let x = Array2::from_shape_fn((n, 3), |(i, j)| {
        let c = (i as u32 % k) as f64;
        c * 3.0 + ((i * 7 + j * 13) % 10) as f64 / 10.0 + j as f64
    });
    let y = Target::Classes((0..n).map(|i| i as u32 % k).collect());
    (x, y)
}

fn line(n: usize) -> (Array2<f64>, Target) {
    let x = Array2::from_shape_fn((n, 2), |(i, j)| (i as f64) * (j as f64 + 1.0) + ((i * 5 + j) % 7) as f64);
    let y = Target::Values((0..n).map(|i| 3.0 * i as f64 + ((i * 3) % 5) as f64).collect());
    (x, y)
}

fn all_for(task: Task) -> Vec<ModelSpec> {
    MODEL_NAMES.iter().filter_map(|n| ModelSpec::default_for(n)).filter(|s| s.supports(task)).collect()
}

/// One row per bad parameter: the spec and the parameter named.
#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn bad_parameters_are_named() {
    let forest = |n_trees, max_depth, leaf, split| ModelSpec::Forest {
        n_trees,
        max_depth,
        min_samples_leaf: leaf,
        min_samples_split: split,
    };
    let gbt = |n, d, lr, lambda, sub| ModelSpec::Gbt { n_estimators: n, max_depth: d, learning_rate: lr, lambda, subsample: sub };
    let cases = [
        (forest(0, None, 1, 2), "n_trees"),
        (forest(1001, None, 1, 2), "n_trees"),
        (forest(10, Some(0), 1, 2), "max_depth"),
        (forest(10, Some(65), 1, 2), "max_depth"),
        (forest(10, None, 0, 2), "min_samples_leaf"),
        (forest(10, None, 1, 1), "min_samples_split"),
        (ModelSpec::Tree { max_depth: Some(0), min_samples_leaf: 1, min_samples_split: 2 }, "max_depth"),
        (ModelSpec::ExtraTrees { n_trees: 0, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 }, "n_trees"),
        (ModelSpec::Logistic { c: 0.0 }, "c"),
        (ModelSpec::Logistic { c: -1.0 }, "c"),
        (ModelSpec::Logistic { c: f64::NAN }, "c"),
        (ModelSpec::Logistic { c: f64::INFINITY }, "c"),
        (ModelSpec::Knn { k: 0, weights: KnnWeights::Uniform }, "k"),
        (ModelSpec::Knn { k: 5000, weights: KnnWeights::Uniform }, "k"),
        (ModelSpec::Svc { kernel: Kernel::Rbf, c: 0.0, gamma: None }, "c"),
        (ModelSpec::Svc { kernel: Kernel::Rbf, c: 1.0, gamma: Some(0.0) }, "gamma"),
        (ModelSpec::Svc { kernel: Kernel::Rbf, c: 1.0, gamma: Some(f64::NAN) }, "gamma"),
        (ModelSpec::Svr { kernel: Kernel::Linear, c: 1.0, epsilon: -0.1, gamma: None }, "epsilon"),
        (ModelSpec::Svr { kernel: Kernel::Linear, c: f64::NAN, epsilon: 0.1, gamma: None }, "c"),
        (ModelSpec::Ridge { alpha: -1.0 }, "alpha"),
        (ModelSpec::Lasso { alpha: 0.0 }, "alpha"),
        (ModelSpec::ElasticNet { alpha: 1.0, l1_ratio: 1.5 }, "l1_ratio"),
        (ModelSpec::ElasticNet { alpha: f64::NAN, l1_ratio: 0.5 }, "alpha"),
        (gbt(0, 3, 0.1, 1.0, 1.0), "n_estimators"),
        (gbt(10, 0, 0.1, 1.0, 1.0), "max_depth"),
        (gbt(10, 3, 0.0, 1.0, 1.0), "learning_rate"),
        (gbt(10, 3, 0.1, -1.0, 1.0), "lambda"),
        (gbt(10, 3, 0.1, 1.0, 0.0), "subsample"),
        (gbt(10, 3, 0.1, 1.0, 1.5), "subsample"),
    ];
    for (spec, name) in cases {
        match spec.validate() {
            Err(TrainError::InvalidParameter { name: n, allowed, .. }) => {
                assert_eq!(n, name, "{spec:?}");
                assert!(!allowed.is_empty());
            }
            other => panic!("{spec:?}: expected InvalidParameter, got {other:?}"),
        }
    }
}

/// Limits that depend on the data, one row each.
#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn data_dependent_limits_are_checked_before_fitting() {
    let knn = ModelSpec::Knn { k: 50, weights: KnnWeights::Uniform };
    let svc = ModelSpec::default_for("svc").unwrap();
    let cases = [
        (knn, Task::Classification, 40, 2, "invalid_parameter", "40 training rows"),
        (svc.clone(), Task::Classification, 6000, 2, "too_large_for_model", "over the limit of 5000"),
        (svc.clone(), Task::Classification, 500, 30, "too_large_for_model", "435 one-vs-one"),
        (svc, Task::Regression, 50, 1, "wrong_task", "does not do regression"),
        (ModelSpec::Linear, Task::Classification, 50, 2, "wrong_task", "does not do classification"),
        (ModelSpec::default_for("svr").unwrap(), Task::Regression, 9000, 1, "too_large_for_model", "about"),
    ];
    for (spec, task, rows, classes, code, text) in cases {
        let err = check_fit(&spec, task, rows, classes).unwrap_err();
        assert_eq!(err.code(), code, "{spec:?}: {err}");
        assert!(err.to_string().contains(text), "{err}");
    }
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn every_classifier_fits_separable_blobs_and_probabilities_sum_to_one() {
    for k in [2u32, 3] {
        let (x, y) = blobs(60, k);
        for spec in all_for(Task::Classification) {
            let spec = match spec {
                ModelSpec::Forest { .. } => ModelSpec::Forest { n_trees: 10, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
                s => s,
            };
            let model = fit(&spec, &x, &y, 3).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
            let (pred, proba) = model.predict_full(&x).unwrap();
            let Target::Classes(p) = &pred else { panic!("classes expected") };
            let Target::Classes(t) = &y else { unreachable!() };
            let acc = p.iter().zip(t).filter(|(a, b)| a == b).count() as f64 / p.len() as f64;
            assert!(acc > 0.9, "{} on {k} classes: accuracy {acc}", spec.name());
            assert_eq!(proba.is_some(), model.has_probabilities(), "{}", spec.name());
            if let Some(proba) = proba {
                assert_eq!(proba.dim(), (60, k as usize));
                for row in proba.rows() {
                    let s: f64 = row.sum();
                    assert!((s - 1.0).abs() < 1e-6 && row.iter().all(|v| (0.0..=1.0).contains(v)), "{}: {row:?}", spec.name());
                }
            }
        }
    }
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn every_regressor_fits_a_line() {
    let (x, y) = line(80);
    let Target::Values(t) = &y else { unreachable!() };
    let mean = t.iter().sum::<f64>() / t.len() as f64;
    let ss_tot: f64 = t.iter().map(|v| (v - mean).powi(2)).sum();
    for spec in all_for(Task::Regression) {
        let spec = match spec {
            ModelSpec::Svr { kernel, epsilon, gamma, .. } => ModelSpec::Svr { kernel, c: 1000.0, epsilon, gamma },
            s => s,
        };
        let model = fit(&spec, &x, &y, 5).unwrap_or_else(|e| panic!("{spec:?}: {e}"));
        let Target::Values(p) = model.predict(&x).unwrap() else { panic!("values expected") };
        let ss_res: f64 = t.iter().zip(&p).map(|(a, b)| (a - b).powi(2)).sum();
        let r2 = 1.0 - ss_res / ss_tot;
        assert!(r2 > 0.9, "{}: r2 {r2}", spec.name());
    }
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn same_seed_same_model() {
    let (x, y) = blobs(40, 2);
    for spec in [
        ModelSpec::Forest { n_trees: 15, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
        ModelSpec::default_for("svc").unwrap(),
        ModelSpec::default_for("tree").unwrap(),
    ] {
        let a = fit(&spec, &x, &y, 3).unwrap().predict_full(&x).unwrap();
        let b = fit(&spec, &x, &y, 3).unwrap().predict_full(&x).unwrap();
        assert_eq!(a, b);
    }
}

#[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
#[test]
fn estimate_grows_with_the_job() {
    let spec = ModelSpec::default();
    let (small, _) = estimate_seconds(&spec, 111, 4, 3);
    let (big, detail) = estimate_seconds(&spec, 100_000, 20, 2);
    assert!(small < 0.1, "{small}");
    assert!((50.0..200.0).contains(&big), "{big}");
    assert_eq!(detail, "100 trees × 100000 rows × depth 17 × 4 features per split");
    for name in MODEL_NAMES {
        let spec = ModelSpec::default_for(name).unwrap();
        let (a, _) = estimate_seconds(&spec, 1_000, 10, 3);
        let (b, _) = estimate_seconds(&spec, 10_000, 10, 3);
        assert!(a > 0.0 && b > a && b.is_finite(), "{name}: {a} then {b}");
    }
}

#[test]
fn width_mismatch_is_an_error_not_a_panic() {
    let (x, y) = blobs(40, 2);
    for name in ["forest", "svc", "knn", "logistic", "gaussian_nb"] {
        let model = fit(&ModelSpec::default_for(name).unwrap(), &x, &y, 1).unwrap();
        let narrow = Array2::zeros((3, 1));
        assert_eq!(model.predict(&narrow).unwrap_err().code(), "width_mismatch", "{name}");
        let mut bad = Array2::zeros((3, 3));
        bad[[1, 1]] = f64::INFINITY;
        assert_eq!(model.predict(&bad).unwrap_err().code(), "non_finite", "{name}");
    }
}

#[test]
fn non_finite_and_tiny_inputs_are_refused() {
    let (mut x, y) = blobs(40, 2);
    x[[4, 1]] = f64::NAN;
    for name in ["forest", "knn", "svc"] {
        assert_eq!(fit(&ModelSpec::default_for(name).unwrap(), &x, &y, 1).unwrap_err().code(), "non_finite");
    }
    let one = Array2::zeros((1, 2));
    assert_eq!(fit(&ModelSpec::default(), &one, &Target::Values(vec![1.0]), 1).unwrap_err().code(), "too_few_rows");
    let (x, _) = line(10);
    let mut v: Vec<f64> = (0..10).map(f64::from).collect();
    v[3] = f64::INFINITY;
    assert_eq!(fit(&ModelSpec::Linear, &x, &Target::Values(v), 1).unwrap_err().code(), "non_finite");
}

#[test]
fn specs_read_the_old_forest_name_and_refuse_unknown_fields() {
    let old: ModelSpec = serde_json::from_str(
        r#"{"kind":"random_forest","n_trees":5,"max_depth":null,"min_samples_leaf":1,"min_samples_split":2}"#,
    )
    .unwrap();
    assert_eq!(old.name(), "forest");
    assert!(serde_json::from_str::<ModelSpec>(r#"{"kind":"ridge","alpha":1,"beta":2}"#).is_err());
    assert!(serde_json::from_str::<ModelSpec>(r#"{"kind":"gaussian_nb"}"#).is_ok());
    for name in MODEL_NAMES {
        let spec = ModelSpec::default_for(name).unwrap();
        let text = serde_json::to_string(&spec).unwrap();
        assert_eq!(serde_json::from_str::<ModelSpec>(&text).unwrap(), spec, "{text}");
        assert_eq!(spec.name(), name);
        spec.validate().unwrap();
    }
}
