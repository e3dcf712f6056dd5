//! One run through the stages, and its replay.
//!
//! Takes a [`Dataset`] and [`RunOptions`]; infers the task, encodes the
//! target through a label table, splits with the seed, fits the recipe on
//! the training rows, fits the model, scores the test rows, and gives a
//! [`RunOutcome`] that becomes a [`RunManifest`]. [`replay`] runs a
//! manifest's options again on data and says exactly what differs.
//! No wasm here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::{format_number, train_test_split, ColumnValues, Dataset};
use crate::evaluate::{classification_metrics, regression_metrics, Metric};
use crate::manifest::{
    ConfigRecord, DatasetRecord, ResultRecord, RunManifest, SplitRecord, TaskSource, ToolRecord, SCHEMA,
};
use crate::prepare::{Recipe, StepSpec};
use crate::train::{estimate_seconds, fit, ModelSpec, Target, Task, TrainError, MAX_CLASSES};
use crate::Result;

/// Numeric targets with at most this many distinct whole values are
/// treated as classes.
pub const MAX_INTEGER_CLASSES: usize = 20;

/// Default seed when none is given.
pub const DEFAULT_SEED: u64 = 42;
/// Default limit on a job's estimated duration, in seconds.
pub const DEFAULT_MAX_SECONDS: f64 = 600.0;

/// Default share of rows held out.
pub const DEFAULT_TEST_FRACTION: f64 = 0.25;

/// Errors from replaying a manifest.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ReplayError {
    /// The data is not the data the manifest was made from.
    #[error("this is not the data the run was made from: the manifest expects \"{expected_file}\" with SHA-256 {expected}, but \"{found_file}\" has SHA-256 {found}")]
    DataMismatch {
        /// File named in the manifest.
        expected_file: String,
        /// Digest in the manifest.
        expected: String,
        /// File given.
        found_file: String,
        /// Digest of the file given.
        found: String,
    },
    /// Same bytes, different parse: another mlcycle version reads it differently.
    #[error("the data's bytes match but it parses to a different schema ({detail}); the manifest was made by mlcycle {version}")]
    SchemaMismatch {
        /// What differs.
        detail: String,
        /// Version that made the manifest.
        version: String,
    },
}

impl ReplayError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ReplayError::DataMismatch { .. } => "data_mismatch",
            ReplayError::SchemaMismatch { .. } => "schema_mismatch",
        }
    }
}

/// Options for a run, as the page and the command give them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunOptions {
    /// Target column name.
    pub target: String,
    /// Task; inferred from the target when absent.
    #[serde(default)]
    pub task: Option<Task>,
    /// Seed of every random step; [`DEFAULT_SEED`] when absent.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Share of rows held out; [`DEFAULT_TEST_FRACTION`] when absent.
    #[serde(default)]
    pub test_fraction: Option<f64>,
    /// Trees in the forest; 100 when absent.
    #[serde(default)]
    pub n_trees: Option<u16>,
    /// Depth limit of each tree; none when absent.
    #[serde(default)]
    pub max_depth: Option<u16>,
    /// Refuse the job when its estimated duration is longer than this many
    /// seconds; [`DEFAULT_MAX_SECONDS`] when absent. Not recorded: it
    /// decides whether a run happens, not what it computes.
    #[serde(default)]
    pub max_seconds: Option<f64>,
    /// The user's preparation steps (e.g. alerts' fixes), in order; none
    /// gives the default recipe. Recorded through the fitted recipe.
    #[serde(default)]
    pub recipe: Vec<StepSpec>,
}

impl RunOptions {
    /// Options with only a target; everything else default.
    pub fn new(target: &str) -> RunOptions {
        RunOptions {
            target: target.to_string(),
            task: None,
            seed: None,
            test_fraction: None,
            n_trees: None,
            max_depth: None,
            max_seconds: None,
            recipe: Vec::new(),
        }
    }

    fn model(&self) -> ModelSpec {
        let ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split } = ModelSpec::default();
        ModelSpec::RandomForest {
            n_trees: self.n_trees.unwrap_or(n_trees),
            max_depth: self.max_depth.or(max_depth),
            min_samples_leaf,
            min_samples_split,
        }
    }
}

/// Classification for a text target or a whole-number target with few
/// distinct values; regression otherwise.
pub fn infer_task(ds: &Dataset, target: &str) -> Result<Task> {
    let col = ds.column(target)?;
    Ok(match &col.values {
        ColumnValues::Categorical { .. } => Task::Classification,
        ColumnValues::Numeric(v) => {
            let mut distinct: Vec<u64> = Vec::new();
            for x in v.iter().flatten() {
                if x.fract() != 0.0 {
                    return Ok(Task::Regression);
                }
                let key = x.to_bits();
                if !distinct.contains(&key) {
                    distinct.push(key);
                    if distinct.len() > MAX_INTEGER_CLASSES {
                        return Ok(Task::Regression);
                    }
                }
            }
            Task::Classification
        }
    })
}

/// Everything a run produced, before durations are known.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// The data record.
    pub dataset: DatasetRecord,
    /// The options as used.
    pub config: ConfigRecord,
    /// The split.
    pub split: SplitRecord,
    /// The fitted recipe.
    pub recipe: Recipe,
    /// Labels, features and metrics.
    pub result: ResultRecord,
}

impl RunOutcome {
    /// The manifest of this run, with the caller's stage durations.
    pub fn manifest(&self, durations_ms: BTreeMap<String, f64>) -> RunManifest {
        RunManifest {
            schema: SCHEMA.to_string(),
            tool: ToolRecord::current(),
            dataset: self.dataset.clone(),
            config: self.config.clone(),
            split: self.split.clone(),
            recipe: self.recipe.clone(),
            result: self.result.clone(),
            durations_ms: durations_ms.into_iter().filter(|(_, v)| v.is_finite() && *v >= 0.0).collect(),
        }
    }
}

/// Runs `opts` on `ds`: the whole pipeline from split to metrics.
///
/// ```
/// use mlcycle::data::{parse_csv, ParseOptions};
/// use mlcycle::run::{run, RunOptions};
/// let csv: String = std::iter::once("x,y\n".to_string())
///     .chain((0..40).map(|i| format!("{i},{}\n", if i < 20 { "a" } else { "b" })))
///     .collect();
/// let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
/// let out = run(&ds, &RunOptions { n_trees: Some(10), ..RunOptions::new("y") }).unwrap();
/// assert_eq!(out.result.metrics[0].name, "accuracy");
/// ```
pub fn run(ds: &Dataset, opts: &RunOptions) -> Result<RunOutcome> {
    let model = opts.model();
    model.validate()?;
    let seed = opts.seed.unwrap_or(DEFAULT_SEED);
    let test_fraction = opts.test_fraction.unwrap_or(DEFAULT_TEST_FRACTION);
    let target_index = ds.column_index(&opts.target)?;
    let target_col = &ds.columns[target_index];
    let (task, task_source) = match opts.task {
        Some(t) => (t, TaskSource::User),
        None => (infer_task(ds, &opts.target)?, TaskSource::Inferred),
    };
    let rows: Vec<usize> = (0..ds.n_rows).filter(|&r| !target_col.is_missing(r)).collect();
    if rows.is_empty() {
        return Err(TrainError::EmptyTarget { target: opts.target.clone() }.into());
    }
    let dropped_missing_target = ds.n_rows - rows.len();

    // Encode the target: classes through a sorted label table, never a cast.
    let (target, classes): (Target, Option<Vec<String>>) = match task {
        Task::Classification => {
            let (labels, codes) = label_table(&target_col.values, &rows);
            if labels.len() < 2 {
                return Err(TrainError::OneClass { target: opts.target.clone(), class: labels[0].clone() }.into());
            }
            if labels.len() > MAX_CLASSES {
                return Err(TrainError::TooManyClasses { target: opts.target.clone(), classes: labels.len(), limit: MAX_CLASSES }.into());
            }
            (Target::Classes(codes), Some(labels))
        }
        Task::Regression => match &target_col.values {
            ColumnValues::Numeric(v) => (Target::Values(rows.iter().map(|&r| v[r].unwrap_or_default()).collect()), None),
            ColumnValues::Categorical { .. } => {
                return Err(TrainError::TextTargetForRegression { target: opts.target.clone() }.into())
            }
        },
    };

    // Split positions within `rows`, then map back to dataset rows.
    let positions: Vec<usize> = (0..rows.len()).collect();
    let strata = match &target {
        Target::Classes(c) => Some(c.as_slice()),
        Target::Values(_) => None,
    };
    let split = train_test_split(&positions, strata, test_fraction, seed)?;
    let train_rows: Vec<usize> = split.train.iter().map(|&p| rows[p]).collect();
    let test_rows: Vec<usize> = split.test.iter().map(|&p| rows[p]).collect();

    let features: Vec<usize> = (0..ds.columns.len()).filter(|&i| i != target_index).collect();
    let recipe = Recipe::fit_with(ds, &features, &train_rows, &opts.recipe)?;
    // A drop-duplicate-rows step trains on the first of identical rows only.
    let kept = recipe.training_rows(ds, &train_rows);
    let fit_rows: Vec<usize> = kept.iter().map(|&k| train_rows[k]).collect();
    let fit_positions: Vec<usize> = kept.iter().map(|&k| split.train[k]).collect();
    let x_train = recipe.apply(ds, &fit_rows)?;
    let x_test = recipe.apply(ds, &test_rows)?;

    let pick = |t: &Target, idx: &[usize]| match t {
        Target::Classes(c) => Target::Classes(idx.iter().map(|&p| c[p]).collect()),
        Target::Values(v) => Target::Values(idx.iter().map(|&p| v[p]).collect()),
    };
    let y_train = pick(&target, &fit_positions);
    let y_test = pick(&target, &split.test);
    if let (Target::Classes(c), Some(labels)) = (&y_train, &classes) {
        let first = c[0];
        if c.iter().all(|&x| x == first) {
            return Err(TrainError::OneClass { target: opts.target.clone(), class: labels[first as usize].clone() }.into());
        }
    }

    let limit = opts.max_seconds.unwrap_or(DEFAULT_MAX_SECONDS);
    let (seconds, detail) = estimate_seconds(&model, x_train.nrows(), x_train.ncols());
    if seconds > limit || limit.is_nan() {
        return Err(TrainError::OverBudget { seconds, limit, detail }.into());
    }
    let trained = fit(&model, &x_train, &y_train, seed)?;
    let predicted = trained.predict(&x_test)?;
    let metrics: Vec<Metric> = match (&y_test, &predicted) {
        (Target::Classes(t), Target::Classes(p)) => classification_metrics(t, p),
        (Target::Values(t), Target::Values(p)) => regression_metrics(t, p),
        _ => unreachable!("the model predicts the kind of target it was fitted on"),
    };

    Ok(RunOutcome {
        dataset: DatasetRecord {
            file_name: ds.file_name.clone(),
            sha256: ds.sha256.clone(),
            rows: ds.n_rows,
            columns: ds.schema(),
        },
        config: ConfigRecord { target: opts.target.clone(), task, task_source, seed, test_fraction, model },
        split: SplitRecord {
            stratified: task == Task::Classification,
            dropped_missing_target,
            train_rows: train_rows.len(),
            test_rows: test_rows.len(),
        },
        result: ResultRecord { classes, features: recipe.feature_names(), metrics },
        recipe,
    })
}

/// Sorted distinct labels of `rows` (numerically for numbers) and each
/// row's code into that table.
fn label_table(values: &ColumnValues, rows: &[usize]) -> (Vec<String>, Vec<u32>) {
    match values {
        ColumnValues::Numeric(v) => {
            let mut distinct: Vec<f64> = rows.iter().filter_map(|&r| v[r]).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let codes = rows
                .iter()
                .map(|&r| distinct.binary_search_by(|d| d.total_cmp(&v[r].unwrap_or_default())).unwrap_or(0) as u32)
                .collect();
            (distinct.into_iter().map(format_number).collect(), codes)
        }
        ColumnValues::Categorical { levels, codes } => {
            let mut used: Vec<u32> = rows.iter().filter_map(|&r| codes[r]).collect();
            used.sort_unstable();
            used.dedup();
            let mut labels: Vec<(String, u32)> = used.iter().map(|&c| (levels[c as usize].clone(), c)).collect();
            labels.sort();
            let mut remap = vec![0u32; levels.len()];
            for (i, (_, c)) in labels.iter().enumerate() {
                remap[*c as usize] = i as u32;
            }
            let row_codes = rows.iter().map(|&r| codes[r].map_or(0, |c| remap[c as usize])).collect();
            (labels.into_iter().map(|(l, _)| l).collect(), row_codes)
        }
    }
}

/// The first way `ds` differs from the recorded schema, in words.
fn schema_difference(ds: &Dataset, recorded: &crate::manifest::DatasetRecord) -> String {
    let now = ds.schema();
    if let Some((a, b)) = now.iter().zip(&recorded.columns).find(|(a, b)| a != b) {
        return format!("column \"{}\" is {} now, \"{}\" {} recorded", a.name, a.kind.as_str(), b.name, b.kind.as_str());
    }
    format!("{} rows and {} columns now, {} rows and {} columns recorded", ds.n_rows, now.len(), recorded.rows, recorded.columns.len())
}

/// One thing that came out differently on replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Dotted path, e.g. `result.metrics.accuracy`.
    pub field: String,
    /// Value in the manifest, as text.
    pub expected: String,
    /// Value now, as text.
    pub found: String,
}

/// The verdict of a replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayReport {
    /// True when every recorded figure came out bit-identical.
    pub reproduced: bool,
    /// What differs, in pipeline order (first stage first).
    pub differences: Vec<Difference>,
    /// The metrics computed now.
    pub metrics: Vec<Metric>,
}

fn metric_text(v: Option<f64>) -> String {
    v.map_or_else(|| "undefined".to_string(), |x| format!("{x:?}"))
}

/// Replays `manifest` on `ds`: checks the data is the same, runs the
/// recorded options again and compares every recorded figure exactly.
pub fn replay(ds: &Dataset, manifest: &RunManifest) -> Result<ReplayReport> {
    if ds.sha256 != manifest.dataset.sha256 {
        return Err(ReplayError::DataMismatch {
            expected_file: manifest.dataset.file_name.clone(),
            expected: manifest.dataset.sha256.clone(),
            found_file: ds.file_name.clone(),
            found: ds.sha256.clone(),
        }
        .into());
    }
    if ds.schema() != manifest.dataset.columns || ds.n_rows != manifest.dataset.rows {
        return Err(ReplayError::SchemaMismatch {
            detail: schema_difference(ds, &manifest.dataset),
            version: manifest.tool.mlcycle.clone(),
        }
        .into());
    }
    let c = &manifest.config;
    let ModelSpec::RandomForest { n_trees, max_depth, .. } = c.model;
    let opts = RunOptions {
        target: c.target.clone(),
        task: Some(c.task),
        seed: Some(c.seed),
        test_fraction: Some(c.test_fraction),
        n_trees: Some(n_trees),
        max_depth,
        // A recorded run already ran once; replay does not second-guess it.
        max_seconds: Some(f64::INFINITY),
        recipe: manifest.recipe.spec(),
    };
    let mut out = run(ds, &opts)?;
    out.config.task_source = c.task_source;
    out.config.model = c.model.clone();
    // Re-run with the exact recorded model spec, in case it holds values the
    // options cannot express.
    if out.config != *c {
        return Err(ReplayError::SchemaMismatch { detail: "the recorded options cannot be expressed by this build".into(), version: manifest.tool.mlcycle.clone() }.into());
    }

    let mut differences = Vec::new();
    let mut diff = |field: &str, expected: String, found: String| {
        if expected != found {
            differences.push(Difference { field: field.to_string(), expected, found });
        }
    };
    let s = (&manifest.split, &out.split);
    diff("split.train_rows", s.0.train_rows.to_string(), s.1.train_rows.to_string());
    diff("split.test_rows", s.0.test_rows.to_string(), s.1.test_rows.to_string());
    diff("split.dropped_missing_target", s.0.dropped_missing_target.to_string(), s.1.dropped_missing_target.to_string());
    for (i, (a, b)) in manifest.recipe.steps.iter().zip(&out.recipe.steps).enumerate() {
        let (a, b) = (serde_json::to_string(a).unwrap_or_default(), serde_json::to_string(b).unwrap_or_default());
        diff(&format!("recipe.steps[{i}]"), a, b);
    }
    diff("recipe.steps.length", manifest.recipe.steps.len().to_string(), out.recipe.steps.len().to_string());
    diff("result.classes", format!("{:?}", manifest.result.classes), format!("{:?}", out.result.classes));
    diff("result.features", manifest.result.features.join(", "), out.result.features.join(", "));
    let recorded: BTreeMap<&str, Option<f64>> = manifest.result.metrics.iter().map(|m| (m.name.as_str(), m.value)).collect();
    let now: BTreeMap<&str, Option<f64>> = out.result.metrics.iter().map(|m| (m.name.as_str(), m.value)).collect();
    let names: Vec<&str> = manifest.result.metrics.iter().map(|m| m.name.as_str()).chain(out.result.metrics.iter().map(|m| m.name.as_str()).filter(|n| !recorded.contains_key(n))).collect();
    for name in names {
        let (a, b) = (recorded.get(name).copied().flatten(), now.get(name).copied().flatten());
        let same = match (recorded.get(name), now.get(name)) {
            (Some(x), Some(y)) => x.map(f64::to_bits) == y.map(f64::to_bits),
            _ => false,
        };
        if !same {
            let show = |present: bool, v: Option<f64>| if present { metric_text(v) } else { "absent".to_string() };
            differences.push(Difference {
                field: format!("result.metrics.{name}"),
                expected: show(recorded.contains_key(name), a),
                found: show(now.contains_key(name), b),
            });
        }
    }
    Ok(ReplayReport { reproduced: differences.is_empty(), differences, metrics: out.result.metrics })
}
