//! One run through the stages, and its replay.
//!
//! Takes a [`Dataset`] and [`RunOptions`]; infers the task, encodes the
//! target through a label table, splits with the seed, fits the recipe on
//! the training rows, fits the model, scores the test rows, and gives a
//! [`RunOutcome`] that becomes a [`RunManifest`]. [`replay`] runs a
//! manifest's options again on data and says exactly what differs.
//! No wasm here.

use std::collections::BTreeMap;

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::{format_number, train_test_split, ColumnValues, Dataset};
use crate::evaluate::{classification_metrics, probability_metrics, regression_metrics, Metric};
use crate::manifest::{
    ConfigRecord, DatasetRecord, ResultRecord, RunManifest, SplitRecord, TaskSource, ToolRecord, SCHEMA,
};
use crate::prepare::Recipe;
use crate::search::{SearchConfig, SearchRecord, SearchState};
use crate::train::{check_fit, estimate_seconds, fit, ModelSpec, Target, Task, TrainError, MAX_CLASSES};
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
    /// The one model to fit when there is no search; a forest when absent.
    #[serde(default)]
    pub model: Option<ModelSpec>,
    /// Trees in the default forest (when `model` is absent); 100 when absent.
    #[serde(default)]
    pub n_trees: Option<u16>,
    /// Depth limit of the default forest's trees; none when absent.
    #[serde(default)]
    pub max_depth: Option<u16>,
    /// A cross-validated search over models; when present the best
    /// candidate is refitted on the training rows and `model` is ignored.
    #[serde(default)]
    pub search: Option<SearchConfig>,
    /// Refuse the job when its estimated duration is longer than this many
    /// seconds; [`DEFAULT_MAX_SECONDS`] when absent. Not recorded: it
    /// decides whether a run happens, not what it computes.
    #[serde(default)]
    pub max_seconds: Option<f64>,
}

impl RunOptions {
    /// Options with only a target; everything else default.
    pub fn new(target: &str) -> RunOptions {
        RunOptions {
            target: target.to_string(),
            task: None,
            seed: None,
            test_fraction: None,
            model: None,
            n_trees: None,
            max_depth: None,
            search: None,
            max_seconds: None,
        }
    }

    /// The single model these options name.
    pub fn model(&self) -> ModelSpec {
        if let Some(m) = &self.model {
            return m.clone();
        }
        let ModelSpec::Forest { n_trees, max_depth, min_samples_leaf, min_samples_split } = ModelSpec::default() else {
            unreachable!("the default model is a forest")
        };
        ModelSpec::Forest {
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
    /// The options as used (the model is the one chosen).
    pub config: ConfigRecord,
    /// The split.
    pub split: SplitRecord,
    /// The fitted recipe.
    pub recipe: Recipe,
    /// Labels, features and metrics.
    pub result: ResultRecord,
    /// The search that chose the model, if there was one.
    pub search: Option<SearchRecord>,
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
            search: self.search.clone(),
            result: self.result.clone(),
            durations_ms: durations_ms.into_iter().filter(|(_, v)| v.is_finite() && *v >= 0.0).collect(),
        }
    }
}

/// A run up to the model: the data split, the recipe fitted and applied,
/// the target encoded. A search and the final fit both start from here.
#[derive(Debug, Clone)]
pub struct Prepared {
    dataset: DatasetRecord,
    target: String,
    task: Task,
    task_source: TaskSource,
    seed: u64,
    test_fraction: f64,
    split: SplitRecord,
    recipe: Recipe,
    classes: Option<Vec<String>>,
    /// The prepared training matrix.
    pub x_train: Array2<f64>,
    /// The training target.
    pub y_train: Target,
    x_test: Array2<f64>,
    y_test: Target,
    max_seconds: f64,
}

impl Prepared {
    /// Infers the task, encodes the target, splits with the seed and fits
    /// the recipe on the training rows.
    pub fn new(ds: &Dataset, opts: &RunOptions) -> Result<Prepared> {
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
        let recipe = Recipe::fit(ds, &features, &train_rows)?;
        let x_train = recipe.apply(ds, &train_rows)?;
        let x_test = recipe.apply(ds, &test_rows)?;
        let y_train = target.pick(&split.train);
        let y_test = target.pick(&split.test);
        if let (Target::Classes(c), Some(labels)) = (&y_train, &classes) {
            let first = c[0];
            if c.iter().all(|&x| x == first) {
                return Err(TrainError::OneClass { target: opts.target.clone(), class: labels[first as usize].clone() }.into());
            }
        }
        Ok(Prepared {
            dataset: DatasetRecord { file_name: ds.file_name.clone(), sha256: ds.sha256.clone(), rows: ds.n_rows, columns: ds.schema() },
            target: opts.target.clone(),
            task,
            task_source,
            seed,
            test_fraction,
            split: SplitRecord {
                stratified: task == Task::Classification,
                dropped_missing_target,
                train_rows: train_rows.len(),
                test_rows: test_rows.len(),
            },
            recipe,
            classes,
            x_train,
            y_train,
            x_test,
            y_test,
            max_seconds: opts.max_seconds.unwrap_or(DEFAULT_MAX_SECONDS),
        })
    }

    /// The task.
    pub fn task(&self) -> Task {
        self.task
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Dataset rows of the training split, in the order of the training
    /// matrix, and of the test split (for comparing with other tools).
    pub fn split_rows(&self, ds: &Dataset) -> Result<(Vec<usize>, Vec<usize>)> {
        let target_col = ds.column(&self.target)?;
        let rows: Vec<usize> = (0..ds.n_rows).filter(|&r| !target_col.is_missing(r)).collect();
        let positions: Vec<usize> = (0..rows.len()).collect();
        let codes;
        let strata = match self.task {
            Task::Classification => {
                codes = label_table(&target_col.values, &rows).1;
                Some(codes.as_slice())
            }
            Task::Regression => None,
        };
        let split = train_test_split(&positions, strata, self.test_fraction, self.seed)?;
        Ok((split.train.iter().map(|&p| rows[p]).collect(), split.test.iter().map(|&p| rows[p]).collect()))
    }

    /// The test matrix and target.
    pub fn test(&self) -> (&Array2<f64>, &Target) {
        (&self.x_test, &self.y_test)
    }

    /// Plans a search of `config` on the training rows, refusing it when
    /// its estimated duration is over the limit.
    pub fn search(&self, config: &SearchConfig) -> Result<SearchState> {
        let config = config.resolve(self.task)?;
        let state = SearchState::start(config, self.x_train.clone(), self.y_train.clone(), self.seed)?;
        let summary = state.summary();
        if summary.estimated_seconds > self.max_seconds || self.max_seconds.is_nan() {
            return Err(TrainError::OverBudget {
                seconds: summary.estimated_seconds,
                limit: self.max_seconds,
                detail: format!("{} trials × {} folds over {}", summary.trials, summary.folds, summary.models.join(", ")),
            }
            .into());
        }
        Ok(state)
    }

    /// Fits `model` on the whole training split and scores the test split;
    /// `search` is the record of the search that chose it, if any.
    pub fn finish(&self, model: &ModelSpec, search: Option<SearchRecord>) -> Result<RunOutcome> {
        let classes = self.y_train.classes();
        let (seconds, detail) = estimate_seconds(model, self.x_train.nrows(), self.x_train.ncols(), classes);
        if seconds > self.max_seconds || self.max_seconds.is_nan() {
            return Err(TrainError::OverBudget { seconds, limit: self.max_seconds, detail }.into());
        }
        check_fit(model, self.task, self.x_train.nrows(), classes)?;
        let trained = fit(model, &self.x_train, &self.y_train, self.seed)?;
        let (predicted, proba) = trained.predict_full(&self.x_test)?;
        let metrics: Vec<Metric> = match (&self.y_test, &predicted) {
            (Target::Classes(t), Target::Classes(p)) => {
                let mut m = classification_metrics(t, p);
                if let Some(proba) = &proba {
                    m.extend(probability_metrics(t, proba));
                }
                m
            }
            (Target::Values(t), Target::Values(p)) => regression_metrics(t, p),
            _ => unreachable!("the model predicts the kind of target it was fitted on"),
        };
        Ok(RunOutcome {
            dataset: self.dataset.clone(),
            config: ConfigRecord {
                target: self.target.clone(),
                task: self.task,
                task_source: self.task_source,
                seed: self.seed,
                test_fraction: self.test_fraction,
                model: model.clone(),
            },
            split: self.split.clone(),
            recipe: self.recipe.clone(),
            result: ResultRecord { classes: self.classes.clone(), features: self.recipe.feature_names(), metrics },
            search,
        })
    }
}

/// Runs `opts` on `ds`: the whole pipeline from split to metrics, with the
/// search (every trial in turn) when the options have one.
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
    if opts.search.is_none() {
        opts.model().validate()?;
    }
    let prepared = Prepared::new(ds, opts)?;
    match &opts.search {
        None => prepared.finish(&opts.model(), None),
        Some(config) => {
            let mut state = prepared.search(config)?;
            while state.step().is_some() {}
            finish_search(&prepared, &state)
        }
    }
}

/// Refits the search's chosen model on the training split and scores it.
pub fn finish_search(prepared: &Prepared, state: &SearchState) -> Result<RunOutcome> {
    let record = state.record_of()?;
    let best = record.trials.iter().find(|t| t.trial.index == record.best).expect("the best trial is recorded");
    let model = best.trial.model.clone();
    prepared.finish(&model, Some(record))
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
            detail: format!("{} rows and {} columns now, {} rows and {} columns recorded", ds.n_rows, ds.columns.len(), manifest.dataset.rows, manifest.dataset.columns.len()),
            version: manifest.tool.mlcycle.clone(),
        }
        .into());
    }
    let c = &manifest.config;
    let opts = RunOptions {
        target: c.target.clone(),
        task: Some(c.task),
        seed: Some(c.seed),
        test_fraction: Some(c.test_fraction),
        model: Some(c.model.clone()),
        n_trees: None,
        max_depth: None,
        search: None,
        // A recorded run already ran once; replay does not second-guess it.
        max_seconds: Some(f64::INFINITY),
    };
    let prepared = Prepared::new(ds, &opts)?;
    let mut differences = Vec::new();
    let mut out = match &manifest.search {
        None => prepared.finish(&c.model, None)?,
        Some(recorded) => {
            let state = replay_search(&prepared, recorded)?;
            let now = state.record_of()?;
            compare_search(recorded, &now, &mut differences);
            let best = now.trials.iter().find(|t| t.trial.index == now.best).expect("the best trial is recorded");
            let model = best.trial.model.clone();
            prepared.finish(&model, Some(now))?
        }
    };
    out.config.task_source = c.task_source;
    if out.config.model != c.model {
        differences.push(Difference {
            field: "config.model".into(),
            expected: serde_json::to_string(&c.model).unwrap_or_default(),
            found: serde_json::to_string(&out.config.model).unwrap_or_default(),
        });
    }
    out.config.model = c.model.clone();
    if out.config != *c {
        return Err(ReplayError::SchemaMismatch { detail: "the recorded options cannot be expressed by this build".into(), version: manifest.tool.mlcycle.clone() }.into());
    }

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

/// Runs a recorded search again: the same plan, only the trials the record
/// has (a search cut short ran only those), in plan order.
fn replay_search(prepared: &Prepared, recorded: &SearchRecord) -> Result<SearchState> {
    let mut state = SearchState::start(recorded.config.clone(), prepared.x_train.clone(), prepared.y_train.clone(), prepared.seed())?;
    let wanted: std::collections::BTreeSet<usize> = recorded.trials.iter().map(|t| t.trial.index).collect();
    loop {
        let todo: Vec<_> = state.pending().into_iter().filter(|t| wanted.contains(&t.index)).collect();
        if todo.is_empty() {
            break;
        }
        for t in todo {
            let r = state.data().run_trial(&t);
            state.record(r)?;
        }
    }
    if recorded.cut_short {
        state.cancel();
    }
    Ok(state)
}

fn opt_text(v: Option<f64>) -> String {
    v.map_or_else(|| "none".to_string(), |x| format!("{x:?}"))
}

/// Adds the first difference between two search records, field by field.
fn compare_search(recorded: &SearchRecord, now: &SearchRecord, out: &mut Vec<Difference>) {
    let mut push = |field: String, expected: String, found: String| {
        out.push(Difference { field, expected, found });
    };
    let n = recorded.trials.len().max(now.trials.len());
    for i in 0..n {
        let (a, b) = (recorded.trials.get(i), now.trials.get(i));
        let (a, b) = match (a, b) {
            (Some(a), Some(b)) => (a, b),
            (a, b) => {
                let show = |t: Option<&crate::search::TrialResult>| t.map_or("absent".to_string(), |t| format!("trial {}", t.trial.index));
                return push(format!("search.trials[{i}]"), show(a), show(b));
            }
        };
        let at = format!("search.trials[{i}]");
        if a.trial != b.trial {
            let j = |t: &crate::search::TrialSpec| serde_json::to_string(t).unwrap_or_default();
            return push(format!("{at}.trial"), j(&a.trial), j(&b.trial));
        }
        for (f, (x, y)) in a.fold_scores.iter().zip(&b.fold_scores).enumerate() {
            if x.map(f64::to_bits) != y.map(f64::to_bits) {
                return push(format!("{at}.fold_scores[{f}]"), opt_text(*x), opt_text(*y));
            }
        }
        if a.fold_scores.len() != b.fold_scores.len() {
            return push(format!("{at}.fold_scores.length"), a.fold_scores.len().to_string(), b.fold_scores.len().to_string());
        }
        if a.mean.map(f64::to_bits) != b.mean.map(f64::to_bits) || a.std.map(f64::to_bits) != b.std.map(f64::to_bits) {
            return push(format!("{at}.mean"), opt_text(a.mean), opt_text(b.mean));
        }
        if a.error != b.error {
            return push(format!("{at}.error"), format!("{:?}", a.error), format!("{:?}", b.error));
        }
    }
    if recorded.best != now.best {
        push("search.best".into(), recorded.best.to_string(), now.best.to_string());
    }
}
