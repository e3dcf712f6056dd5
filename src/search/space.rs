//! Search spaces given as JSON (the command's `--config`, the page's
//! editor): for each model, lists of values per hyperparameter, expanded
//! into a grid of [`ModelSpec`]s. Strict: an unknown model, parameter or
//! field, a value of the wrong type or out of range is an error naming the
//! field, e.g. `spaces[1].c[2]`. No wasm here.
//!
//! ```
//! use mlcycle::search::grid_from_spaces;
//! use mlcycle::train::Task;
//! let spaces = serde_json::json!([{"model": "svc", "c": [0.1, 1, 10], "kernel": ["rbf"]}]);
//! let grid = grid_from_spaces(&spaces, Task::Classification).unwrap();
//! assert_eq!(grid.len(), 3);
//! let err = grid_from_spaces(&serde_json::json!([{"model": "svc", "c": [0]}]), Task::Classification).unwrap_err();
//! assert!(err.to_string().contains("spaces[0].c[0]"), "{err}");
//! ```

use serde_json::{Map, Value};

use super::{canonical_name, default_space, SearchError, MAX_TRIALS, MODEL_NAMES};
use crate::train::{ModelSpec, Task};

fn bad(field: impl Into<String>, message: impl Into<String>) -> SearchError {
    SearchError::BadConfig { field: field.into(), message: message.into() }
}

/// Expands `spaces` (a JSON array of `{"model": NAME, PARAM: [VALUES], …}`)
/// into the grid of candidates, model by model in order; within a model the
/// cartesian product of the lists (parameters in name order), the others
/// at the model's first default grid point. Every candidate is validated.
pub fn grid_from_spaces(spaces: &Value, task: Task) -> Result<Vec<ModelSpec>, SearchError> {
    let list = spaces.as_array().ok_or_else(|| bad("spaces", "expected a list of {\"model\": NAME, PARAMETER: [VALUES], …}"))?;
    if list.is_empty() {
        return Err(bad("spaces", "the list is empty; name at least one model"));
    }
    let mut grid = Vec::new();
    for (i, space) in list.iter().enumerate() {
        let at = format!("spaces[{i}]");
        let obj = space.as_object().ok_or_else(|| bad(&at, "expected an object such as {\"model\": \"knn\", \"k\": [3, 5]}"))?;
        let name = obj
            .get("model")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("{at}.model"), format!("missing or not a string; one of {}", MODEL_NAMES.join(", "))))?;
        let canonical = canonical_name(name).ok_or_else(|| bad(format!("{at}.model"), format!("unknown model \"{name}\"; known models: {}", MODEL_NAMES.join(", "))))?;
        let base = default_space(canonical).and_then(|s| s.into_iter().next()).ok_or_else(|| bad(format!("{at}.model"), "no default"))?;
        if !base.supports(task) {
            return Err(bad(format!("{at}.model"), format!("{canonical} cannot be used for {}; the models for it are {}", task.as_str(), super::models_for(task.as_str()))));
        }
        let Value::Object(base_obj) = serde_json::to_value(&base).map_err(|e| bad(&at, e.to_string()))? else {
            return Err(bad(&at, "internal: a model spec is not an object"));
        };
        let known: Vec<&str> = base_obj.keys().map(String::as_str).filter(|k| *k != "kind").collect();
        let mut points: Vec<Map<String, Value>> = vec![base_obj.clone()];
        for (param, values) in obj.iter().filter(|(k, _)| k.as_str() != "model") {
            let field = format!("{at}.{param}");
            if !base_obj.contains_key(param) || param == "kind" {
                let allowed = if known.is_empty() { "it has no hyperparameters".to_string() } else { format!("its hyperparameters are {}", known.join(", ")) };
                return Err(bad(field, format!("{canonical} has no parameter \"{param}\"; {allowed}")));
            }
            let values = values.as_array().ok_or_else(|| bad(&field, "expected a list of values, e.g. [1, 10]"))?;
            if values.is_empty() {
                return Err(bad(&field, "the list is empty"));
            }
            let mut next = Vec::with_capacity(points.len() * values.len());
            for p in &points {
                for v in values {
                    let mut q = p.clone();
                    q.insert(param.clone(), v.clone());
                    next.push(q);
                }
            }
            if next.len() > MAX_TRIALS {
                return Err(bad(&at, format!("the grid has {} points or more, over the limit of {MAX_TRIALS}", next.len())));
            }
            points = next;
        }
        for p in points {
            let spec: ModelSpec = serde_json::from_value(Value::Object(p.clone())).map_err(|e| {
                // Find which parameter's value is of the wrong type.
                let culprit = first_bad_value(obj, &base_obj, &p);
                bad(culprit.map_or_else(|| at.clone(), |(k, j)| format!("{at}.{k}[{j}]")), in_words(&e.to_string()))
            })?;
            if let Err(e) = spec.validate() {
                let field = match &e {
                    crate::train::TrainError::InvalidParameter { name, .. } => first_value_of(obj, name, &p).map_or_else(|| format!("{at}.{name}"), |j| format!("{at}.{name}[{j}]")),
                    _ => at.clone(),
                };
                return Err(bad(field, e.to_string()));
            }
            grid.push(spec);
        }
    }
    if grid.len() > MAX_TRIALS {
        return Err(bad("spaces", format!("the grid has {} points, over the limit of {MAX_TRIALS}", grid.len())));
    }
    Ok(grid)
}

/// serde's Rust type names in words: "expected u16" is "expected a
/// whole number from 0 to 65535".
pub(crate) fn in_words(message: &str) -> String {
    [
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ]
    .iter()
    .fold(message.to_string(), |m, (rust, words)| m.replace(rust, words))
}

/// Which listed value of `name` the point `p` took.
fn first_value_of(obj: &Map<String, Value>, name: &str, p: &Map<String, Value>) -> Option<usize> {
    obj.get(name)?.as_array()?.iter().position(|v| Some(v) == p.get(name))
}

/// The first listed value in `p` that fails to parse on its own (set on
/// the model's default point `base`), as (parameter, position in its list).
fn first_bad_value(obj: &Map<String, Value>, base: &Map<String, Value>, p: &Map<String, Value>) -> Option<(String, usize)> {
    obj.keys().filter(|k| k.as_str() != "model").find_map(|k| {
        let mut alone = base.clone();
        alone.insert(k.clone(), p.get(k)?.clone());
        serde_json::from_value::<ModelSpec>(Value::Object(alone)).is_err().then(|| first_value_of(obj, k, p).map(|j| (k.clone(), j)))?
    })
}

/// The default search spaces of `models` as the JSON that
/// [`grid_from_spaces`] reads, for an editor to start from: one entry per
/// model when its default grid is a full product of per-parameter lists,
/// else one entry per grid point. Unknown names are skipped.
///
/// ```
/// use mlcycle::search::{default_space, grid_from_spaces, spaces_json};
/// use mlcycle::train::Task;
/// let spaces = spaces_json(&["knn".to_string()]);
/// let grid = grid_from_spaces(&spaces, Task::Classification).unwrap();
/// assert_eq!(grid.len(), default_space("knn").unwrap().len());
/// ```
pub fn spaces_json(models: &[String]) -> Value {
    let mut out = Vec::new();
    for name in models {
        let Some(canonical) = canonical_name(name) else { continue };
        let Some(space) = default_space(canonical) else { continue };
        let points: Vec<Map<String, Value>> = space
            .iter()
            .filter_map(|s| match serde_json::to_value(s) {
                Ok(Value::Object(mut m)) => {
                    m.remove("kind");
                    Some(m)
                }
                _ => None,
            })
            .collect();
        // Distinct values per parameter, in order of appearance.
        let mut lists: Map<String, Value> = Map::new();
        for p in &points {
            for (k, v) in p {
                let entry = lists.entry(k.clone()).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = entry {
                    if !a.contains(v) {
                        a.push(v.clone());
                    }
                }
            }
        }
        let product: usize = lists.values().map(|v| v.as_array().map_or(1, Vec::len)).product();
        if product == points.len() {
            let mut entry = Map::new();
            entry.insert("model".into(), Value::String(canonical.to_string()));
            entry.extend(lists.into_iter().filter(|(_, v)| v.as_array().is_some_and(|a| a.len() > 1)));
            out.push(Value::Object(entry));
        } else {
            for p in points {
                let mut entry = Map::new();
                entry.insert("model".into(), Value::String(canonical.to_string()));
                entry.extend(p.into_iter().map(|(k, v)| (k, Value::Array(vec![v]))));
                out.push(Value::Object(entry));
            }
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod spaces_json_tests {
    use super::*;

    /// A value of the wrong type is named in words, not as a Rust type.
    #[test]
    fn wrong_types_are_said_in_words() {
        let err = grid_from_spaces(&serde_json::json!([{"model": "random_forest", "n_trees": [-1]}]), Task::Classification).unwrap_err();
        assert_eq!(err.to_string(), "search configuration, spaces[0].n_trees[0]: invalid value: integer `-1`, expected a whole number from 0 to 65535");
    }

    /// Every model's default space survives the trip through the editor's
    /// JSON: the same candidates come back.
    #[test]
    fn default_spaces_round_trip() {
        for name in MODEL_NAMES {
            let spec = default_space(name).unwrap();
            let task = if spec[0].supports(Task::Classification) { Task::Classification } else { Task::Regression };
            let grid = grid_from_spaces(&spaces_json(&[name.to_string()]), task).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut a: Vec<String> = grid.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
            let mut b: Vec<String> = spec.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
            a.sort();
            b.sort();
            assert_eq!(a, b, "{name}");
        }
    }
}
