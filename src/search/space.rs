//! Search spaces as data: each model's parameters and the values they may
//! take, turned into candidate [`ModelSpec`]s by the grid or by seeded
//! draws. No wasm here.

use std::collections::BTreeMap;

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{below, shuffle, unit, SearchError};
use crate::train::{ModelSpec, Task, MODEL_NAMES};

/// The values one parameter may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Domain {
    /// One of these values (numbers, names, or null for "none").
    Choice(Vec<Value>),
    /// A float drawn uniformly in [low, high].
    Range([f64; 2]),
    /// A float drawn uniformly in log scale in [low, high], low > 0.
    LogRange([f64; 2]),
    /// A whole number in [low, high].
    IntRange([i64; 2]),
}

/// One model and the space of its parameters; parameters not named keep
/// the model's defaults.
///
/// ```
/// use mlcycle::search::ModelSpace;
/// let s: ModelSpace = serde_json::from_str(r#"{"model":"knn","params":{"k":{"int_range":[1,15]}}}"#).unwrap();
/// assert_eq!(s.model, "knn");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpace {
    /// The model name, as in `--models`.
    pub model: String,
    /// Parameter name → its values.
    #[serde(default)]
    pub params: BTreeMap<String, Domain>,
}

fn space(model: &str, params: Value) -> ModelSpace {
    let params = serde_json::from_value(params).expect("default spaces are well formed");
    ModelSpace { model: model.to_string(), params }
}

/// The default space of a model, by name.
pub fn default_space(model: &str) -> Option<ModelSpace> {
    let p = match model {
        "logistic" => json!({"c": {"log_range": [0.01, 100.0]}}),
        "tree" => json!({"max_depth": {"choice": [3, 5, 8, 12, null]}, "min_samples_leaf": {"int_range": [1, 10]}}),
        "forest" => json!({"n_trees": {"choice": [50, 100]}, "max_depth": {"choice": [6, 12, null]}, "min_samples_leaf": {"int_range": [1, 5]}}),
        "knn" => json!({"k": {"int_range": [1, 30]}, "weights": {"choice": ["uniform", "distance"]}}),
        "gaussian_nb" | "linear" => json!({}),
        "svc" => json!({"kernel": {"choice": ["linear", "rbf"]}, "c": {"log_range": [0.1, 10.0]}}),
        "ridge" => json!({"alpha": {"log_range": [0.001, 100.0]}}),
        "lasso" => json!({"alpha": {"log_range": [0.001, 10.0]}}),
        "elastic_net" => json!({"alpha": {"log_range": [0.001, 10.0]}, "l1_ratio": {"range": [0.1, 0.9]}}),
        "extra_trees" => json!({"n_trees": {"choice": [50, 100]}, "max_depth": {"choice": [8, 16, null]}, "min_samples_leaf": {"int_range": [1, 5]}}),
        "svr" => json!({"kernel": {"choice": ["linear", "rbf"]}, "c": {"log_range": [1.0, 1000.0]}, "epsilon": {"log_range": [0.01, 1.0]}}),
        "gbt" => json!({"n_estimators": {"choice": [50, 100]}, "max_depth": {"int_range": [2, 5]}, "learning_rate": {"log_range": [0.03, 0.3]}, "subsample": {"choice": [0.8, 1.0]}}),
        _ => return None,
    };
    Some(space(model, p))
}

impl ModelSpace {
    fn base(&self) -> Result<(ModelSpec, serde_json::Map<String, Value>), SearchError> {
        let spec = ModelSpec::default_for(&self.model)
            .ok_or_else(|| SearchError::UnknownModel { name: self.model.clone(), known: MODEL_NAMES.join(", ") })?;
        let Value::Object(obj) = serde_json::to_value(&spec).expect("specs serialise") else {
            unreachable!("a spec is an object")
        };
        Ok((spec, obj))
    }

    /// The spec with `values` set over the model's defaults, validated.
    fn build(&self, values: &BTreeMap<String, Value>) -> Result<ModelSpec, SearchError> {
        let (_, mut obj) = self.base()?;
        for (k, v) in values {
            obj.insert(k.clone(), v.clone());
        }
        let bad = |param: &str, problem: String| SearchError::BadSpace { model: self.model.clone(), param: param.to_string(), problem };
        let spec: ModelSpec = serde_json::from_value(Value::Object(obj)).map_err(|e| {
            let param = values.keys().next().map_or("", |s| s.as_str());
            bad(param, format!("a value does not fit: {e}"))
        })?;
        spec.validate().map_err(|e| match e {
            crate::train::TrainError::InvalidParameter { name, .. } => bad(name, e.to_string()),
            other => bad("", other.to_string()),
        })?;
        Ok(spec)
    }

    /// Checks the space: a known model for `task`, known parameters, well
    /// formed domains whose values (every choice, both ends of a range)
    /// give valid specs.
    pub fn check(&self, task: Task) -> Result<(), SearchError> {
        let (spec, obj) = self.base()?;
        if !spec.supports(task) {
            return Err(SearchError::BadSpace {
                model: self.model.clone(),
                param: String::new(),
                problem: format!("the model does not do {}", task.as_str()),
            });
        }
        for (name, domain) in &self.params {
            let bad = |problem: String| SearchError::BadSpace { model: self.model.clone(), param: name.clone(), problem };
            if name == "kind" || !obj.contains_key(name) {
                let known: Vec<&str> = obj.keys().map(String::as_str).filter(|k| *k != "kind").collect();
                return Err(bad(format!(
                    "not a parameter of this model (its parameters: {})",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                )));
            }
            let ends: Vec<Value> = match domain {
                Domain::Choice(v) if v.is_empty() => return Err(bad("an empty choice".into())),
                Domain::Choice(v) => v.clone(),
                Domain::Range([lo, hi]) | Domain::LogRange([lo, hi]) => {
                    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                        return Err(bad(format!("range [{lo}, {hi}] must be finite with low ≤ high")));
                    }
                    if matches!(domain, Domain::LogRange(_)) && *lo <= 0.0 {
                        return Err(bad(format!("log_range [{lo}, {hi}] must be above 0")));
                    }
                    vec![json!(lo), json!(hi)]
                }
                Domain::IntRange([lo, hi]) => {
                    if lo > hi {
                        return Err(bad(format!("int_range [{lo}, {hi}] must have low ≤ high")));
                    }
                    vec![json!(lo), json!(hi)]
                }
            };
            for v in ends {
                self.build(&BTreeMap::from([(name.clone(), v)]))?;
            }
        }
        Ok(())
    }

    fn grid_values(&self, points: usize) -> Vec<(String, Vec<Value>)> {
        self.params
            .iter()
            .map(|(name, d)| {
                let vals: Vec<Value> = match d {
                    Domain::Choice(v) => v.clone(),
                    Domain::Range([lo, hi]) => {
                        (0..points).map(|i| json!(lo + (hi - lo) * i as f64 / (points - 1) as f64)).collect()
                    }
                    Domain::LogRange([lo, hi]) => (0..points)
                        .map(|i| json!(libm::exp(libm::log(*lo) + (libm::log(*hi) - libm::log(*lo)) * i as f64 / (points - 1) as f64)))
                        .collect(),
                    Domain::IntRange([lo, hi]) => {
                        let mut v: Vec<i64> = (0..points)
                            .map(|i| lo + (((hi - lo) as f64) * i as f64 / (points - 1) as f64).round() as i64)
                            .collect();
                        v.dedup();
                        v.into_iter().map(|x| json!(x)).collect()
                    }
                };
                let mut unique: Vec<Value> = Vec::new();
                for v in vals {
                    if !unique.contains(&v) {
                        unique.push(v);
                    }
                }
                (name.clone(), unique)
            })
            .collect()
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> BTreeMap<String, Value> {
        self.params
            .iter()
            .map(|(name, d)| {
                let v = match d {
                    Domain::Choice(v) => v[below(rng, v.len() as u64) as usize].clone(),
                    Domain::Range([lo, hi]) => json!(lo + (hi - lo) * unit(rng)),
                    Domain::LogRange([lo, hi]) => {
                        json!(libm::exp(libm::log(*lo) + (libm::log(*hi) - libm::log(*lo)) * unit(rng)).clamp(*lo, *hi))
                    }
                    Domain::IntRange([lo, hi]) => json!(lo + below(rng, (hi - lo) as u64 + 1) as i64),
                };
                (name.clone(), v)
            })
            .collect()
    }
}

/// Every combination of every space, in order; a seeded sample of `budget`
/// of them (kept in order) when there are more.
pub(super) fn grid(spaces: &[ModelSpace], points: usize, budget: usize, seed: u64) -> Result<Vec<ModelSpec>, SearchError> {
    let mut all = Vec::new();
    for s in spaces {
        let axes = s.grid_values(points);
        let total: usize = axes.iter().map(|(_, v)| v.len()).product();
        if all.len() + total > 1_000_000 {
            return Err(SearchError::InvalidSetting {
                name: "grid_points",
                value: points.to_string(),
                allowed: "a grid of at most 1000000 combinations".into(),
            });
        }
        for mut i in 0..total {
            let mut values = BTreeMap::new();
            for (name, vals) in axes.iter().rev() {
                values.insert(name.clone(), vals[i % vals.len()].clone());
                i /= vals.len();
            }
            all.push(s.build(&values)?);
        }
    }
    if all.len() <= budget {
        return Ok(all);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(2);
    let mut idx: Vec<usize> = (0..all.len()).collect();
    shuffle(&mut idx, &mut rng);
    idx.truncate(budget);
    idx.sort_unstable();
    Ok(idx.into_iter().map(|i| all[i].clone()).collect())
}

/// `budget` seeded draws, the models taken in turn; a model without
/// parameters is tried once. Draw `i` uses its own stream of the seed, so
/// it does not depend on the others.
pub(super) fn random(spaces: &[ModelSpace], budget: usize, seed: u64) -> Result<Vec<ModelSpec>, SearchError> {
    let mut out = Vec::new();
    let mut used = vec![0usize; spaces.len()];
    let mut turn = 0usize;
    while out.len() < budget {
        let open: Vec<usize> = (0..spaces.len()).filter(|&m| !spaces[m].params.is_empty() || used[m] == 0).collect();
        if open.is_empty() {
            break;
        }
        let m = (turn..turn + spaces.len()).map(|t| t % spaces.len()).find(|m| open.contains(m)).expect("an open model");
        turn = m + 1;
        used[m] += 1;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(10_000 + out.len() as u64);
        out.push(spaces[m].build(&spaces[m].draw(&mut rng))?);
    }
    Ok(out)
}
