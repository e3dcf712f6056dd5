// Times logistic regression fits against estimate_seconds on synthetic
// data: standard normal features, classes from a noisy linear score of the
// first five. `logistic_timing [ROWSxWIDTHxCLASSESxALPHA ...]`.
use mlcycle::train::{estimate_seconds, fit, ModelSpec, Target};
use ndarray::Array2;
use rand_core::{RngCore, SeedableRng};
use std::time::Instant;

fn main() {
    let cases: Vec<String> = std::env::args().skip(1).collect();
    for case in cases {
        let p: Vec<f64> = case.split('x').map(|s| s.parse().unwrap()).collect();
        let (rows, width, classes, alpha) = (p[0] as usize, p[1] as usize, p[2] as usize, p[3]);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut normal = || {
            let mut unit = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
            let (u, v) = (unit().max(1e-12), unit());
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        };
        let x = Array2::from_shape_fn((rows, width), |_| normal());
        let y: Vec<u32> = (0..rows)
            .map(|r| {
                let scores: Vec<f64> = (0..classes).map(|c| (0..5.min(width)).map(|j| x[[r, j]] * (((c * 5 + j) % 7) as f64 - 3.0)).sum::<f64>() + 2.0 * normal()).collect();
                (0..classes).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap() as u32
            })
            .collect();
        let spec = ModelSpec::Logistic { alpha };
        let (est, _) = estimate_seconds(&spec, rows, width, classes);
        let t0 = Instant::now();
        let r = fit(&spec, &x, &Target::Classes(y), 1);
        let s = t0.elapsed().as_secs_f64();
        println!("{rows:>6} x {width:>5} k={classes} alpha={alpha}: fit {s:.3} s, estimate {est:.3} s, ratio {:.2} {}", est / s, if r.is_err() { "(failed)" } else { "" });
    }
}
