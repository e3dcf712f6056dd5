// Times fits against `estimate_seconds` on synthetic data: standard normal
// features (or, with ONEHOT=1, one-hot groups of ten categories), classes
// from a noisy linear score of the first five features.
//
//   fit_timing MODEL:ROWSxWIDTHxCLASSES[xPARAM] ...
//
// MODEL: logistic (PARAM: alpha), forest (PARAM: trees), tree, svc and
// svc_linear (PARAM: C).
use mlcycle::train::{estimate_seconds, fit, ModelSpec, Target};
use ndarray::Array2;
use rand_core::{RngCore, SeedableRng};
use std::time::Instant;

fn main() {
    let onehot = std::env::var("ONEHOT").is_ok_and(|v| v == "1");
    for case in std::env::args().skip(1) {
        let (model, dims) = case.split_once(':').expect("MODEL:ROWSxWIDTHxCLASSES");
        let p: Vec<f64> = dims.split('x').map(|s| s.parse().expect("a number")).collect();
        let (rows, width, classes) = (p[0] as usize, p[1] as usize, p[2] as usize);
        let param = p.get(3).copied();
        let spec = match model {
            "logistic" => ModelSpec::Logistic { alpha: param.unwrap_or(1.0) },
            "forest" => ModelSpec::RandomForest { n_trees: param.unwrap_or(100.0) as u16, max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
            "tree" => ModelSpec::DecisionTree { max_depth: None, min_samples_leaf: 1, min_samples_split: 2 },
            "svc" => ModelSpec::Svc { kernel: mlcycle::train::Kernel::Rbf, c: param.unwrap_or(1.0), gamma: None },
            "svc_linear" => ModelSpec::Svc { kernel: mlcycle::train::Kernel::Linear, c: param.unwrap_or(1.0), gamma: None },
            other => panic!("unknown model {other}"),
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut unit = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut normal = || {
            let (u, v) = (unit().max(1e-12), unit());
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        };
        let mut x = Array2::from_shape_fn((rows, width), |_| normal());
        if onehot {
            for r in 0..rows {
                for g in (0..width).step_by(10) {
                    let hot = g + ((x[[r, g]].abs() * 7.0) as usize % 10).min(width - 1 - g);
                    for j in g..(g + 10).min(width) {
                        x[[r, j]] = if j == hot { 1.0 } else { 0.0 };
                    }
                }
            }
        }
        let y: Vec<u32> = (0..rows)
            .map(|r| {
                let scores: Vec<f64> = (0..classes).map(|c| (0..5.min(width)).map(|j| x[[r, j]] * (((c * 5 + j) % 7) as f64 - 3.0)).sum::<f64>() + 2.0 * normal()).collect();
                (0..classes).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap_or(0) as u32
            })
            .collect();
        let (est, _) = estimate_seconds(&spec, rows, width, classes);
        let t0 = Instant::now();
        let r = fit(&spec, &x, &Target::Classes(y), 1);
        let s = t0.elapsed().as_secs_f64();
        println!("{case:>28}{}: fit {s:.3} s, estimate {est:.3} s, ratio {:.2}{}", if onehot { " one-hot" } else { "" }, est / s, if r.is_err() { " (failed)" } else { "" });
    }
}
