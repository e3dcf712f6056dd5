//! One run through the stages, step by step, and its replay.
//!
//! Takes a [`Dataset`] and [`RunOptions`]; infers the task, encodes the
//! target through a label table, splits with the seed, searches models and
//! hyperparameters by cross-validation on the training rows (one trial per
//! [`Run::step`], so a worker can report progress and stop between steps),
//! refits the best on all training rows, scores the test rows, and gives a
//! [`RunOutcome`] that becomes a [`RunManifest`]. [`replay`] runs a
//! manifest's options again on data and says exactly what differs.
//! No wasm here.

use std::collections::BTreeMap;

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::{format_number, train_test_split, ColumnValues, Dataset, ParseOptions};
use crate::evaluate::{accuracy, classification_metrics, classification_metrics_with, log_loss, macro_f1, r2, regression_metrics, rmse, roc_auc, Metric};
use crate::manifest::{
    ConfigRecord, DatasetRecord, ResultRecord, RunManifest, SampleRecord, SearchConfig, SearchRecord, SplitRecord, TaskSource,
    ToolRecord, SCHEMA,
};
use crate::prepare::{Recipe, RecipeStep, StepSpec};
use crate::search::{self, RankMetric, SearchError, Strategy, Trial, TrialSpec, DEFAULT_FOLDS, MAX_TRIALS};
use crate::train::{check_classes, check_size, estimate_seconds, fit, ModelSpec, Probabilities, Target, Task, TrainError, MAX_CLASSES};
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
    #[error("this is not the data the run was made from: the manifest expects \"{expected_file}\" with SHA-256 {expected}, but \"{found_file}\" has SHA-256 {found}{note}")]
    DataMismatch {
        /// File named in the manifest.
        expected_file: String,
        /// Digest in the manifest.
        expected: String,
        /// File given.
        found_file: String,
        /// Digest of the file given.
        found: String,
        /// Said when the file given reads to the run's columns and rows
        /// (the run's file saved again, most likely), else empty.
        note: String,
    },
    /// Same bytes, different parse: another mlcycle version reads it differently.
    #[error("the data's bytes match but it parses to a different schema ({detail}); the manifest was made by mlcycle {version}")]
    SchemaMismatch {
        /// What differs.
        detail: String,
        /// Version that made the manifest.
        version: String,
    },
    /// Same bytes, read with other options (delimiter, missing tokens,
    /// column types, memory budget …) than the run's.
    #[error("the run read this file with other reading options ({differences}); read the file again with the run's options")]
    ParseOptionsDiffer {
        /// Each option that differs, in words: its name, the run's value
        /// and this data's.
        differences: String,
    },
}

/// The reading options that differ between the run's (`run`) and this
/// data's (`here`), in words: `missing tokens: the default in the run, "",
/// "none" here` (it was two JSON objects, `{}` and `{"missingTokens":…}`).
pub fn options_difference(run: &ParseOptions, here: &ParseOptions) -> String {
    let as_map = |o: &ParseOptions| serde_json::to_value(o).ok().and_then(|v| v.as_object().cloned()).unwrap_or_default();
    let (defaults, run, here) = (as_map(&ParseOptions::default()), as_map(run), as_map(here));
    let keys: std::collections::BTreeSet<&String> = run.keys().chain(here.keys()).collect();
    let show = |key: &str, v: Option<&serde_json::Value>| -> String {
        let v = v.or_else(|| defaults.get(key));
        if v == defaults.get(key) {
            return "the default".into();
        }
        option_words(v.unwrap_or(&serde_json::Value::Null))
    };
    keys.into_iter()
        .filter(|k| run.get(*k).or_else(|| defaults.get(*k)) != here.get(*k).or_else(|| defaults.get(*k)))
        .map(|k| {
            // camelCase to words: missingTokens -> missing tokens.
            let words: String = k.chars().flat_map(|c| if c.is_ascii_uppercase() { vec![' ', c.to_ascii_lowercase()] } else { vec![c] }).collect();
            format!("{words}: {} in the run, {} here", show(k, run.get(k)), show(k, here.get(k)))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A reading option's value in words.
fn option_words(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "automatic".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) if items.is_empty() => "none".into(),
        Value::Array(items) => items.iter().map(option_words).collect::<Vec<_>>().join(", "),
        Value::Object(m) if m.is_empty() => "none".into(),
        Value::Object(m) => m.iter().map(|(k, v)| format!("{k:?} as {}", option_words(v).trim_matches('"'))).collect::<Vec<_>>().join(", "),
    }
}

impl ReplayError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ReplayError::DataMismatch { .. } => "data_mismatch",
            ReplayError::SchemaMismatch { .. } => "schema_mismatch",
            ReplayError::ParseOptionsDiffer { .. } => "parse_options_differ",
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
    /// Search strategy; grid when absent. `none` fits one model: `model`,
    /// or a random forest with `n_trees` and `max_depth`.
    #[serde(default)]
    pub search: Option<Strategy>,
    /// Models to search (names as in [`search::MODEL_NAMES`]); every model
    /// that fits the task when absent.
    #[serde(default)]
    pub models: Option<Vec<String>>,
    /// Most trials to run; 500 when absent.
    #[serde(default)]
    pub trials: Option<usize>,
    /// Cross-validation folds; 3 when absent.
    #[serde(default)]
    pub folds: Option<usize>,
    /// Metric the search ranks by; accuracy or R² when absent.
    #[serde(default)]
    pub metric: Option<RankMetric>,
    /// The one model to fit when the search is `none`.
    #[serde(default)]
    pub model: Option<ModelSpec>,
    /// Trees of the single random forest when the search is `none`; 100 when absent.
    #[serde(default)]
    pub n_trees: Option<u16>,
    /// Depth limit of the single random forest when the search is `none`.
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
    /// Search spaces as JSON, `[{"model": NAME, PARAMETER: [VALUES], …}]`
    /// (see [`search::grid_from_spaces`]); instead of `models`.
    #[serde(default)]
    pub spaces: Option<serde_json::Value>,
    /// The candidates' grid itself (as a manifest records it); instead of
    /// `models` and `spaces`.
    #[serde(default)]
    pub grid: Option<Vec<ModelSpec>>,
    /// Stop the search once this many seconds have passed, as the caller
    /// reports them through [`Run::note_elapsed`].
    #[serde(default)]
    pub time_budget_seconds: Option<f64>,
}

impl RunOptions {
    /// Options with only a target; everything else default.
    pub fn new(target: &str) -> RunOptions {
        RunOptions {
            target: target.to_string(),
            task: None,
            seed: None,
            test_fraction: None,
            search: None,
            models: None,
            trials: None,
            folds: None,
            metric: None,
            model: None,
            n_trees: None,
            max_depth: None,
            max_seconds: None,
            recipe: Vec::new(),
            spaces: None,
            grid: None,
            time_budget_seconds: None,
        }
    }

    /// Options for one model, no search.
    pub fn single(target: &str, model: ModelSpec) -> RunOptions {
        RunOptions { search: Some(Strategy::None), model: Some(model), ..RunOptions::new(target) }
    }

    fn single_model(&self) -> Result<ModelSpec> {
        // (Models named twice, or by an alias, are one.)
        if let Some(m) = &self.model {
            return Ok(m.clone());
        }
        // `search none` with one model name: that model with scikit-learn's defaults.
        if let Some(models) = &self.models {
            let models = distinct_models(models);
            let [name] = models.as_slice() else {
                return Err(SearchError::OneModelWithoutSearch { given: models.len() }.into());
            };
            return search::single_default(name).ok_or_else(|| SearchError::UnknownModel { name: name.clone(), known: search::MODEL_NAMES.join(", ") }.into());
        }
        let ModelSpec::RandomForest { n_trees, max_depth, min_samples_leaf, min_samples_split } = ModelSpec::default() else {
            unreachable!("the default model is a random forest")
        };
        Ok(ModelSpec::RandomForest {
            n_trees: self.n_trees.unwrap_or(n_trees),
            max_depth: self.max_depth.or(max_depth),
            min_samples_leaf,
            min_samples_split,
        })
    }
}

/// Classification for a text target or a whole-number target with few
/// distinct values (at most [`MAX_INTEGER_CLASSES`], and rows enough that
/// more than half of them repeat a value: 0/1 on 4 rows is classes, 16
/// different counts on 16 rows are amounts); regression otherwise.
pub fn infer_task(ds: &Dataset, target: &str) -> Result<Task> {
    infer_task_with(ds, target, &[])
}

/// [`infer_task`] with the user's recipe `steps`: a `parse_numbers` step on
/// the target has its labels read as numbers first.
pub fn infer_task_with(ds: &Dataset, target: &str, steps: &[StepSpec]) -> Result<Task> {
    let index = ds.column_index(target)?;
    let (_, read) = read_target(ds, index, steps)?;
    Ok(infer_task_of(read.as_ref().unwrap_or(&ds.columns[index].values)))
}

/// Whether `step` reads the target `target`'s labels as numbers.
fn reads_target(step: &StepSpec, target: &str) -> bool {
    matches!(step, StepSpec::ParseNumbers { column } if column == target)
}

/// The target (column `index`) as `steps` have it read: a `parse_numbers`
/// step on it reads its labels as the numbers they write (a price column
/// "$1,200.50" to be predicted), giving the step as fitted and the
/// numbers; nothing otherwise (the column is used as read).
fn read_target(ds: &Dataset, index: usize, steps: &[StepSpec]) -> Result<(Option<RecipeStep>, Option<ColumnValues>)> {
    let col = &ds.columns[index];
    if !steps.iter().any(|s| reads_target(s, &col.name)) {
        return Ok((None, None));
    }
    let labelled: Vec<usize> = (0..ds.n_rows).filter(|&r| !col.is_missing(r)).collect();
    let Some((step, values)) = crate::prepare::read_target_numbers(ds, index, &labelled) else { return Ok((None, None)) };
    if let (true, Some(&first)) = (values.iter().all(|v| v.is_none()), labelled.first()) {
        let example: String = col.text(first).unwrap_or_default().chars().take(40).collect();
        return Err(TrainError::TargetNotNumbers { target: col.name.clone(), example }.into());
    }
    Ok((Some(step), Some(ColumnValues::Numeric(values))))
}

/// For a label target most of whose values are numbers (plain or written
/// with signs and separators): how to predict them, naming a value that is
/// no number and its row; `None` otherwise.
fn read_numbers_hint(ds: &Dataset, values: &ColumnValues, rows: &[usize], target: &str) -> Option<String> {
    let ColumnValues::Categorical { levels, codes } = values else { return None };
    let number: Vec<bool> = levels.iter().map(|l| crate::profile::alerts::disguised_number(l, ds.ingest.decimal_comma).is_some()).collect();
    let numbers = rows.iter().filter(|&&r| codes[r].get().is_some_and(|c| number[c as usize])).count();
    if numbers * 2 <= rows.len() {
        return None;
    }
    let other = rows.iter().find_map(|&r| codes[r].get().filter(|&c| !number[c as usize]).map(|c| (r, &levels[c as usize])));
    let others = match other {
        Some((r, l)) => format!(" (the others, such as {} in row {}, become missing and their rows are left out)", crate::report::quoted(l), r + 1),
        None => String::new(),
    };
    Some(format!("{numbers} of its {} values are numbers: to predict them, read them as numbers{others} (--step parse_numbers:{target}, or the \"Add step\" of the alert on \"{target}\" in the page)", rows.len()))
}

/// [`infer_task`] for a target's values.
fn infer_task_of(values: &ColumnValues) -> Task {
    match values {
        ColumnValues::Categorical { .. } => Task::Classification,
        ColumnValues::Numeric(v) => {
            let mut distinct: Vec<u64> = Vec::new();
            let mut present = 0usize;
            for x in v.iter().flatten() {
                if x.fract() != 0.0 {
                    return Task::Regression;
                }
                present += 1;
                let key = x.to_bits();
                if !distinct.contains(&key) {
                    distinct.push(key);
                    if distinct.len() > MAX_INTEGER_CLASSES {
                        return Task::Regression;
                    }
                }
            }
            // Whole numbers most of which are in one row each are amounts
            // on a small file (16 years' employment, 21 stack-loss runs),
            // not classes a model could learn.
            if distinct.len() > 2 && 2 * distinct.len() > present {
                return Task::Regression;
            }
            Task::Classification
        }
    }
}

/// What always predicting the training rows' most frequent class scores
/// on the test rows, beside how many classes the model predicted there: on
/// imbalanced data an accuracy of 0.995 can be the baseline's, or the
/// model may predict one class only. For regression, what always
/// predicting the training rows' mean scores (an R² near 0 says the model
/// learned nothing). Shown, not recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    /// The most frequent class of the training rows (ties: the first);
    /// empty for regression.
    pub class: String,
    /// Regression: the training rows' mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Accuracy and macro F1 of always predicting the class; RMSE and R²
    /// of always predicting the mean.
    pub metrics: Vec<Metric>,
    /// Classes the model predicted on the test rows.
    pub predicted_classes: usize,
    /// Classes present in the test rows.
    pub test_classes: usize,
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
    /// The search's leaderboard, when a search ran.
    pub search: Option<SearchRecord>,
    /// The fitted recipe.
    pub recipe: Recipe,
    /// Labels, features and metrics.
    pub result: ResultRecord,
    /// The majority-class baseline (classification).
    pub baseline: Option<Baseline>,
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
            search: self.search.clone(),
            recipe: self.recipe.clone(),
            result: self.result.clone(),
            durations_ms: durations_ms.into_iter().filter(|(_, v)| v.is_finite() && *v >= 0.0).collect(),
        }
    }
}

/// A run's split as matrices: what the final model is fitted and scored on.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Prepared training rows.
    pub x_train: ndarray::Array2<f64>,
    /// Their target.
    pub y_train: Target,
    /// Prepared test rows.
    pub x_test: ndarray::Array2<f64>,
    /// Their target.
    pub y_test: Target,
    /// Dataset rows held out, in order.
    pub test_rows: Vec<usize>,
}

/// Longest a candidate of the default search may take per fit, by
/// [`estimate_seconds`], for its model to join a search nobody named models
/// for (wide data makes logistic regression's solver slow: 30 × 10,000
/// features with 7 classes took 36 s per fit).
pub const QUICK_FIT_SECONDS: f64 = 10.0;

/// A model the default search left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOut {
    /// The model's name.
    pub model: String,
    /// Why, with the numbers.
    pub reason: String,
}

/// A run in progress: split made, search planned, trials run one per
/// [`Run::step`]. Holds no reference to the data; each call takes it.
#[derive(Debug, Clone)]
pub struct Run {
    dataset: DatasetRecord,
    target: String,
    task: Task,
    task_source: TaskSource,
    seed: u64,
    test_fraction: f64,
    features: Vec<usize>,
    /// `features` less those the recipe leaves out by its own rules on
    /// all the training rows: what every fold is prepared from.
    trial_features: Vec<usize>,
    recipe_steps: Vec<StepSpec>,
    /// How a label target was read as numbers (see [`ConfigRecord`]).
    target_reading: Option<RecipeStep>,
    classes: Option<Vec<String>>,
    train_rows: Vec<usize>,
    test_rows: Vec<usize>,
    y_train: Target,
    y_test: Target,
    split: SplitRecord,
    single: Option<ModelSpec>,
    search: Option<SearchConfig>,
    /// Models the default search left out on this data, with the reason.
    left_out: Vec<LeftOut>,
    folds: Vec<Vec<usize>>,
    /// The trials of the current rung (every trial but for halving).
    current: Vec<TrialSpec>,
    /// Successive halving's rungs: candidates kept and share of rows.
    rungs: Vec<(usize, f64)>,
    rung: usize,
    /// Finished trials, in index order.
    trials: Vec<Trial>,
    last: Option<usize>,
    cut_short: bool,
}

fn pick(t: &Target, idx: &[usize]) -> Target {
    match t {
        Target::Classes(c) => Target::Classes(idx.iter().map(|&p| c[p]).collect()),
        Target::Values(v) => Target::Values(idx.iter().map(|&p| v[p]).collect()),
    }
}

fn rows_of(p: &Probabilities) -> Vec<Vec<f64>> {
    p.rows().into_iter().map(|r| r.to_vec()).collect()
}

fn score(metric: RankMetric, truth: &Target, pred: &Target, proba: Option<&Probabilities>) -> Option<f64> {
    let v = match (truth, pred) {
        (Target::Classes(t), Target::Classes(p)) => match (metric, proba) {
            (RankMetric::MacroF1, _) => macro_f1(t, p),
            (RankMetric::LogLoss, Some(pr)) => log_loss(t, &rows_of(pr)),
            (RankMetric::RocAuc, Some(pr)) => roc_auc(t, &rows_of(pr)),
            (RankMetric::LogLoss | RankMetric::RocAuc, None) => f64::NAN,
            _ => accuracy(t, p),
        },
        (Target::Values(t), Target::Values(p)) => match metric {
            RankMetric::Rmse => rmse(t, p),
            _ => r2(t, p),
        },
        _ => f64::NAN,
    };
    v.is_finite().then_some(v)
}

impl Run {
    /// Checks the options, encodes the target, splits the rows, plans the
    /// search and checks its estimated duration against the budget.
    pub fn start(ds: &Dataset, opts: &RunOptions) -> Result<Run> {
        Run::start_with(ds, opts, false)
    }

    /// [`Run::start`]; with `quick_only`, named models' candidates are left
    /// out when slow too, as a default search does (the replay of a
    /// manifest that did not record the grid such a search left).
    fn start_with(ds: &Dataset, opts: &RunOptions, quick_only: bool) -> Result<Run> {
        let seed = opts.seed.unwrap_or(DEFAULT_SEED);
        let test_fraction = opts.test_fraction.unwrap_or(DEFAULT_TEST_FRACTION);
        let target_index = ds.column_index(&opts.target)?;
        let target_col = &ds.columns[target_index];
        let (target_reading, read_values) = read_target(ds, target_index, &opts.recipe)?;
        let feature_steps: Vec<StepSpec> = opts.recipe.iter().filter(|s| !reads_target(s, &opts.target)).cloned().collect();
        // A step on the target is refused before the target is judged: a
        // cast on a target of labels said only that the target was text.
        if let Some(s) = feature_steps.iter().find(|s| s.column() == Some(opts.target.as_str())) {
            let why = match s {
                StepSpec::Cast { .. } => "it is the target, which a cast does not change; to predict the numbers its labels write, read them with a parse_numbers step on it instead",
                _ => "it is the target; remove the step, or choose another target",
            };
            return Err(crate::prepare::PrepareError::NotAFeature { column: opts.target.clone(), why }.into());
        }
        let target_values = read_values.as_ref().unwrap_or(&target_col.values);
        let (task, task_source) = match opts.task {
            Some(t) => (t, TaskSource::User),
            None => (infer_task_of(target_values), TaskSource::Inferred),
        };
        let strategy = opts.search.unwrap_or(Strategy::Grid);
        let single = if strategy == Strategy::None { Some(opts.single_model()?) } else { None };
        if let Some(m) = &single {
            m.validate()?;
            if !m.supports(task) {
                return Err(TrainError::WrongTask { model: m.name(), task: task.as_str() }.into());
            }
        }
        let metric = opts.metric.unwrap_or(RankMetric::default_for(task));
        if !metric.fits(task) {
            // Setting the task helps only where the target could take the
            // other one: labels ("yes"/"no") cannot be a regression's.
            let numeric = ds.column(&opts.target).is_ok_and(|c| matches!(c.values, ColumnValues::Numeric(_)));
            let switchable = task_source == TaskSource::Inferred && (task == Task::Regression || numeric);
            return Err(SearchError::WrongMetric { metric: metric.name(), task: task.as_str(), inferred: switchable }.into());
        }

        let rows: Vec<usize> = (0..ds.n_rows).filter(|&r| !target_values.is_missing(r)).collect();
        if rows.is_empty() {
            return Err(TrainError::EmptyTarget { target: opts.target.clone() }.into());
        }
        let dropped_missing_target = ds.n_rows - rows.len();

        // Encode the target: classes through a sorted label table, never a
        // cast; rows per class kept for the split's check.
        let mut class_rows: Vec<usize> = Vec::new();
        let (target, classes): (Target, Option<Vec<String>>) = match task {
            Task::Classification => {
                let (labels, codes) = label_table(target_values, &rows);
                if labels.len() < 2 {
                    return Err(TrainError::OneClass { target: opts.target.clone(), class: labels[0].clone() }.into());
                }
                let mut counts = vec![0usize; labels.len()];
                for &c in &codes {
                    counts[c as usize] += 1;
                }
                if counts.iter().all(|&n| n < 2) {
                    let hint = match target_values {
                        ColumnValues::Numeric(_) => ", or regression if its numbers are amounts".to_string(),
                        _ => read_numbers_hint(ds, target_values, &rows, &opts.target).map_or_else(String::new, |h| format!("; if its values are amounts, {h}")),
                    };
                    return Err(TrainError::NoRepeatedClass { target: opts.target.clone(), rows: rows.len(), hint }.into());
                }
                class_rows = counts;
                if labels.len() > MAX_CLASSES {
                    // Amounts with a word among them ("abc" in a price
                    // column) were read as labels: regression alone fails on
                    // them too, so the way that works is said at once (the
                    // step makes the target numbers, and the task regression).
                    let hint = read_numbers_hint(ds, target_values, &rows, &opts.target).map_or_else(String::new, |h| format!("if its values are amounts, {h}"));
                    return Err(TrainError::TooManyClasses { target: opts.target.clone(), classes: labels.len(), limit: MAX_CLASSES, hint }.into());
                }
                (Target::Classes(codes), Some(labels))
            }
            Task::Regression => match target_values {
                ColumnValues::Numeric(v) => {
                    let values: Vec<f64> = rows.iter().map(|&r| v[r].unwrap_or_default()).collect();
                    // Every error is under twice the largest value: its
                    // squares summed over the rows must stay finite for
                    // RMSE and R² (1e160 made every candidate "undefined").
                    let max = values.iter().fold(0.0f64, |m, y| m.max(y.abs()));
                    if !(4.0 * max * max * values.len() as f64).is_finite() {
                        let power = max.log10().floor() as i32 - 6;
                        return Err(TrainError::TargetTooLarge { target: opts.target.clone(), max, power }.into());
                    }
                    (Target::Values(values), None)
                }
                ColumnValues::Categorical { .. } => {
                    let holds = if target_col.kind == crate::data::ColumnKind::Boolean { "two values (a yes/no column)" } else { "text" };
                    let hint = read_numbers_hint(ds, target_values, &rows, &opts.target).unwrap_or_else(|| "choose classification".into());
                    return Err(TrainError::TextTargetForRegression { target: opts.target.clone(), holds, hint }.into());
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
        // Classes of one row each stay in training: a test set of a few
        // rows scores nothing a person can rely on.
        if let Target::Classes(_) = &target {
            let wanted = (rows.len() as f64 * test_fraction).round() as usize;
            if split.test.len() * 2 < wanted {
                let singletons = class_rows.iter().filter(|&&n| n == 1).count();
                let hint = match target_values {
                    ColumnValues::Numeric(_) => "; if its numbers are amounts, choose regression (--task regression)".to_string(),
                    _ => read_numbers_hint(ds, target_values, &rows, &opts.target).map_or_else(|| "; merge rare classes or use more data".to_string(), |h| format!("; if its values are amounts, {h}")),
                };
                return Err(TrainError::SmallTestSet { target: opts.target.clone(), test: split.test.len(), rows: rows.len(), wanted, singletons, hint }.into());
            }
        }
        let train_rows: Vec<usize> = split.train.iter().map(|&p| rows[p]).collect();
        let test_rows: Vec<usize> = split.test.iter().map(|&p| rows[p]).collect();
        let y_train = pick(&target, &split.train);
        let y_test = pick(&target, &split.test);
        if let (Target::Classes(c), Some(labels)) = (&y_train, &classes) {
            let first = c[0];
            if c.iter().all(|&x| x == first) {
                return Err(TrainError::OneClass { target: opts.target.clone(), class: labels[first as usize].clone() }.into());
            }
        }
        if let (Target::Values(v), Target::Values(all)) = (&y_train, &target) {
            if v.iter().all(|&x| x == v[0]) {
                let part = if all.iter().all(|&x| x == v[0]) { "row" } else { "training row" };
                return Err(TrainError::ConstantTarget { target: opts.target.clone(), value: format_number(v[0]), part }.into());
            }
        }
        let features: Vec<usize> = (0..ds.columns.len()).filter(|&i| i != target_index).collect();
        // Fails early, with its own error, when nothing is left to learn from.
        let full = Recipe::fit_with(ds, &features, &train_rows, &feature_steps)?;
        let width = full.width();
        // Columns the recipe leaves out by its own rules on the training
        // rows (an identifier's labels each in one row) are left out of
        // every fold too, so the folds score the features the final model
        // gets: a fold's fewer rows fell under the identifier rule's 20
        // labels and one-hot encoded them (23 columns on 16 rows, where
        // the final model had 7, and every linear candidate failed).
        let asked: Vec<&str> = feature_steps.iter().filter_map(StepSpec::column).collect();
        let left_by_rule: Vec<&str> = full.dropped().into_iter().filter(|(c, reason)| *reason != crate::prepare::USER_DROP && !asked.contains(c)).map(|(c, _)| c).collect();
        let trial_features: Vec<usize> = features.iter().copied().filter(|&i| !left_by_rule.contains(&ds.columns[i].name.as_str())).collect();

        let mut left_out = Vec::new();
        let (search_config, folds, plan, rungs) = if single.is_some() {
            (None, Vec::new(), Vec::new(), Vec::new())
        } else {
            // The grid: given outright (replay), from spaces, or the models' defaults.
            let (mut models, mut grid, given) = match (&opts.grid, &opts.spaces) {
                (Some(g), _) => {
                    if let Some(m) = g.iter().find(|m| !m.supports(task)) {
                        return Err(SearchError::WrongTask { name: m.name().to_string(), task: task.as_str() }.into());
                    }
                    (models_of(g), g.clone(), true)
                }
                (None, Some(spaces)) => {
                    let g = search::grid_from_spaces(spaces, task)?;
                    (models_of(&g), g, true)
                }
                (None, None) => {
                    let n_classes = classes.as_ref().map_or(1, Vec::len);
                    let named = opts.models.is_some();
                    let mut models = opts.models.as_deref().map_or_else(|| search::default_models(task), distinct_models);
                    let mut g = search::models_grid(&models, task)?;
                    if !named || quick_only {
                        g = quick_grid(&mut models, g, train_rows.len(), width, n_classes, &y_train, &mut left_out)?;
                    }
                    (models, g, false)
                }
            };
            let trials = opts.trials.unwrap_or(if strategy == Strategy::Random { search::RANDOM_TRIALS } else { MAX_TRIALS });
            let strata = match &y_train {
                Target::Classes(c) => Some(c.as_slice()),
                Target::Values(_) => None,
            };
            // Small data: the default folds shrink to what the smallest class
            // allows; folds the user asked for are kept or refused.
            let k = opts.folds.unwrap_or_else(|| DEFAULT_FOLDS.min(search::max_folds(train_rows.len(), strata).max(2)));
            // A default grid's k-NN candidates with more neighbours than a
            // fold trains on would fail on every fold: left out, and said.
            if !given {
                let smallest = train_rows.len() - train_rows.len().div_ceil(k.max(1));
                let over: Vec<usize> = grid
                    .iter()
                    .filter_map(|s| match s {
                        ModelSpec::Knn { k: n } if *n > smallest => Some(*n),
                        _ => None,
                    })
                    .collect();
                if !over.is_empty() {
                    let all = grid.iter().filter(|s| matches!(s, ModelSpec::Knn { .. })).count() == over.len();
                    let ks = over.iter().map(|n| format!("k = {n}")).collect::<Vec<_>>().join(", ");
                    let reason = format!("{}{ks}: more neighbours than the {smallest} rows a fold trains on", if all { "" } else { "its candidates with " });
                    left_out.push(LeftOut { model: "knn".into(), reason });
                    grid.retain(|s| !matches!(s, ModelSpec::Knn { k: n } if *n > smallest));
                    models.retain(|m| grid.iter().any(|s| s.name() == m));
                    if grid.is_empty() {
                        return Err(SearchError::AllLeftOut { reasons: left_out.iter().map(|l| format!("{}: {}", l.model, l.reason)).collect::<Vec<_>>().join("; ") }.into());
                    }
                }
            }
            let grid_len = grid.len();
            let folds = search::folds(train_rows.len(), strata, k, seed)?;
            let fold_rows = train_rows.len() - train_rows.len() / k;
            let plan = search::plan_grid(grid.clone(), strategy, trials, fold_rows, seed)?;
            for m in &plan {
                m.validate()?;
            }
            // A trial budget below the grid's size can leave a model with no
            // candidate at all: said, so a named model is not silently
            // skipped (the grid keeps its order; random draws are seeded).
            if plan.len() < grid_len {
                let how = match strategy {
                    Strategy::Grid => format!("the grid has {grid_len} candidates and the first {} ran (trials {trials}); raise the trials to {grid_len} to search them all", plan.len()),
                    _ => format!("{} of the grid's {grid_len} candidates were drawn at random (trials {trials}), none of them this model's; raise the trials to search more", plan.len()),
                };
                for name in &models {
                    let mine = grid.iter().filter(|s| s.name() == name).count();
                    if mine > 0 && !plan.iter().any(|s| s.name() == name) && !left_out.iter().any(|l: &LeftOut| &l.model == name) {
                        let none = if mine == 1 { "its one candidate did not run".to_string() } else { format!("none of its {mine} candidates ran") };
                        left_out.push(LeftOut { model: name.clone(), reason: format!("{none}: {how}") });
                    }
                }
            }
            let rungs = if strategy == Strategy::Halving { search::halving_rungs(grid_len, trials, fold_rows) } else { Vec::new() };
            if let Some(b) = opts.time_budget_seconds {
                if !(b.is_finite() && b > 0.0) {
                    return Err(SearchError::BadConfig { field: "time_budget_seconds".into(), message: format!("{b} is out of range: allowed a number of seconds greater than 0") }.into());
                }
            }
            let config = SearchConfig {
                strategy,
                models,
                trials,
                folds: k,
                metric,
                max_trial_seconds: f64::INFINITY,
                // A default search that left candidates out records the grid
                // it searched, so a replay searches exactly it whatever the
                // estimates say then.
                grid: (given || !left_out.is_empty()).then_some(grid),
                time_budget_seconds: opts.time_budget_seconds,
            };
            (Some(config), folds, plan, rungs)
        };

        // The job's estimated duration: the final fit for a single model;
        // for a search, every candidate within its own limit on every fold
        // (dearer candidates are skipped as trials, with their estimate).
        let limit = opts.max_seconds.unwrap_or(DEFAULT_MAX_SECONDS);
        if limit.is_nan() || limit <= 0.0 && single.is_none() {
            return Err(TrainError::OverBudget { seconds: 0.0, limit, detail: "no time allowed".into(), hint: "allow more time".into() }.into());
        }
        let fold_rows = train_rows.len() - train_rows.len() / folds.len().max(1);
        let n_classes = classes.as_ref().map_or(1, Vec::len);
        let (seconds, detail) = match &single {
            Some(m) => {
                check_size(m, train_rows.len(), width, n_classes)?;
                estimate_seconds(m, train_rows.len(), width, n_classes)
            }
            None => {
                let mut total = 0.0;
                let mut kept = 0;
                let mut dearest = 0.0f64;
                let share0 = rungs.first().map_or(1.0, |r| r.1);
                for m in &plan {
                    let (s, _) = estimate_seconds(m, (fold_rows as f64 * share0) as usize, width, n_classes);
                    let s = s * folds.len() as f64;
                    if s <= limit {
                        total += s;
                        kept += 1;
                        dearest = dearest.max(s);
                    }
                }
                // Later halving rungs: the mean candidate on more rows.
                let mean = total / kept.max(1) as f64;
                for (keep, share) in rungs.iter().skip(1) {
                    total += mean * *keep as f64 * share / share0;
                }
                let detail = format!("{kept} candidates × {} folds", folds.len());
                // A time budget starts no trial once spent: the search ends
                // by then and the trials running finish, the dearest last.
                match opts.time_budget_seconds.filter(|b| b.is_finite() && *b > 0.0 && b + dearest < total) {
                    Some(budget) => (budget + dearest, format!("{detail}, cut by the time budget of {budget} s to the budget and the dearest candidate, {dearest:.1} s")),
                    None => (total, detail),
                }
            }
        };
        if seconds > limit {
            let hint = single.as_ref().map_or("search fewer candidates or folds, set a time budget, or sample the rows", crate::train::speed_hint).to_string();
            return Err(TrainError::OverBudget { seconds, limit, detail, hint }.into());
        }
        let search_config = search_config.map(|c| SearchConfig { max_trial_seconds: limit, ..c });

        Ok(Run {
            dataset: DatasetRecord {
                file_name: ds.file_name.clone(),
                sha256: ds.sha256.clone(),
                rows: ds.n_rows,
                columns: ds.schema(),
                parse_options: (ds.parse != ParseOptions::default()).then(|| ds.parse.clone()),
                sample: ds.sample.as_ref().map(|s| SampleRecord { total_rows: s.total_rows, kept_rows: s.kept_rows, stride: s.stride }),
            },
            target: opts.target.clone(),
            task,
            task_source,
            seed,
            test_fraction,
            features,
            trial_features,
            recipe_steps: feature_steps.clone(),
            target_reading,
            classes,
            split: SplitRecord {
                stratified: task == Task::Classification,
                dropped_missing_target,
                train_rows: train_rows.len(),
                test_rows: test_rows.len(),
                test_rows_in_training: test_rows_in_training(ds, &train_rows, &test_rows),
            },
            train_rows,
            test_rows,
            y_train,
            y_test,
            single,
            search: search_config,
            left_out,
            folds,
            current: plan
                .into_iter()
                .enumerate()
                .map(|(index, model)| TrialSpec { index, model, rung: 0, row_share: rungs.first().map(|r| r.1).filter(|s| *s < 1.0) })
                .collect(),
            rungs,
            rung: 0,
            trials: Vec::new(),
            last: None,
            cut_short: false,
        })
    }

    /// Trials planned (0 without a search): for successive halving, those
    /// run and pending plus the later rungs' sizes, so it can shrink when
    /// fewer candidates can be promoted.
    pub fn planned(&self) -> usize {
        if self.rungs.is_empty() {
            return self.current.len();
        }
        let earlier = self.trials.iter().filter(|t| t.rung < self.rung).count();
        earlier + self.current.len() + self.rungs[self.rung + 1..].iter().map(|r| r.0).sum::<usize>()
    }

    /// The trials that can run now, in index order: those of the current
    /// batch (halving: rung) not yet recorded. Run them in any order or at
    /// once ([`Run::run_trial`]), then [`Run::record`] each; the leaderboard
    /// is the same whatever the order. Empty after a cancel.
    pub fn pending(&self) -> Vec<TrialSpec> {
        if self.cut_short {
            return Vec::new();
        }
        self.current.iter().filter(|s| !self.trials.iter().any(|t| t.index == s.index)).cloned().collect()
    }

    /// Runs one trial of this search. Pure and `&self`: threads (or workers
    /// holding an equal `Run`) can run pending trials at the same time.
    pub fn run_trial(&self, ds: &Dataset, spec: &TrialSpec) -> Result<Trial> {
        let metric = self.search.as_ref().map_or(RankMetric::default_for(self.task), |s| s.metric);
        let limit = self.search.as_ref().map_or(f64::INFINITY, |s| s.max_trial_seconds);
        run_trial(ds, &self.trial_features, &self.recipe_steps, &self.train_rows, &self.y_train, &self.folds, spec, self.seed, metric, limit)
    }

    /// Records a finished trial, from [`Run::run_trial`] here or elsewhere.
    /// A trial that is not in the current batch (another model, rung or
    /// share, or already recorded) is refused. When a halving rung is
    /// complete, the next rung is planned from it.
    pub fn record(&mut self, trial: Trial) -> Result<()> {
        let i = trial.index;
        let Some(spec) = self.current.iter().find(|s| s.index == i) else {
            return Err(SearchError::ForeignTrial { index: i, reason: "it is not in the search's current batch".into() }.into());
        };
        if !spec.matches(&trial) {
            return Err(SearchError::ForeignTrial { index: i, reason: "its model, rung or share of rows differs from the plan".into() }.into());
        }
        let at = self.trials.partition_point(|t| t.index < i);
        if self.trials.get(at).is_some_and(|t| t.index == i) {
            return Err(SearchError::ForeignTrial { index: i, reason: "it is already recorded".into() }.into());
        }
        self.trials.insert(at, trial);
        self.last = Some(i);
        if !self.cut_short && self.pending().is_empty() && self.rung + 1 < self.rungs.len() {
            self.promote();
        }
        Ok(())
    }

    /// The next halving rung: the best of this rung (ties to the earlier
    /// trial; unscored ones never), on the next share of rows.
    fn promote(&mut self) {
        let metric = self.search.as_ref().map_or(RankMetric::default_for(self.task), |s| s.metric);
        let mut ranked: Vec<&Trial> = self.trials.iter().filter(|t| t.rung == self.rung && t.mean.is_some()).collect();
        ranked.sort_by(|a, b| search::rank_order(metric, a, b));
        self.rung += 1;
        let (keep, share) = self.rungs[self.rung];
        let start = self.trials.iter().map(|t| t.index + 1).max().unwrap_or(0);
        self.current = ranked
            .iter()
            .take(keep)
            .enumerate()
            .map(|(j, t)| TrialSpec { index: start + j, model: t.model.clone(), rung: self.rung, row_share: (share < 1.0).then_some(share) })
            .collect();
    }

    /// Records a trial's duration in milliseconds, as measured by the caller.
    pub fn set_duration(&mut self, index: usize, ms: f64) {
        if let Some(t) = self.trials.iter_mut().find(|t| t.index == index) {
            t.duration_ms = ms.is_finite().then_some(ms.max(0.0));
        }
    }

    /// Tells the search how long it has run, in milliseconds; past its time
    /// budget it stops as [`Run::cancel`] does, and this returns true.
    pub fn note_elapsed(&mut self, ms: f64) -> bool {
        let over = self.budget_spent(ms);
        if over {
            self.cancel();
        }
        over
    }

    /// Whether the search's time budget is spent after `ms` milliseconds
    /// (the caller's clock), without stopping it: a thread or worker holding
    /// a shared `Run` asks this before it starts a trial, and starts none
    /// once it is true. The final refit is not part of the budget.
    pub fn budget_spent(&self, ms: f64) -> bool {
        self.search_budget().is_some_and(|b| ms / 1000.0 >= b)
    }

    /// [`Run::step`] with the time the search has run so far, in
    /// milliseconds: once its time budget is spent no trial starts, the
    /// search stops as [`Run::cancel`] does and this gives `None`.
    pub fn step_within_budget(&mut self, ds: &Dataset, elapsed_ms: f64) -> Result<Option<&Trial>> {
        if self.note_elapsed(elapsed_ms) {
            return Ok(None);
        }
        self.step(ds)
    }

    /// Trials run so far.
    pub fn trials(&self) -> &[Trial] {
        &self.trials
    }

    /// The task being learned.
    pub fn task(&self) -> Task {
        self.task
    }

    /// Models the default search (no models named) left out on this data,
    /// each with the reason: a candidate estimated to take over
    /// [`QUICK_FIT_SECONDS`] per fit.
    pub fn left_out(&self) -> &[LeftOut] {
        &self.left_out
    }

    /// The metric the search ranks by (none without a search).
    pub fn search_metric(&self) -> Option<RankMetric> {
        self.search.as_ref().map(|s| s.metric)
    }

    /// The search's time budget in seconds, if it has one.
    pub fn search_budget(&self) -> Option<f64> {
        self.search.as_ref().and_then(|s| s.time_budget_seconds)
    }

    /// The best trial so far.
    pub fn best_so_far(&self) -> Option<&Trial> {
        let metric = self.search.as_ref()?.metric;
        search::best(&self.trials, metric).map(|i| &self.trials[i])
    }

    /// Runs the next pending trial and records it; `None` when every trial
    /// has run or the search was cancelled. A candidate that cannot be
    /// fitted is recorded with its error, not raised.
    pub fn step(&mut self, ds: &Dataset) -> Result<Option<&Trial>> {
        let Some(spec) = self.pending().into_iter().next() else {
            return Ok(None);
        };
        let trial = self.run_trial(ds, &spec)?;
        self.record(trial)?;
        Ok(self.trials.iter().find(|t| t.index == spec.index))
    }

    /// Records how long the last recorded trial took, as measured by the caller.
    pub fn set_last_duration(&mut self, ms: f64) {
        if let Some(i) = self.last {
            self.set_duration(i, ms);
        }
    }

    /// Stops the search: no more trials start (those running may still be
    /// recorded), and the record says it was cut short if any planned
    /// trial did not run.
    pub fn cancel(&mut self) {
        if !self.pending().is_empty() || self.rung + 1 < self.rungs.len() {
            self.cut_short = true;
        }
    }

    /// The prepared training and test matrices and targets of this run's
    /// split, as [`Run::finish`] fits and scores them (the recipe fitted on
    /// the training rows), for comparing with other tools.
    pub fn prepared(&self, ds: &Dataset) -> Result<Prepared> {
        let recipe = Recipe::fit_with(ds, &self.features, &self.train_rows, &self.recipe_steps)?;
        let kept = recipe.training_rows(ds, &self.train_rows);
        let fit_rows: Vec<usize> = kept.iter().map(|&k| self.train_rows[k]).collect();
        Ok(Prepared {
            x_train: recipe.apply(ds, &fit_rows)?,
            y_train: pick(&self.y_train, &kept),
            x_test: recipe.apply(ds, &self.test_rows)?,
            y_test: self.y_test.clone(),
            test_rows: self.test_rows.clone(),
        })
    }

    /// Refits the chosen model on every training row and scores the test rows.
    pub fn finish(&self, ds: &Dataset) -> Result<RunOutcome> {
        let (model, search_record) = match &self.single {
            Some(m) => (m.clone(), None),
            None => {
                let metric = self.search.as_ref().map_or(RankMetric::default_for(self.task), |s| s.metric);
                let best = search::best(&self.trials, metric);
                let Some(best) = best else {
                    if self.trials.is_empty() && self.cut_short {
                        return Err(TrainError::StoppedBeforeAnyTrial.into());
                    }
                    // A trial fitted without error whose folds all scored
                    // undefined: the metric, not the models, is the trouble.
                    if self.trials.iter().any(|t| t.error.is_none()) {
                        let smallest_fold = self.folds.iter().map(Vec::len).min().unwrap_or(0);
                        // Fewer folds help only where two folds would each
                        // leave a model at least 2 training rows and the
                        // metric at least 2 rows to score.
                        let way = if self.folds.len() > 2 && self.train_rows.len() >= 4 {
                            "rank by another metric (--metric, or \"Rank by\" in the page), use fewer folds, or turn the search off"
                        } else {
                            "too few training rows to cross-validate: rank by another metric (--metric, or \"Rank by\" in the page), turn the search off (--search none, or Search \"None\" in the page), or use more data"
                        };
                        return Err(TrainError::UndefinedScores { metric: metric.name(), smallest_fold, way }.into());
                    }
                    let first = self.trials.iter().find_map(|t| t.error.clone()).unwrap_or_else(|| "no trial ran".into());
                    // Folds that leave a model under 2 training rows fail
                    // every candidate: the search, not the models, is the trouble.
                    let fewest_training = self.train_rows.len() - self.folds.iter().map(Vec::len).max().unwrap_or(0);
                    let hint = if fewest_training < 2 { "; the folds leave too few training rows: turn the search off (--search none, or Search \"None\" in the page) or use more data" } else { "" };
                    return Err(TrainError::NoCandidate { first, hint }.into());
                };
                // `best` is the trial's index on the leaderboard, not its
                // position: a cancelled pooled search can leave gaps.
                let Some(chosen) = self.trials.iter().find(|t| t.index == best) else {
                    return Err(TrainError::NoCandidate { first: format!("trial {best} is not recorded"), hint: "" }.into());
                };
                (
                    chosen.model.clone(),
                    Some(SearchRecord { planned: self.planned(), cut_short: self.cut_short, best: Some(best), trials: self.trials.clone() }),
                )
            }
        };
        let recipe = Recipe::fit_with(ds, &self.features, &self.train_rows, &self.recipe_steps)?;
        // A drop-duplicate-rows step trains on the first of identical rows only.
        let kept = recipe.training_rows(ds, &self.train_rows);
        let fit_rows: Vec<usize> = kept.iter().map(|&k| self.train_rows[k]).collect();
        let x_train = recipe.apply(ds, &fit_rows)?;
        let x_test = recipe.apply(ds, &self.test_rows)?;
        let (predicted, proba) = guarded((None, model.name().to_string()), || Ok(fit(&model, &x_train, &pick(&self.y_train, &kept), self.seed)?.predict_full(&x_test, true)?))?;
        let metrics: Vec<Metric> = match (&self.y_test, &predicted) {
            (Target::Classes(t), Target::Classes(p)) => {
                let rows = proba.as_ref().map(rows_of).unwrap_or_default();
                classification_metrics_with(t, p, &rows)
            }
            (Target::Values(t), Target::Values(p)) => regression_metrics(t, p),
            _ => unreachable!("the model predicts the kind of target it was fitted on"),
        };
        let baseline = match (&pick(&self.y_train, &kept), &self.y_test, &predicted, &self.classes) {
            (Target::Classes(train), Target::Classes(t), Target::Classes(p), Some(names)) => {
                let mut counts = vec![0usize; names.len()];
                for &c in train {
                    counts[c as usize] += 1;
                }
                // The most frequent; ties go to the first class.
                let majority = (0..counts.len()).fold(0, |best, c| if counts[c] > counts[best] { c } else { best }) as u32;
                let always = vec![majority; t.len()];
                let metrics = classification_metrics(t, &always).into_iter().filter(|m| m.name == "accuracy" || m.name == "macro_f1").collect();
                let distinct = |v: &[u32]| v.iter().collect::<std::collections::BTreeSet<_>>().len();
                Some(Baseline { class: names[majority as usize].clone(), mean: None, metrics, predicted_classes: distinct(p), test_classes: distinct(t) })
            }
            (Target::Values(train), Target::Values(t), Target::Values(_), _) if !train.is_empty() => {
                let mean = train.iter().sum::<f64>() / train.len() as f64;
                let metrics = crate::evaluate::regression_metrics(t, &vec![mean; t.len()]);
                Some(Baseline { class: String::new(), mean: Some(mean), metrics, predicted_classes: 0, test_classes: 0 })
            }
            _ => None,
        };
        Ok(RunOutcome {
            dataset: self.dataset.clone(),
            config: ConfigRecord {
                target: self.target.clone(),
                task: self.task,
                task_source: self.task_source,
                seed: self.seed,
                test_fraction: self.test_fraction,
                model,
                search: self.search.clone(),
                target_reading: self.target_reading.clone(),
            },
            split: self.split.clone(),
            search: search_record,
            result: ResultRecord { classes: self.classes.clone(), features: recipe.feature_names(), metrics },
            recipe,
            baseline,
        })
    }
}

/// Cross-validates one candidate: for each fold, fit the recipe and the
/// model on the other folds' rows and score the fold. Pure: the same
/// inputs give the same trial wherever and whenever it runs.
#[allow(clippy::too_many_arguments)]
pub fn run_trial(
    ds: &Dataset,
    features: &[usize],
    steps: &[StepSpec],
    train_rows: &[usize],
    y_train: &Target,
    folds: &[Vec<usize>],
    trial: &TrialSpec,
    seed: u64,
    metric: RankMetric,
    max_seconds: f64,
) -> Result<Trial> {
    let (spec, index) = (&trial.model, trial.index);
    let done = |fold_scores, mean, std, error| Trial {
        index,
        model: spec.clone(),
        rung: trial.rung,
        row_share: trial.row_share,
        fold_scores,
        mean,
        std,
        error,
        duration_ms: None,
    };
    let share = trial.row_share.unwrap_or(1.0);
    if !(share > 0.0 && share <= 1.0) {
        return Err(SearchError::ForeignTrial { index, reason: format!("its share of rows {share} is out of range: allowed greater than 0, at most 1") }.into());
    }
    let mut fold_scores = Vec::with_capacity(folds.len());
    // Too dear for the time allowed: recorded as skipped, with the estimate.
    let width = Recipe::fit_with(ds, features, train_rows, steps)?.width();
    let fold_rows = train_rows.len() - train_rows.len() / folds.len().max(1);
    let n_classes = match y_train {
        Target::Classes(c) => c.iter().max().map_or(1, |&m| m as usize + 1),
        Target::Values(_) => 1,
    };
    let fold_rows = ((fold_rows as f64 * share).ceil() as usize).min(fold_rows);
    let (seconds, detail) = estimate_seconds(spec, fold_rows, width, n_classes);
    let seconds = seconds * folds.len() as f64;
    if seconds > max_seconds {
        let error = Some(format!("skipped: {} would take about {seconds:.1} s by a rough estimate ({detail}, {} folds), over the limit of {max_seconds} s", spec.name(), folds.len()));
        return Ok(done(fold_scores, None, None, error));
    }
    let mut error = None;
    for (f, val) in folds.iter().enumerate() {
        let mut in_val = vec![false; train_rows.len()];
        for &p in val {
            in_val[p] = true;
        }
        let mut fit_pos: Vec<usize> = (0..train_rows.len()).filter(|&p| !in_val[p]).collect();
        if share < 1.0 {
            // Halving's early rungs: a seeded share of the fold's rows, the
            // same for every trial of the rung; at least 30 (or all).
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x4A1F_0000 ^ f as u64);
            crate::data::shuffle(&mut fit_pos, &mut rng);
            let keep = ((fit_pos.len() as f64 * share).ceil() as usize).max(search::HALVING_MIN_ROWS).min(fit_pos.len());
            fit_pos.truncate(keep);
            fit_pos.sort_unstable();
        }
        let fit_rows: Vec<usize> = fit_pos.iter().map(|&p| train_rows[p]).collect();
        let val_rows: Vec<usize> = val.iter().map(|&p| train_rows[p]).collect();
        let outcome = Recipe::fit_with(ds, features, &fit_rows, steps).map_err(crate::Error::from).and_then(|recipe| {
            let kept = recipe.training_rows(ds, &fit_rows);
            let rows: Vec<usize> = kept.iter().map(|&k| fit_rows[k]).collect();
            let positions: Vec<usize> = kept.iter().map(|&k| fit_pos[k]).collect();
            let x_fit = recipe.apply(ds, &rows)?;
            let x_val = recipe.apply(ds, &val_rows)?;
            // The trial as it would end if smartcore panicked now.
            let context = (Some(done(fold_scores.clone(), None, None, None)), format!("{} on fold {}", spec.name(), f + 1));
            guarded(context, || {
                let model = fit(spec, &x_fit, &pick(y_train, &positions), seed)?;
                Ok(model.predict_full(&x_val, metric.needs_probabilities())?)
            })
        });
        match outcome {
            Ok((pred, proba)) => fold_scores.push(score(metric, &pick(y_train, val), &pred, proba.as_ref())),
            Err(e) => {
                error = Some(format!("{} on fold {}: {e}", spec.name(), f + 1));
                break;
            }
        }
    }
    let (mean, std) = if error.is_some() { (None, None) } else { search::summarise(&fold_scores) };
    Ok(done(fold_scores, mean, std, error))
}

std::thread_local! {
    /// The trial a model fit is running for, as it would end if the fit
    /// panicked, and where ("random forest on fold 2").
    static IN_FIT: std::cell::RefCell<Option<(Option<Trial>, String)>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f`, a model fit and prediction, with `context` (the candidate's
/// trial, see [`trial_after_panic`], or none for the final fit) in view;
/// a panic inside it is an error ([`TrainError::SolverFailed`]): the
/// candidate's, not the end of the search.
/// Caught here natively; in wasm, where a panic ends the instance, the
/// page's panic hook builds the same trial from [`trial_after_panic`].
fn guarded<T>(context: (Option<Trial>, String), f: impl FnOnce() -> Result<T>) -> Result<T> {
    IN_FIT.with(|c| *c.borrow_mut() = Some(context));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_FIT.with(|c| *c.borrow_mut() = None);
    out.unwrap_or_else(|payload| Err(TrainError::SolverFailed { message: panic_message(payload.as_ref()) }.into()))
}

/// A panic's message: its text, or a placeholder for another payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| payload.downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic with no message".into())
}

/// Whether this thread is inside a candidate's model fit.
pub fn in_fit() -> bool {
    IN_FIT.with(|c| c.borrow().is_some())
}

/// The trial a candidate ends as when its model fit panics with
/// `message` on this thread (its folds so far, and the error, as
/// [`run_trial`] records any fold's error); `None` outside a fit.
pub fn trial_after_panic(message: &str) -> Option<Trial> {
    IN_FIT.with(|c| {
        let (trial, context) = c.borrow().clone()?;
        Some(Trial { error: Some(format!("{context}: {}", TrainError::SolverFailed { message: message.to_string() })), ..trial? })
    })
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
/// let out = run(&ds, &RunOptions::new("y")).unwrap();
/// assert_eq!(out.result.metrics[0].name, "accuracy");
/// assert!(out.search.unwrap().trials.len() > 5);
/// ```
pub fn run(ds: &Dataset, opts: &RunOptions) -> Result<RunOutcome> {
    let mut r = Run::start(ds, opts)?;
    while r.step(ds)?.is_some() {}
    r.finish(ds)
}

/// The default search's grid `g` of `models` with the candidates left out
/// that would be slow on `rows` × `width` (by [`estimate_seconds`]) or that
/// cannot take the data, each model left out named in `left_out` with its
/// reason; `models` keeps those with a candidate left. An error naming every
/// reason when none is.
fn quick_grid(models: &mut Vec<String>, mut g: Vec<ModelSpec>, rows: usize, width: usize, n_classes: usize, y_train: &Target, left_out: &mut Vec<LeftOut>) -> Result<Vec<ModelSpec>> {
    // A model's candidates join only while each stays quick on this data
    // (the support-vector models' estimate grows with rows², forests' with
    // trees × rows × depth).
    let estimates: Vec<(f64, String)> = g.iter().map(|spec| estimate_seconds(spec, rows, width, n_classes)).collect();
    for name in models.iter() {
        let candidates: Vec<&(f64, String)> = g.iter().zip(&estimates).filter(|(s, _)| s.name() == name).map(|(_, e)| e).collect();
        let slow: Vec<&&(f64, String)> = candidates.iter().filter(|e| e.0 > QUICK_FIT_SECONDS).collect();
        let Some((seconds, detail)) = slow.iter().max_by(|a, b| a.0.total_cmp(&b.0)) else { continue };
        let reason = if slow.len() == candidates.len() {
            format!("about {seconds:.0} s per fit by a rough estimate ({detail}), over {QUICK_FIT_SECONDS:.0} s; name it to search it")
        } else {
            format!(
                "{} of its {} candidates, the dearest about {seconds:.0} s per fit by a rough estimate ({detail}), over {QUICK_FIT_SECONDS:.0} s; name it to search them all",
                slow.len(),
                candidates.len()
            )
        };
        left_out.push(LeftOut { model: name.clone(), reason });
    }
    let mut quick = estimates.iter().map(|e| e.0 <= QUICK_FIT_SECONDS);
    g.retain(|_| quick.next().unwrap_or(false));
    // Nor do candidates the model cannot fit on all the training rows (wider
    // than smartcore's linear models, SVR and SVC take): each would fail on
    // every fold and in the final refit.
    let refused: Vec<Option<String>> = g
        .iter()
        .map(|spec| match check_size(spec, rows, width, n_classes).and_then(|()| check_classes(spec, width, y_train)) {
            Err(TrainError::TooLargeForModel { reason, .. }) => Some(reason),
            _ => None,
        })
        .collect();
    for name in models.iter() {
        let mine: Vec<&Option<String>> = g.iter().zip(&refused).filter(|(s, _)| s.name() == name).map(|(_, r)| r).collect();
        let Some(Some(reason)) = mine.iter().find(|r| r.is_some()) else { continue };
        let n = mine.iter().filter(|r| r.is_some()).count();
        let reason = if n == mine.len() { format!("it cannot take this data: {reason}") } else { format!("{n} of its {} candidates cannot take this data: {reason}", mine.len()) };
        left_out.push(LeftOut { model: name.clone(), reason });
    }
    let mut fits = refused.iter().map(Option::is_none);
    g.retain(|_| fits.next().unwrap_or(false));
    models.retain(|m| g.iter().any(|s| s.name() == m));
    if g.is_empty() {
        let reasons = left_out.iter().map(|l| format!("{}: {}", l.model, l.reason)).collect::<Vec<_>>().join("; ");
        return Err(SearchError::AllLeftOut { reasons }.into());
    }
    Ok(g)
}

/// The model names of a grid, in order of first appearance.
fn models_of(grid: &[ModelSpec]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for m in grid {
        if !names.iter().any(|n| n == m.name()) {
            names.push(m.name().to_string());
        }
    }
    names
}

/// How many of `test` rows repeat one of `train` exactly, in every column:
/// by row hash, each match checked value by value.
fn test_rows_in_training(ds: &Dataset, train: &[usize], test: &[usize]) -> usize {
    let mut by_hash: std::collections::HashMap<u64, Vec<usize>> = std::collections::HashMap::new();
    for (h, &r) in ds.row_hashes(train).into_iter().zip(train) {
        by_hash.entry(h).or_default().push(r);
    }
    ds.row_hashes(test).into_iter().zip(test).filter(|(h, &t)| by_hash.get(h).is_some_and(|rs| rs.iter().any(|&r| ds.rows_equal(r, t)))).count()
}

/// Sorted distinct labels of `rows` (numerically for numbers) and each
/// row's code into that table.
fn label_table(values: &ColumnValues, rows: &[usize]) -> (Vec<String>, Vec<u32>) {
    match values {
        ColumnValues::Numeric(v) => {
            let mut distinct: Vec<f64> = rows.iter().filter_map(|&r| v[r].get()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let codes = rows
                .iter()
                .map(|&r| distinct.binary_search_by(|d| d.total_cmp(&v[r].unwrap_or_default())).unwrap_or(0) as u32)
                .collect();
            (distinct.into_iter().map(format_number).collect(), codes)
        }
        ColumnValues::Categorical { levels, codes } => {
            let mut used: Vec<u32> = rows.iter().filter_map(|&r| codes[r].get()).collect();
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

/// The options that reproduce a manifest's run.
pub fn options_of(manifest: &RunManifest) -> RunOptions {
    let c = &manifest.config;
    let mut opts = match &c.search {
        Some(s) => RunOptions {
            search: Some(s.strategy),
            models: Some(s.models.clone()),
            trials: Some(s.trials),
            folds: Some(s.folds),
            metric: Some(s.metric),
            grid: s.grid.clone(),
            time_budget_seconds: s.time_budget_seconds,
            ..RunOptions::new(&c.target)
        },
        None => RunOptions::single(&c.target, c.model.clone()),
    };
    opts.task = Some(c.task);
    opts.seed = Some(c.seed);
    opts.test_fraction = Some(c.test_fraction);
    // A search's limit decides which candidates are skipped, so it is kept;
    // a single recorded fit already ran once and is not second-guessed.
    opts.max_seconds = Some(c.search.as_ref().map_or(f64::INFINITY, |s| s.max_trial_seconds));
    opts.recipe = manifest.recipe.spec();
    if c.target_reading.is_some() {
        opts.recipe.push(StepSpec::ParseNumbers { column: c.target.clone() });
    }
    opts
}

/// Whether a fresh run plans the manifest's first-rung trials, index by
/// index, with the same models.
fn plans_recorded_trials(r: &Run, manifest: &RunManifest) -> bool {
    let pending = r.pending();
    manifest.search.iter().flat_map(|s| &s.trials).filter(|t| t.rung == 0).all(|t| pending.iter().any(|p| p.index == t.index && p.model == t.model))
}

/// Reads `bytes` (the file `name`) as `manifest`'s run read its data. A
/// file that cannot be read that way is first checked against the run's
/// digest, so another file is named as not the run's data (with both
/// digests) rather than by a reading error about options replay does not
/// take.
pub fn read_for_replay(bytes: &[u8], name: &str, manifest: &RunManifest) -> Result<Dataset> {
    let opts = manifest.dataset.parse_options.clone().unwrap_or_default();
    crate::data::parse_csv(bytes, name, &opts).map_err(|e| {
        let found = crate::data::sha256_hex(bytes);
        if found != manifest.dataset.sha256 {
            return ReplayError::DataMismatch { expected_file: manifest.dataset.file_name.clone(), expected: manifest.dataset.sha256.clone(), found_file: name.to_string(), found, note: String::new() }.into();
        }
        e.into()
    })
}

/// When `ds`, other bytes than the run's, reads to the run's columns (names
/// and kinds) and rows: most likely the run's file saved again by an editor
/// or a spreadsheet. Says so, with its line endings (a Windows editor
/// writes CRLF). Empty otherwise.
fn saved_again(ds: &Dataset, run: &crate::manifest::DatasetRecord) -> String {
    if ds.schema() != run.columns || ds.n_rows != run.rows {
        return String::new();
    }
    let ending = match ds.ingest.line_ending.as_str() {
        "crlf" => "CRLF, as Windows editors write them",
        "cr" => "CR, as old Mac editors write them",
        "lf" => "LF",
        _ => "no line break",
    };
    format!(
        "; it reads to the run's {} columns and {} rows, so it is most likely the run's file saved again by an editor or a spreadsheet, which can change line endings (its lines end in {ending}), quotes or the encoding: replay needs the file as the run read it, byte for byte",
        run.columns.len(),
        run.rows
    )
}

/// Replays `manifest` on `ds`: checks the data is the same, runs the
/// recorded options again (the same trials, cut short where it was) and
/// compares every recorded figure exactly.
pub fn replay(ds: &Dataset, manifest: &RunManifest) -> Result<ReplayReport> {
    if ds.sha256 != manifest.dataset.sha256 {
        return Err(ReplayError::DataMismatch {
            expected_file: manifest.dataset.file_name.clone(),
            expected: manifest.dataset.sha256.clone(),
            found_file: ds.file_name.clone(),
            found: ds.sha256.clone(),
            note: saved_again(ds, &manifest.dataset),
        }
        .into());
    }
    let expected = manifest.dataset.parse_options.clone().unwrap_or_default();
    if ds.parse != expected {
        return Err(ReplayError::ParseOptionsDiffer { differences: options_difference(&expected, &ds.parse) }.into());
    }
    if ds.schema() != manifest.dataset.columns || ds.n_rows != manifest.dataset.rows {
        return Err(ReplayError::SchemaMismatch {
            detail: schema_difference(ds, &manifest.dataset),
            version: manifest.tool.mlcycle.clone(),
        }
        .into());
    }
    let opts = options_of(manifest);
    let mut r = Run::start(ds, &opts)?;
    // A manifest written before a default search recorded the grid it was
    // left with names its models only: when the recorded trials are not
    // the plan of their whole grids, leave the slow candidates out again.
    if manifest.config.search.as_ref().is_some_and(|s| s.grid.is_none()) && !plans_recorded_trials(&r, manifest) {
        if let Ok(quick) = Run::start_with(ds, &opts, true) {
            if plans_recorded_trials(&quick, manifest) {
                r = quick;
            }
        }
    }
    // The recorded trials, by index: a cut-short parallel search may have
    // finished some of a batch and not others. One the plan does not hold
    // is skipped here and named as a difference below.
    for t in manifest.search.iter().flat_map(|s| &s.trials) {
        let Some(spec) = r.pending().into_iter().find(|s| s.index == t.index) else { continue };
        let trial = r.run_trial(ds, &spec)?;
        r.record(trial)?;
    }
    if manifest.search.as_ref().is_some_and(|s| s.cut_short) {
        r.cancel();
    } else {
        // A search that ran to its end runs to its end again: a trial taken
        // out of the record shows as missing, not as a shorter search.
        while r.step(ds)?.is_some() {}
    }
    let mut out = r.finish(ds)?;
    out.config.task_source = manifest.config.task_source;

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
    diff("split.stratified", s.0.stratified.to_string(), s.1.stratified.to_string());
    diff("split.test_rows_in_training", s.0.test_rows_in_training.to_string(), s.1.test_rows_in_training.to_string());
    // Recorded figures are compared bit for bit, written as Rust's shortest
    // round-trip decimal ("undefined" for none).
    let figure = |v: Option<f64>| v.map_or("undefined".to_string(), |x| format!("{x:?}"));
    let or_none = |v: Option<String>| v.unwrap_or_else(|| "none".to_string());
    if let (Some(a), Some(b)) = (&manifest.search, &out.search) {
        diff("search.planned", a.planned.to_string(), b.planned.to_string());
        diff("search.cut_short", a.cut_short.to_string(), b.cut_short.to_string());
        // Trials matched by index, so one missing or added is named alone.
        let mut indices: Vec<usize> = a.trials.iter().chain(&b.trials).map(|t| t.index).collect();
        indices.sort_unstable();
        indices.dedup();
        let model = |t: &crate::search::Trial| serde_json::to_string(&t.model).unwrap_or_default();
        for i in indices {
            match (a.trials.iter().find(|t| t.index == i), b.trials.iter().find(|t| t.index == i)) {
                (Some(x), Some(y)) => {
                    diff(&format!("search.trials[{i}].model"), model(x), model(y));
                    let bits = |v: &[Option<f64>]| v.iter().map(|&s| figure(s)).collect::<Vec<_>>().join(", ");
                    diff(&format!("search.trials[{i}].rung"), x.rung.to_string(), y.rung.to_string());
                    diff(&format!("search.trials[{i}].row_share"), or_none(x.row_share.map(|r| format!("{r:?}"))), or_none(y.row_share.map(|r| format!("{r:?}"))));
                    diff(&format!("search.trials[{i}].fold_scores"), bits(&x.fold_scores), bits(&y.fold_scores));
                    diff(&format!("search.trials[{i}].mean"), figure(x.mean), figure(y.mean));
                    diff(&format!("search.trials[{i}].std"), figure(x.std), figure(y.std));
                    diff(&format!("search.trials[{i}].error"), or_none(x.error.clone()), or_none(y.error.clone()));
                }
                (x, y) => diff(&format!("search.trials[{i}]"), x.map_or_else(|| "absent".to_string(), model), y.map_or_else(|| "absent".to_string(), model)),
            }
        }
        diff("search.trials.length", a.trials.len().to_string(), b.trials.len().to_string());
        diff("search.best", or_none(a.best.map(|b| b.to_string())), or_none(b.best.map(|b| b.to_string())));
    } else {
        let said = |present: bool| if present { "a search" } else { "no search" }.to_string();
        diff("search", said(manifest.search.is_some()), said(out.search.is_some()));
    }
    diff("config.model", serde_json::to_string(&manifest.config.model).unwrap_or_default(), serde_json::to_string(&out.config.model).unwrap_or_default());
    // Step by step; a step only one side has is named, "absent" on the other.
    let step = |s: Option<&RecipeStep>| s.map_or_else(|| "absent".to_string(), |s| serde_json::to_string(s).unwrap_or_default());
    for i in 0..manifest.recipe.steps.len().max(out.recipe.steps.len()) {
        diff(&format!("recipe.steps[{i}]"), step(manifest.recipe.steps.get(i)), step(out.recipe.steps.get(i)));
    }
    diff("recipe.steps.length", manifest.recipe.steps.len().to_string(), out.recipe.steps.len().to_string());
    diff("result.classes", or_none(manifest.result.classes.as_ref().map(|c| c.join(", "))), or_none(out.result.classes.as_ref().map(|c| c.join(", "))));
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

/// The models named, each once, by its own name (an alias such as `tree`
/// as `decision_tree`), in the order first named: `knn,knn` ran every
/// k-NN candidate twice and counted the trials twice.
fn distinct_models(models: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in models {
        let name = search::canonical_name(m).map_or_else(|| m.clone(), str::to_string);
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    fn iris() -> Dataset {
        parse_csv(include_bytes!("../www/data/iris.csv"), "iris.csv", &ParseOptions::default()).unwrap()
    }

    fn halving(models: &[&str]) -> RunOptions {
        RunOptions {
            search: Some(Strategy::Halving),
            models: Some(models.iter().map(|m| m.to_string()).collect()),
            trials: Some(12),
            seed: Some(5),
            ..RunOptions::new("species")
        }
    }

    /// A pooled search cancelled with a gap (trial 0 never recorded, as
    /// when its worker was ended) still refits the best recorded trial,
    /// looked up by its index (this panicked in wasm: index out of bounds).
    #[test]
    fn a_search_cancelled_with_a_gap_refits_the_best_recorded_trial() {
        let ds = iris();
        let opts = RunOptions { models: Some(vec!["knn".into()]), ..RunOptions::new("species") };
        let mut job = Run::start(&ds, &opts).unwrap();
        let pending = job.pending();
        assert!(pending.len() >= 2);
        let trial = job.run_trial(&ds, &pending[1]).unwrap();
        job.record(trial).unwrap();
        job.cancel();
        let out = job.finish(&ds).unwrap();
        let search = out.search.as_ref().unwrap();
        assert_eq!(search.best, Some(1));
        assert!(search.cut_short);
        assert_eq!(out.config.model, pending[1].model);
    }

    /// Prices written as text ("$1,200.50") are predicted as numbers once a
    /// parse_numbers step names the target: regression inferred, the
    /// reading recorded in the manifest and replayed; the features' recipe
    /// does not get the target. Before, the target was refused for
    /// regression as text, and as classes as an identifier.
    #[test]
    fn a_price_target_is_read_as_numbers_by_its_parse_numbers_step() {
        let csv = format!("units,revenue\n{}", (0..80).map(|i| format!("{},\"${},{:03}.{:02}\"\n", i % 9, 2 * (i % 9) + 1, (i * 37) % 1000, i % 100)).collect::<String>());
        let ds = parse_csv(csv.as_bytes(), "sales.csv", &ParseOptions::default()).unwrap();
        assert_eq!(infer_task(&ds, "revenue").unwrap(), Task::Classification);
        let step = StepSpec::ParseNumbers { column: "revenue".into() };
        assert_eq!(infer_task_with(&ds, "revenue", std::slice::from_ref(&step)).unwrap(), Task::Regression);
        let opts = RunOptions { search: Some(Strategy::None), recipe: vec![step.clone()], ..RunOptions::new("revenue") };
        let out = run(&ds, &opts).unwrap();
        assert_eq!(out.config.task, Task::Regression);
        assert_eq!(out.config.target_reading, Some(RecipeStep::ParseNumbers { column: "revenue".into(), decimal_comma: false, unit: None }));
        assert_eq!(out.result.features, ["units"]);
        let r2 = out.result.metrics.iter().find(|m| m.name == "r2").and_then(|m| m.value).unwrap();
        assert!(r2 > 0.9, "revenue follows units: r2 {r2}");
        let manifest = out.manifest(BTreeMap::new());
        let back: RunManifest = serde_json::from_str(&serde_json::to_string(&manifest).unwrap()).unwrap();
        assert!(replay(&ds, &back).unwrap().reproduced);
        // Labels none of which is a number: said, with one of them.
        let words = parse_csv(b"x,y\n1,red\n2,blue\n3,red\n4,blue\n", "w.csv", &ParseOptions::default()).unwrap();
        let err = run(&words, &RunOptions { search: Some(Strategy::None), recipe: vec![StepSpec::ParseNumbers { column: "y".into() }], ..RunOptions::new("y") }).unwrap_err();
        assert!(err.to_string().contains("target \"y\" has no label that reads as a number (e.g. \"red\")"), "{err}");
    }

    /// A regression target near 1e160 is refused with its size and a
    /// scale (every candidate was "undefined", blamed on the folds), and
    /// values spanning f64's range as a feature still give a manifest that
    /// replays (its median imputation was written as null).
    #[test]
    fn huge_values_are_refused_as_a_target_and_replay_as_a_feature() {
        let big: String = (0..40).map(|i| format!("{i},{}e159\n", 1 + i % 9)).collect();
        let ds = parse_csv(format!("x,y\n{big}").as_bytes(), "big.csv", &ParseOptions::default()).unwrap();
        let err = run(&ds, &RunOptions { search: Some(Strategy::None), task: Some(Task::Regression), ..RunOptions::new("y") }).unwrap_err();
        assert_eq!(err.to_string(), "target \"y\" has values as large as 9.000e159, too large to score a fit (the squared errors overflow); rescale it, e.g. divide it by 1e153");
        let span: String = (0..40).map(|i| format!("{},{}\n", if i % 2 == 0 { "-1e308" } else { "1e308" }, i % 3)).collect();
        let ds = parse_csv(format!("a,y\n{span}").as_bytes(), "span.csv", &ParseOptions::default()).unwrap();
        let out = run(&ds, &RunOptions { search: Some(Strategy::None), task: Some(Task::Regression), ..RunOptions::new("y") }).unwrap();
        let text = out.manifest(BTreeMap::new()).to_json().unwrap();
        assert!(replay(&ds, &RunManifest::from_bytes(text.as_bytes()).unwrap()).unwrap().reproduced);
    }

    /// On imbalanced classes the run says what always predicting the
    /// majority class scores, and whether the model predicted one class only.
    #[test]
    fn the_majority_baseline_and_one_class_predictions_are_reported() {
        let mut csv = String::from("x,y\n");
        for i in 0..200 {
            csv.push_str(&format!("{},{}\n", i % 13, if i % 50 == 7 { "fraud" } else { "ok" }));
        }
        let ds = parse_csv(csv.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let out = run(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("y") }).unwrap();
        let b = out.baseline.as_ref().expect("a baseline for classes");
        assert_eq!(b.class, "ok");
        let accuracy = b.metrics.iter().find(|m| m.name == "accuracy").and_then(|m| m.value).unwrap();
        let test_ok = out.split.test_rows as f64 - 1.0;
        assert_eq!(accuracy, test_ok / out.split.test_rows as f64);
        assert_eq!(b.test_classes, 2);
        // x says nothing of y: the forest predicts "ok" for every test row.
        assert_eq!(b.predicted_classes, 1);
        // Regression: always the training rows' mean, scored on the test rows.
        let reg = parse_csv(b"x,y\n1,1.5\n2,2.5\n3,3.1\n4,4.2\n5,5.9\n6,6.1\n7,7.3\n8,8.8\n9,9.1\n10,10.4\n", "r.csv", &ParseOptions::default()).unwrap();
        let out = run(&reg, &RunOptions { search: Some(Strategy::None), task: Some(Task::Regression), ..RunOptions::new("y") }).unwrap();
        let b = out.baseline.as_ref().expect("a mean baseline");
        let mean = b.mean.expect("the training mean");
        assert!((1.5..=10.4).contains(&mean), "{mean}");
        let metric = |name: &str| b.metrics.iter().find(|m| m.name == name).and_then(|m| m.value).unwrap();
        assert!(metric("rmse") > 0.0);
        // A constant's R² on the test rows is at most 0 (0 only when it is their own mean).
        assert!(metric("r2") <= 0.0, "{}", metric("r2"));
        // The model, which follows x, does better than the mean.
        let model_rmse = out.result.metrics.iter().find(|m| m.name == "rmse").and_then(|m| m.value).unwrap();
        assert!(model_rmse < metric("rmse"), "{model_rmse}");
    }

    /// A search stopped before any candidate finished says so, instead of
    /// "no candidate model could be fitted; the first failure was no trial ran".
    #[test]
    fn a_search_stopped_before_any_trial_says_nothing_was_trained() {
        let ds = iris();
        let mut r = Run::start(&ds, &RunOptions::new("species")).unwrap();
        r.cancel();
        let err = r.finish(&ds).unwrap_err();
        assert_eq!(err.code(), "stopped_before_any_trial");
        assert_eq!(err.to_string(), "the search was stopped before any candidate finished, so nothing was trained");
    }

    /// When every model of the default search is left out (50,000,000
    /// training rows), the error names each with its reason instead of a
    /// bare "no models to search".
    #[test]
    fn every_model_left_out_is_named_in_the_error() {
        let mut models = search::default_models(Task::Classification);
        let all = models.clone();
        let grid = search::models_grid(&models, Task::Classification).unwrap();
        let mut left_out = Vec::new();
        let err = quick_grid(&mut models, grid, 50_000_000, 7, 2, &Target::Classes(vec![0, 1, 0, 1]), &mut left_out).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("every model of the search was left out for this data: "), "{message}");
        for m in &all {
            assert!(message.contains(&format!("{m}: ")), "{m} not named in: {message}");
        }
        assert!(message.contains("50000000 rows"), "{message}");
        // On a few hundred rows every model stays.
        let mut models = all.clone();
        let grid = search::models_grid(&models, Task::Classification).unwrap();
        let y = Target::Classes((0..500).map(|i| i % 2).collect());
        let kept = quick_grid(&mut models, grid, 500, 7, 2, &y, &mut Vec::new()).unwrap();
        assert_eq!(models, all);
        assert!(!kept.is_empty());
    }

    /// On wide data the default search leaves out the models whose
    /// candidates would be slow (penalised logistic regression on 10,000
    /// features and 7 classes: 13.5 s per fit measured on 19 rows, the
    /// plain one 1.5 s), says why, and still runs them when they are named;
    /// on iris, and on 3,000 such features (3.9 s per fit), it leaves
    /// nothing out.
    #[test]
    fn default_search_leaves_out_slow_models_and_says_why() {
        let wide = |width: usize| {
            let mut text = (0..width).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
            text.push('\n');
            for r in 0..40usize {
                let row: Vec<String> = (0..width).map(|i| ((i * r + if i == width - 1 { r % 2 } else { 0 }) % 7).to_string()).collect();
                text.push_str(&row.join(","));
                text.push('\n');
            }
            parse_csv(text.as_bytes(), "wide.csv", &ParseOptions::default()).unwrap()
        };
        let job = Run::start(&wide(3_000), &RunOptions::new("c2999")).unwrap();
        assert!(job.left_out().iter().all(|l| l.model != "logistic"), "{:?}", job.left_out());
        let ds = wide(10_000);
        let target = "c9999".to_string();
        let job = Run::start(&ds, &RunOptions::new(&target)).unwrap();
        let out: Vec<&str> = job.left_out().iter().map(|l| l.model.as_str()).collect();
        assert!(out.contains(&"logistic"), "{:?}", job.left_out());
        let logistic = job.left_out().iter().find(|l| l.model == "logistic").unwrap();
        assert!(logistic.reason.contains("10000 features") || logistic.reason.contains("9999 features"), "{}", logistic.reason);
        // The penalised candidates are slow there; the plain one stays.
        assert!(logistic.reason.starts_with("2 of its 3 candidates"), "{}", logistic.reason);
        let searched: Vec<ModelSpec> = job.pending().iter().map(|t| t.model.clone()).filter(|m| m.name() == "logistic").collect();
        assert_eq!(searched, [ModelSpec::Logistic { alpha: 0.0 }]);
        assert!(job.pending().iter().any(|t| t.model.name() == "random_forest"));
        let named = Run::start(&ds, &RunOptions { models: Some(vec!["logistic".into()]), ..RunOptions::new(&target) }).unwrap();
        assert!(named.left_out().is_empty());
        assert!(named.pending().iter().all(|t| t.model.name() == "logistic"));
        assert!(Run::start(&iris(), &RunOptions::new("species")).unwrap().left_out().is_empty());
    }

    /// Logistic weights that run off to infinity (no penalty, 3 rows of a
    /// rare class in 300) are a failed candidate that says what to do: the
    /// search had scored the model, which predicted the rare class
    /// everywhere, as an accuracy of 0.0089.
    #[test]
    fn diverging_logistic_weights_are_a_failed_candidate() {
        let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rare_class.csv")).unwrap();
        let ds = crate::data::parse_csv(&csv, "rare_class.csv", &crate::data::ParseOptions::default()).unwrap();
        let out = run(&ds, &RunOptions { models: Some(vec!["logistic".into()]), ..RunOptions::new("label") }).unwrap();
        let trials = &out.search.as_ref().expect("a search").trials;
        let plain = trials.iter().find(|t| t.model == ModelSpec::Logistic { alpha: 0.0 }).expect("the alpha=0 candidate");
        let error = plain.error.as_deref().unwrap_or_default();
        assert!(error.contains("logistic regression with alpha=0 gave weights that are not finite: without a penalty"), "{:?}", plain);
        assert!(trials.iter().filter(|t| t.error.is_none()).all(|t| t.mean.is_some_and(|s| s > 0.9)), "{trials:?}");
    }

    /// With no search, a model named alone is fitted with scikit-learn's
    /// defaults: logistic regression with C = 1 (alpha 1) trains on the
    /// rare class where the unpenalised first grid point failed; k-NN has
    /// k = 5 and a tree no depth limit.
    #[test]
    fn one_model_without_search_takes_scikit_learns_defaults() {
        let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rare_class.csv")).unwrap();
        let ds = crate::data::parse_csv(&csv, "rare_class.csv", &crate::data::ParseOptions::default()).unwrap();
        let one = |name: &str| RunOptions { search: Some(Strategy::None), models: Some(vec![name.into()]), ..RunOptions::new("label") };
        let out = run(&ds, &one("logistic")).unwrap();
        assert_eq!(out.config.model, ModelSpec::Logistic { alpha: 1.0 });
        assert!(out.result.metrics.iter().all(|m| m.value.is_some_and(f64::is_finite)), "{:?}", out.result.metrics);
        assert_eq!(one("knn").single_model().unwrap(), ModelSpec::Knn { k: 5 });
        assert_eq!(one("tree").single_model().unwrap(), ModelSpec::DecisionTree { max_depth: None, min_samples_leaf: 1, min_samples_split: 2 });
        assert_eq!(one("ridge").single_model().unwrap(), ModelSpec::Ridge { alpha: 1.0 });
        assert!(one("nope").single_model().is_err());
    }

    /// On 30 rows the default grid's k = 15 has more neighbours than a
    /// fold's 13 training rows: left out and said, not a failed candidate.
    #[test]
    fn knn_with_more_neighbours_than_a_fold_is_left_out() {
        let csv: String = std::iter::once("x,z,y\n".to_string()).chain((0..30).map(|i| format!("{},{},{}\n", i % 7, (i * 3) % 11, ["a", "b"][i % 2]))).collect();
        let ds = crate::data::parse_csv(csv.as_bytes(), "t.csv", &crate::data::ParseOptions::default()).unwrap();
        let job = Run::start(&ds, &RunOptions::new("y")).unwrap();
        let knn = job.left_out().iter().find(|l| l.model == "knn").expect("knn's k = 15 left out");
        assert!(knn.reason.starts_with("its candidates with k = 15: more neighbours than the "), "{}", knn.reason);
        assert!(job.pending().iter().all(|t| !matches!(t.model, ModelSpec::Knn { k: 15 })));
        assert!(job.pending().iter().any(|t| matches!(t.model, ModelSpec::Knn { k: 3 })));
        let out = run(&ds, &RunOptions::new("y")).unwrap();
        assert!(out.search.unwrap().trials.iter().all(|t| t.error.is_none()));
    }

    /// Amounts with one word among them, as a target, are too many classes:
    /// the error says the way that works (read the numbers), as regression
    /// fails on such labels too; followed, the run is a regression.
    #[test]
    fn amounts_with_a_word_as_target_are_told_to_read_the_numbers() {
        let mut csv = String::from("x,price\n");
        for i in 0..400 {
            csv.push_str(&format!("{},{}\n", i % 7, if i == 29 { "abc".to_string() } else { format!("{}.{:02}", 20 + i, i % 100) }));
        }
        let ds = crate::data::parse_csv(csv.as_bytes(), "t.csv", &crate::data::ParseOptions::default()).unwrap();
        let Err(e) = run(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("price") }) else { panic!("too many classes expected") };
        assert!(e.to_string().contains("if its values are amounts, 399 of its 400 values are numbers: to predict them, read them as numbers (the others, such as \"abc\" in row 30, become missing"), "{e}");
        let steps = vec![StepSpec::ParseNumbers { column: "price".into() }];
        let out = run(&ds, &RunOptions { search: Some(Strategy::None), recipe: steps, ..RunOptions::new("price") }).unwrap();
        assert_eq!(out.config.task, Task::Regression);
    }

    /// A model named twice, or by its name and an alias, is searched once.
    #[test]
    fn models_named_twice_are_searched_once() {
        let ds = iris();
        let planned = |models: &[&str]| Run::start(&ds, &RunOptions { models: Some(models.iter().map(|m| m.to_string()).collect()), ..RunOptions::new("species") }).unwrap().planned();
        assert_eq!(planned(&["knn", "knn"]), planned(&["knn"]));
        assert_eq!(planned(&["tree", "decision_tree"]), planned(&["decision_tree"]));
        assert_eq!(distinct_models(&["knn".into(), "tree".into(), "knn".into(), "decision_tree".into()]), ["knn", "decision_tree"]);
        // With no search, one model however often it is named.
        assert!(run(&ds, &RunOptions { search: Some(Strategy::None), models: Some(vec!["knn".into(), "knn".into()]), ..RunOptions::new("species") }).is_ok());
    }

    /// A column the recipe leaves out on all the training rows (names,
    /// each in one row: 24 of them, past the identifier rule's 20) is left
    /// out of every fold too (a fold's 16 fell under it and were one-hot
    /// encoded: more columns than rows, and least squares failed on every
    /// fold while the final model, without them, fitted).
    #[test]
    fn folds_leave_out_what_the_final_recipe_leaves_out() {
        let mut text = String::from("name,a,b,y\n");
        for i in 0..32 {
            text.push_str(&format!("district {i},{},{},{}\n", (i * 7) % 11, (i * 5) % 13, 3 * ((i * 7) % 11) + (i * 5) % 13 + i % 3));
        }
        let ds = parse_csv(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let out = run(&ds, &RunOptions { models: Some(vec!["linear".into()]), task: Some(Task::Regression), ..RunOptions::new("y") }).unwrap();
        let trials = out.search.unwrap().trials;
        assert_eq!(trials.len(), 1);
        assert_eq!(trials[0].error, None, "{:?}", trials[0]);
        assert!(trials[0].mean.is_some_and(|r2| r2 > 0.9), "{:?}", trials[0]);
        assert!(out.recipe.dropped().iter().any(|(c, _)| *c == "name"));
    }

    /// Whole numbers each in about one row are amounts, even when few
    /// (Longley's 16 employment figures were taken for 16 classes and
    /// the run stopped); few values repeated are classes.
    #[test]
    fn few_whole_numbers_each_once_are_amounts() {
        let text: String = std::iter::once("x,y,c\n".to_string()).chain((0..16).map(|i| format!("{i},{},{}\n", 60_000 + (i * 7919) % 10_000, i % 3))).collect();
        let ds = parse_csv(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(infer_task(&ds, "y").unwrap(), Task::Regression);
        assert_eq!(infer_task(&ds, "c").unwrap(), Task::Classification);
        let two = parse_csv(b"x,y\n1,0\n2,1\n3,1\n", "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(infer_task(&two, "y").unwrap(), Task::Classification);
    }

    /// A random search not told how many candidates draws 8, as the
    /// page's does (the command drew the whole grid: 17 of 17).
    #[test]
    fn a_random_search_draws_eight_unless_told() {
        let job = Run::start(&iris(), &RunOptions { search: Some(Strategy::Random), ..RunOptions::new("species") }).unwrap();
        assert_eq!(job.planned(), search::RANDOM_TRIALS);
        let job = Run::start(&iris(), &RunOptions { search: Some(Strategy::Random), trials: Some(12), ..RunOptions::new("species") }).unwrap();
        assert_eq!(job.planned(), 12);
    }

    /// A search over the time allowed in all is refused, but not when a
    /// time budget ends it sooner: then the estimate is the budget and the
    /// dearest candidate (the page's advice to set a time limit did not
    /// help before).
    #[test]
    fn a_time_budget_bounds_the_estimate_of_a_search() {
        let forest = || RunOptions { models: Some(vec!["random_forest".into()]), max_seconds: Some(0.01), ..RunOptions::new("species") };
        let err = Run::start(&iris(), &forest()).unwrap_err();
        assert_eq!(err.code(), "over_budget", "{err}");
        assert!(err.to_string().contains("(2 candidates × 3 folds)"), "{err}");
        let job = Run::start(&iris(), &RunOptions { time_budget_seconds: Some(1e-6), ..forest() }).unwrap();
        assert_eq!(job.pending().len(), 2);
    }

    /// Targets that cannot be learned are refused before any split or
    /// search, each with its own reason: a different value in every row
    /// (an identifier, as text or as numbers), and one value in every row
    /// for regression (which made the search fail on an unrelated model
    /// error), also when only the training rows are constant.
    #[test]
    fn unlearnable_targets_are_refused_with_their_reason() {
        let parse = |text: &str| parse_csv(text.as_bytes(), "t.csv", &ParseOptions::default()).unwrap();
        let mut ids = String::from("x,id,n\n");
        for i in 0..40 {
            ids.push_str(&format!("{},u{i}x,{}\n", i % 3, 100 + i));
        }
        let ds = parse(&ids);
        let err = Run::start(&ds, &RunOptions::new("id")).unwrap_err();
        assert_eq!(err.code(), "no_repeated_class", "{err}");
        assert!(err.to_string().contains("a different value in each of its 40 rows"), "{err}");
        assert!(err.to_string().ends_with("choose another target"), "{err}");
        let err = Run::start(&ds, &RunOptions { task: Some(Task::Classification), ..RunOptions::new("n") }).unwrap_err();
        assert_eq!(err.code(), "no_repeated_class", "{err}");
        assert!(err.to_string().contains("or regression"), "{err}");
        // Two repeated classes among 38 of one row: a test set of 2 rows
        // where 11 were asked for is refused, saying why.
        let mut some = ids.clone();
        some.push_str("1,u0x,100\n1,u1x,101\n");
        let ds = parse(&some);
        let err = Run::start(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("id") }).unwrap_err();
        assert_eq!(err.to_string(), "the test set would hold only 2 of 42 rows (a test fraction asks for 11): 38 classes of \"id\" have one row each, and a class's only row is kept for training; merge rare classes or use more data");
        // Prices with a few words among them: as classes, each price its
        // own; as regression, text. Both say how to read the numbers.
        let mut prices = String::from("x,price\n");
        for i in 0..80 {
            prices.push_str(&format!("{i},{}\n", if i % 20 == 7 { "call".to_string() } else { format!("{}.{:02}", i * 3, i % 100) }));
        }
        let ds = parse(&prices);
        let read = "76 of its 80 values are numbers: to predict them, read them as numbers (the others, such as \"call\" in row 8, become missing and their rows are left out) (--step parse_numbers:price, or the \"Add step\" of the alert on \"price\" in the page)";
        // Every price different, one word: no class repeats, and the same way out.
        let mut unique = String::from("x,price\n");
        for i in 0..40 {
            unique.push_str(&format!("{i},{}\n", if i == 5 { "call".to_string() } else { (1000 + i * 17).to_string() }));
        }
        let err = Run::start(&parse(&unique), &RunOptions::new("price")).unwrap_err();
        assert_eq!((err.code(), err.to_string()), ("no_repeated_class", "target \"price\" has a different value in each of its 40 rows, so no class can be both learned and tested; it looks like an identifier or free text: choose another target; if its values are amounts, 39 of its 40 values are numbers: to predict them, read them as numbers (the others, such as \"call\" in row 6, become missing and their rows are left out) (--step parse_numbers:price, or the \"Add step\" of the alert on \"price\" in the page)".to_string()));
        let err = Run::start(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("price") }).unwrap_err();
        assert_eq!((err.code(), err.to_string()), ("small_test_set", format!("the test set would hold only 1 of 80 rows (a test fraction asks for 20): 76 classes of \"price\" have one row each, and a class's only row is kept for training; if its values are amounts, {read}")));
        let err = Run::start(&ds, &RunOptions { task: Some(Task::Regression), ..RunOptions::new("price") }).unwrap_err();
        assert_eq!(err.to_string(), format!("target \"price\" holds text, so it cannot be used for regression; {read}"));
        // A cast on the target is refused as such, with the step that works.
        let cast = RunOptions { recipe: vec![StepSpec::Cast { column: "price".into(), to: crate::data::ColumnKind::Float }], ..RunOptions::new("price") };
        let err = Run::start(&ds, &cast).unwrap_err();
        assert!(err.to_string().contains("\"price\" names a column that is not a feature: it is the target, which a cast does not change; to predict the numbers its labels write, read them with a parse_numbers step on it instead"), "{err}");
        // Following it trains a regression on the 76 numbers.
        let job = Run::start(&ds, &RunOptions { search: Some(Strategy::None), recipe: vec![StepSpec::ParseNumbers { column: "price".into() }], ..RunOptions::new("price") }).unwrap();
        assert_eq!(job.task(), Task::Regression);

        let mut constant = String::from("x,y\n");
        for i in 0..30 {
            constant.push_str(&format!("{i},2.5\n"));
        }
        let err = Run::start(&parse(&constant), &RunOptions::new("y")).unwrap_err();
        assert_eq!(err.code(), "constant_target", "{err}");
        assert!(err.to_string().contains("the same value (2.5) in every row"), "{err}");
        // Constant in the training rows only: one other value, which a
        // split with this seed puts in the test part.
        let other = (0..200u64)
            .find(|&seed| {
                let mut t = constant.clone();
                t.push_str("30,7.5\n");
                let e = Run::start(&parse(&t), &RunOptions { seed: Some(seed), ..RunOptions::new("y") });
                matches!(&e, Err(e) if e.code() == "constant_target" && e.to_string().contains("every training row"))
            });
        assert!(other.is_some());
    }

    /// Trials recorded in reverse order (as a pool of workers might finish
    /// them) give the same leaderboard and manifest as step by step.
    #[test]
    fn any_order_gives_the_same_leaderboard() {
        let ds = parse_csv(include_bytes!("../www/data/breast_cancer.csv"), "b.csv", &ParseOptions::default()).unwrap();
        let opts = RunOptions { target: "diagnosis".into(), ..halving(&["knn", "tree", "gaussian_nb", "svc", "logistic"]) };
        let stepped = run(&ds, &opts).unwrap();
        let mut job = Run::start(&ds, &opts).unwrap();
        let mut rungs = 0;
        loop {
            let pending = job.pending();
            if pending.is_empty() {
                break;
            }
            rungs += 1;
            let results: Vec<Trial> = pending.iter().rev().map(|s| job.run_trial(&ds, s).unwrap()).collect();
            for t in results {
                job.record(t).unwrap();
            }
        }
        assert!(rungs >= 2, "halving ran {rungs} rung(s)");
        let out = job.finish(&ds).unwrap();
        assert_eq!(out, stepped);
        let search = out.search.clone().unwrap();
        assert!(search.trials.iter().any(|t| t.rung > 0));
        assert_eq!(search.trials[search.best.unwrap()].rung, search.trials.iter().map(|t| t.rung).max().unwrap());
        let manifest = out.manifest(BTreeMap::new());
        assert!(replay(&ds, &manifest).unwrap().reproduced);
    }

    #[test]
    fn foreign_and_repeated_trials_are_refused() {
        let ds = iris();
        let mut job = Run::start(&ds, &halving(&["knn", "tree"])).unwrap();
        let spec = job.pending()[0].clone();
        let trial = job.run_trial(&ds, &spec).unwrap();
        let mut other = trial.clone();
        other.model = ModelSpec::GaussianNb;
        assert_eq!(job.record(other).unwrap_err().code(), "foreign_trial");
        let mut far = trial.clone();
        far.index = 999;
        assert_eq!(job.record(far).unwrap_err().code(), "foreign_trial");
        job.record(trial.clone()).unwrap();
        assert_eq!(job.record(trial).unwrap_err().code(), "foreign_trial");
    }

    #[test]
    fn time_budget_cuts_the_search_short_and_replays() {
        let ds = iris();
        let opts = RunOptions { time_budget_seconds: Some(1.0), search: Some(Strategy::Grid), ..halving(&["knn", "tree"]) };
        let mut job = Run::start(&ds, &opts).unwrap();
        job.step(&ds).unwrap();
        assert!(!job.note_elapsed(999.0));
        job.step(&ds).unwrap();
        assert!(job.note_elapsed(1000.0));
        assert!(job.pending().is_empty());
        let out = job.finish(&ds).unwrap();
        let search = out.search.as_ref().unwrap();
        assert!(search.cut_short);
        assert_eq!(search.trials.len(), 2);
        assert!(replay(&ds, &out.manifest(BTreeMap::new())).unwrap().reproduced);
        let bad = RunOptions { time_budget_seconds: Some(0.0), ..opts };
        assert_eq!(Run::start(&ds, &bad).unwrap_err().code(), "bad_search_config");
    }

    /// Once the budget is spent no further trial starts, however long the
    /// last one took (a first trial of 94 s against a budget of 15 s used to
    /// be followed by another): the times are fed in, as callers measure them.
    #[test]
    fn a_spent_budget_starts_no_further_trial() {
        let ds = iris();
        let opts = RunOptions { time_budget_seconds: Some(15.0), search: Some(Strategy::Grid), ..halving(&["knn", "tree"]) };
        let mut job = Run::start(&ds, &opts).unwrap();
        assert!(job.pending().len() >= 3);
        assert!(job.step_within_budget(&ds, 0.0).unwrap().is_some());
        // The first trial took 94 s: the budget is spent before the second.
        assert!(job.budget_spent(94_000.0));
        assert!(!job.budget_spent(14_999.0));
        let shared: &Run = &job;
        assert!(shared.budget_spent(15_000.0), "a shared run says the budget is spent without being stopped");
        assert!(job.step_within_budget(&ds, 94_000.0).unwrap().is_none());
        assert_eq!(job.trials().len(), 1);
        assert!(job.pending().is_empty());
        assert!(job.step_within_budget(&ds, 1.0).unwrap().is_none(), "a stopped search stays stopped");
        assert!(job.step(&ds).unwrap().is_none());
        let out = job.finish(&ds).unwrap();
        let search = out.search.as_ref().unwrap();
        assert!(search.cut_short);
        assert_eq!(search.trials.len(), 1);
        assert!(replay(&ds, &out.manifest(BTreeMap::new())).unwrap().reproduced);
        // Without a budget, time never stops the search.
        let mut free = Run::start(&ds, &RunOptions { time_budget_seconds: None, ..opts }).unwrap();
        assert!(!free.budget_spent(f64::MAX));
        assert!(free.step_within_budget(&ds, 1e12).unwrap().is_some());
    }

    /// Test rows that repeat a training row exactly are counted (the same
    /// count as comparing every pair), recorded, and left out of the
    /// manifest when there are none.
    #[test]
    fn test_rows_repeating_training_rows_are_counted() {
        let mut csv = String::from("x,y\n");
        for i in 0..60 {
            csv += &format!("{},{}\n", i % 20, if i % 2 == 0 { "a" } else { "b" });
        }
        let ds = parse_csv(csv.as_bytes(), "d.csv", &ParseOptions::default()).unwrap();
        let out = run(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("y") }).unwrap();
        let r = Run::start(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("y") }).unwrap();
        let brute = r.test_rows.iter().filter(|&&t| r.train_rows.iter().any(|&k| ds.rows_equal(k, t))).count();
        assert!(brute > 0);
        assert_eq!(out.split.test_rows_in_training, brute);
        assert!(out.manifest(BTreeMap::new()).to_json().unwrap().contains("\"test_rows_in_training\""));
        let clean = iris_without_duplicates();
        let out = run(&clean, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("species") }).unwrap();
        assert_eq!(out.split.test_rows_in_training, 0);
        assert!(!out.manifest(BTreeMap::new()).to_json().unwrap().contains("test_rows_in_training"));
    }

    fn iris_without_duplicates() -> Dataset {
        let text = String::from_utf8(include_bytes!("../www/data/iris.csv").to_vec()).unwrap();
        let mut seen = std::collections::HashSet::new();
        let kept: String = text.lines().filter(|l| seen.insert(l.to_string())).map(|l| format!("{l}\n")).collect();
        parse_csv(kept.as_bytes(), "iris.csv", &ParseOptions::default()).unwrap()
    }

    /// A trial budget below the grid's size that leaves a named model with
    /// no candidate says so, by model, and the run still replays.
    #[test]
    fn a_trial_budget_that_skips_a_model_says_so() {
        let ds = iris();
        let opts = RunOptions { search: Some(Strategy::Grid), models: Some(vec!["knn".into(), "svc".into()]), trials: Some(2), ..RunOptions::new("species") };
        let r = Run::start(&ds, &opts).unwrap();
        assert_eq!(r.left_out(), [LeftOut { model: "svc".into(), reason: "none of its 3 candidates ran: the grid has 6 candidates and the first 2 ran (trials 2); raise the trials to 6 to search them all".into() }]);
        let m = run(&ds, &opts).unwrap().manifest(BTreeMap::new());
        assert!(replay(&ds, &m).unwrap().reproduced);
        // A budget that covers the grid leaves nothing out.
        assert!(Run::start(&ds, &RunOptions { trials: Some(6), ..opts }).unwrap().left_out().is_empty());
    }

    /// Every figure the record shows is compared: a leaderboard's mean or
    /// std, a halving trial's share of rows, and the split's stratification
    /// and overlap count edited by hand are each named.
    #[test]
    fn replay_names_edited_leaderboard_and_split_figures() {
        let ds = iris();
        let m = run(&ds, &halving(&["knn", "tree"])).unwrap().manifest(BTreeMap::new());
        assert!(replay(&ds, &m).unwrap().reproduced);
        let share = 2;
        assert_ne!(m.search.as_ref().unwrap().trials[share].row_share, Some(0.99));
        let mut edited = m.clone();
        let search = edited.search.as_mut().unwrap();
        search.trials[0].mean = Some(0.1);
        search.trials[1].std = Some(0.1);
        search.trials[share].row_share = Some(0.99);
        edited.split.stratified = !edited.split.stratified;
        edited.split.test_rows_in_training += 3;
        let report = replay(&ds, &edited).unwrap();
        assert!(!report.reproduced);
        let fields: Vec<String> = report.differences.iter().map(|d| d.field.clone()).collect();
        let (i0, i1, is) = (m.search.as_ref().unwrap().trials[0].index, m.search.as_ref().unwrap().trials[1].index, m.search.as_ref().unwrap().trials[share].index);
        for want in [format!("search.trials[{i0}].mean"), format!("search.trials[{i1}].std"), format!("search.trials[{is}].row_share"), "split.stratified".into(), "split.test_rows_in_training".into()] {
            assert!(fields.contains(&want), "{want} not in {fields:?}");
        }
        let mean = report.differences.iter().find(|d| d.field == format!("search.trials[{i0}].mean")).unwrap();
        assert_eq!(mean.expected, "0.1");
        assert_eq!(fields.len(), 5, "{fields:?}");
    }

    /// A recipe step added to the record by hand is named, not only
    /// counted in recipe.steps.length.
    #[test]
    fn replay_names_a_recipe_step_only_the_record_has() {
        let ds = iris();
        let m = run(&ds, &RunOptions { search: Some(Strategy::None), ..RunOptions::new("species") }).unwrap().manifest(BTreeMap::new());
        let mut edited = m.clone();
        let n = edited.recipe.steps.len();
        edited.recipe.steps.push(edited.recipe.steps[0].clone());
        let report = replay(&ds, &edited).unwrap();
        let extra = report.differences.iter().find(|d| d.field == format!("recipe.steps[{n}]")).expect("the extra step named");
        assert_eq!(extra.found, "absent");
        assert_eq!(extra.expected, serde_json::to_string(&m.recipe.steps[0]).unwrap());
    }

    /// A leaderboard with a candidate taken out (or renumbered) is not the
    /// search that ran: replay runs the whole search again and names the
    /// trial, so a cherry-picked record cannot pass as reproduced.
    #[test]
    fn replay_names_trials_taken_out_of_the_record() {
        let ds = iris();
        let opts = RunOptions { search: Some(Strategy::Grid), ..halving(&["knn", "tree"]) };
        let m = run(&ds, &opts).unwrap().manifest(BTreeMap::new());
        assert!(replay(&ds, &m).unwrap().reproduced);
        let n = m.search.as_ref().unwrap().trials.len();
        assert!(n >= 4);

        let mut cut = m.clone();
        let removed = cut.search.as_mut().unwrap().trials.remove(2);
        let report = replay(&ds, &cut).unwrap();
        assert!(!report.reproduced);
        let fields: Vec<&str> = report.differences.iter().map(|d| d.field.as_str()).collect();
        let named = format!("search.trials[{}]", removed.index);
        assert!(fields.contains(&named.as_str()), "{fields:?}");
        assert!(fields.contains(&"search.trials.length"), "{fields:?}");
        let d = report.differences.iter().find(|d| d.field == named).unwrap();
        assert_eq!(d.expected, "absent");
        // Only that trial differs among the trials: the rest still match by index.
        assert!(!fields.iter().any(|f| f.ends_with(".fold_scores")), "{fields:?}");

        let mut renumbered = m.clone();
        renumbered.search.as_mut().unwrap().trials[1].index = 77;
        let report = replay(&ds, &renumbered).unwrap();
        let fields: Vec<&str> = report.differences.iter().map(|d| d.field.as_str()).collect();
        assert!(fields.contains(&"search.trials[77]") && fields.contains(&"search.trials[1]"), "{fields:?}");
        assert!(!fields.contains(&"search.trials.length"), "{fields:?}");
    }

    #[test]
    fn spaces_become_the_recorded_grid() {
        let ds = iris();
        let spaces = serde_json::json!([{"model": "knn", "k": [3, 9]}, {"model": "svc", "c": [0.5], "kernel": ["linear", "rbf"]}]);
        let opts = RunOptions { spaces: Some(spaces), metric: Some(RankMetric::RocAuc), ..RunOptions::new("species") };
        let out = run(&ds, &opts).unwrap();
        let config = out.config.search.as_ref().unwrap();
        assert_eq!(config.grid.as_ref().unwrap().len(), 4);
        assert_eq!(config.models, ["knn", "svc"]);
        assert!(out.search.as_ref().unwrap().trials.iter().all(|t| t.mean.is_some_and(|m| m > 0.9)));
        assert!(replay(&ds, &out.manifest(BTreeMap::new())).unwrap().reproduced);
        for (spaces, field) in [
            (serde_json::json!([{"model": "knn", "kk": [3]}]), "spaces[0].kk"),
            (serde_json::json!([{"model": "knn", "k": [3, 0]}]), "spaces[0].k[1]"),
            (serde_json::json!([{"model": "knn", "k": ["x"]}]), "spaces[0].k[0]"),
            (serde_json::json!([{"model": "svc", "kernel": ["poly"]}]), "spaces[0].kernel[0]"),
            (serde_json::json!([{"model": "ridge"}]), "spaces[0].model"),
            (serde_json::json!({"model": "knn"}), "spaces"),
        ] {
            let opts = RunOptions { spaces: Some(spaces.clone()), ..RunOptions::new("species") };
            let err = Run::start(&ds, &opts).unwrap_err();
            assert_eq!(err.code(), "bad_search_config", "{spaces}: {err}");
            assert!(err.to_string().contains(&format!("{field}:")), "{spaces}: {err}");
        }
    }
}
