//! Preparation: the recipe that turns typed columns into a numeric matrix.
//!
//! Takes a [`Dataset`], the feature columns, the training rows and the
//! user's steps ([`StepSpec`], e.g. an alert's fix); fits a [`Recipe`] on
//! the training rows only and applies it to any rows — test, replay or new
//! data — the same way. Without user steps the recipe is the default:
//! missing numbers imputed with the training median, labels one-hot
//! encoded. The fitted recipe is plain data, recorded in the manifest, and
//! gives back the user's steps ([`Recipe::spec`]) for replay. No wasm here.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::{ColumnKind, ColumnValues, Dataset, Num};

/// Most one-hot columns the default encoding makes of one categorical
/// column; rarer levels are encoded as all zeros, like an unseen category.
/// A one-hot step the user asks for keeps every training label (up to
/// [`MAX_ASKED_ONE_HOT_LEVELS`]).
pub const MAX_ONE_HOT_LEVELS: usize = 100;

/// Most training labels a one-hot step the user asks for encodes (one
/// column each); past it the step is refused, naming ordinal or
/// drop_column instead.
pub const MAX_ASKED_ONE_HOT_LEVELS: usize = 1_000;

/// Distinct labels, each in a single training row, from which the default
/// encoding drops a column as an identifier or free text: one-hot columns
/// of labels seen once cannot generalise, and would be up to
/// [`MAX_ONE_HOT_LEVELS`] columns of noise.
pub const ID_LIKE_MIN_LABELS: usize = 20;

/// The columns dropped and why, said after a message: empty, or
/// ` ("a": why; "b": why)`, the first five and how many more.
pub fn dropped_text(dropped: &[(String, String)]) -> String {
    let said: Vec<String> = dropped.iter().map(|(column, reason)| format!("\"{column}\": {reason}")).collect();
    match said.len() {
        0 => String::new(),
        1..=5 => format!(" ({})", said.join("; ")),
        n => format!(" ({}; and {} more)", said[..5].join("; "), n - 5),
    }
}

/// Errors from fitting or applying a recipe.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PrepareError {
    /// Nothing left to learn from.
    #[error("no feature columns are left to train on: every column is the target or was dropped{}", dropped_text(dropped))]
    NoFeatures {
        /// The columns dropped and why (the reason as the step records it).
        dropped: Vec<(String, String)>,
    },
    /// The recipe names a column the data does not have.
    #[error("the recipe needs column \"{column}\", which the data does not have")]
    MissingColumn {
        /// The column name.
        column: String,
    },
    /// The recipe expects another kind of column.
    #[error("the recipe expects column \"{column}\" to hold {expected}, but it holds {found}")]
    KindMismatch {
        /// The column name.
        column: String,
        /// `numbers` or `labels`, as when fitted.
        expected: String,
        /// `numbers` or `labels`, now.
        found: String,
    },
    /// A step that cannot apply to its column.
    #[error("recipe step {step} cannot apply to column \"{column}\": {reason}")]
    BadStep {
        /// The column.
        column: String,
        /// The step's name.
        step: String,
        /// Why not.
        reason: String,
    },
    /// The same step given twice.
    #[error("recipe step {step}{on} is given twice (whatever its settings, a column takes one step of each kind); give it once")]
    RepeatedStep {
        /// The step's name.
        step: String,
        /// ` on column "…"`, or nothing for a step on rows.
        on: String,
    },
    /// A step names a column that is not a feature (the target, or absent).
    #[error("the recipe step for \"{column}\" names a column that is not a feature: {why}")]
    NotAFeature {
        /// The column.
        column: String,
        /// Why not, and what to do.
        why: &'static str,
    },
    /// A label not seen in training, under the `error` rule.
    #[error("row {row}, column \"{column}\": the label \"{label}\" was not seen in training (the one-hot step's unseen rule is error); to score such rows with all-zero columns, set its unseen rule to zeros")]
    UnseenLabel {
        /// The data row (1-based, as the file counts them after the header).
        row: usize,
        /// The column.
        column: String,
        /// The label (at most 100 characters).
        label: String,
    },
    /// The matrix would be too big to allocate.
    #[error("the prepared matrix of {rows} rows by {columns} columns is too large to hold in memory")]
    TooLarge {
        /// Rows.
        rows: usize,
        /// Columns.
        columns: usize,
    },
}

impl PrepareError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PrepareError::NoFeatures { .. } => "no_features",
            PrepareError::MissingColumn { .. } => "missing_column",
            PrepareError::KindMismatch { .. } => "kind_mismatch",
            PrepareError::TooLarge { .. } => "too_large",
            PrepareError::BadStep { .. } | PrepareError::RepeatedStep { .. } => "bad_step",
            PrepareError::NotAFeature { .. } => "not_a_feature",
            PrepareError::UnseenLabel { .. } => "unseen_label",
        }
    }
}

/// How [`StepSpec::Impute`] fills missing values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImputeStrategy {
    /// Training mean (numbers only).
    Mean,
    /// Training median (numbers only).
    Median,
    /// Most frequent training value (ties: the smaller number, or the label
    /// in the earliest training row, in file order).
    Mode,
    /// A fixed value, written as text (`"0"`, `"unknown"`).
    Constant(String),
}

/// How [`StepSpec::Scale`] rescales a numeric column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleMethod {
    /// Subtract the training mean, divide by the training standard deviation.
    Standard,
    /// Map the training range onto [0, 1].
    MinMax,
    /// Subtract the training median, divide by the interquartile range.
    Robust,
}

/// What one-hot encoding does with a label not seen in training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnseenRule {
    /// All zeros (the default, as for a missing value).
    #[default]
    Zeros,
    /// Stop with an error naming the row and the label.
    Error,
}

/// A step the user asks for (or an alert suggests), before fitting. The
/// default recipe needs none; [`Recipe::fit_with`] applies them in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepSpec {
    /// Leave the column out.
    DropColumn {
        /// The column.
        column: String,
    },
    /// Fill missing values, optionally adding a 0/1 `column__missing` feature.
    Impute {
        /// The column.
        column: String,
        /// How.
        strategy: ImputeStrategy,
        /// Whether to add the missing-indicator feature.
        #[serde(default)]
        indicator: bool,
    },
    /// Rescale a numeric column.
    Scale {
        /// The column.
        column: String,
        /// How.
        method: ScaleMethod,
    },
    /// One 0/1 feature per training label.
    OneHot {
        /// The column.
        column: String,
        /// Unseen labels: zeros or an error.
        #[serde(default)]
        unseen: UnseenRule,
    },
    /// One feature: the label's place in the stated order (0, 1, …), or
    /// without one its rank among the training labels sorted as text;
    /// labels not seen in training (or not in the stated order) and
    /// missing values are -1.
    Ordinal {
        /// The column.
        column: String,
        /// The order, lowest first (`["low", "medium", "high"]`); every
        /// training label must be in it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        levels: Option<Vec<String>>,
    },
    /// Read a column as another storage: labels to numbers (text that is
    /// not a number becomes missing) or numbers to labels.
    Cast {
        /// The column.
        column: String,
        /// The kind to read it as.
        to: ColumnKind,
    },
    /// Trim labels, collapse inner whitespace and lower-case them, so that
    /// `Red`, ` red` and `RED` are one label.
    NormalizeLabels {
        /// The column.
        column: String,
    },
    /// Read labels that are numbers written with currency signs, percent
    /// signs, thousands marks or a decimal comma as those numbers
    /// (`$1,200.50` is 1200.5, `45%` is 45), or followed by the unit most
    /// of the training labels have (`12 kg` is 12); other labels become
    /// missing. A column of numbers is left as it is.
    ParseNumbers {
        /// The column.
        column: String,
    },
    /// Train on the first of each set of identical training rows only.
    DropDuplicateRows,
}

impl StepSpec {
    /// The column the step is about, if any.
    pub fn column(&self) -> Option<&str> {
        match self {
            StepSpec::DropColumn { column }
            | StepSpec::Impute { column, .. }
            | StepSpec::Scale { column, .. }
            | StepSpec::OneHot { column, .. }
            | StepSpec::Ordinal { column, .. }
            | StepSpec::Cast { column, .. }
            | StepSpec::NormalizeLabels { column }
            | StepSpec::ParseNumbers { column } => Some(column),
            StepSpec::DropDuplicateRows => None,
        }
    }
}

/// The reason recorded when the user's step dropped a column.
pub const USER_DROP: &str = "dropped by a recipe step";

fn is_zeros(r: &UnseenRule) -> bool {
    *r == UnseenRule::Zeros
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One fitted step. Steps for one column run in order on that column's
/// values; a numeric column is emitted after its last step, label columns
/// by their encoding step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum RecipeStep {
    /// Fill missing numbers with the training median (the default step).
    ImputeMedian {
        /// The column.
        column: String,
        /// The training median.
        value: f64,
    },
    /// Expand labels into one 0/1 column per label seen in training (the
    /// default step); missing values are all zeros, unseen labels too
    /// unless the rule is `error`.
    OneHot {
        /// The column.
        column: String,
        /// The labels, in output order.
        levels: Vec<String>,
        /// Unseen labels: zeros (default, not written) or an error.
        #[serde(default, skip_serializing_if = "is_zeros")]
        unseen: UnseenRule,
        /// Asked for by a step (written only then): every training label
        /// kept, and given back by [`Recipe::spec`] for replay. The default
        /// encoding leaves it out, as manifests before it did.
        #[serde(default, skip_serializing_if = "is_false")]
        asked: bool,
    },
    /// Leave a column out.
    DropColumn {
        /// The column.
        column: String,
        /// Why, in words.
        reason: String,
    },
    /// Fill missing values with a fitted number or label.
    Impute {
        /// The column.
        column: String,
        /// How the fill was chosen.
        strategy: ImputeStrategy,
        /// The number filled in (numeric columns).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<f64>,
        /// The label filled in (label columns).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        /// Whether a 0/1 `column__missing` feature is emitted.
        indicator: bool,
    },
    /// `x ↦ (x - center) / scale`.
    Scale {
        /// The column.
        column: String,
        /// How center and scale were chosen.
        method: ScaleMethod,
        /// Subtracted.
        center: f64,
        /// Divided by (never 0).
        scale: f64,
    },
    /// One feature: the label's position in `levels`, or -1.
    Ordinal {
        /// The column.
        column: String,
        /// Training labels sorted as text, or the order the step stated.
        levels: Vec<String>,
        /// Whether `levels` is the step's stated order (written only then,
        /// so manifests from before it read and replay as they did).
        #[serde(default, skip_serializing_if = "is_false")]
        stated: bool,
    },
    /// Read the column as another storage.
    Cast {
        /// The column.
        column: String,
        /// The kind read as.
        to: ColumnKind,
    },
    /// Trim, collapse whitespace and lower-case labels.
    NormalizeLabels {
        /// The column.
        column: String,
    },
    /// Read labels as the numbers they write (see [`StepSpec::ParseNumbers`]).
    ParseNumbers {
        /// The column.
        column: String,
        /// The comma is the decimal mark: fitted from the training labels
        /// (`94.000,50 €`), else the file's reading; then `865.000 €` is
        /// 865000. Written only when true (runs recorded before it read
        /// the point as the decimal mark).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        decimal_comma: bool,
        /// The unit after the numbers (`kg` in `12 kg`), fitted from the
        /// training labels: a label with it is read without it, one with
        /// another unit becomes missing. Written only when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    /// Training used the first of each set of identical rows only.
    DropDuplicateRows {
        /// Training rows left out.
        dropped: usize,
    },
}

impl RecipeStep {
    fn column(&self) -> Option<&str> {
        match self {
            RecipeStep::ImputeMedian { column, .. }
            | RecipeStep::OneHot { column, .. }
            | RecipeStep::DropColumn { column, .. }
            | RecipeStep::Impute { column, .. }
            | RecipeStep::Scale { column, .. }
            | RecipeStep::Ordinal { column, .. }
            | RecipeStep::Cast { column, .. }
            | RecipeStep::NormalizeLabels { column }
            | RecipeStep::ParseNumbers { column, .. } => Some(column),
            RecipeStep::DropDuplicateRows { .. } => None,
        }
    }

    /// Whether the step needs the column's values as numbers (`Some(true)`),
    /// as labels (`Some(false)`), or takes either.
    fn wants_numbers(&self) -> Option<bool> {
        match self {
            RecipeStep::ImputeMedian { .. } | RecipeStep::Scale { .. } => Some(true),
            RecipeStep::Impute { value, .. } => Some(value.is_some()),
            RecipeStep::OneHot { .. } | RecipeStep::Ordinal { .. } | RecipeStep::NormalizeLabels { .. } => Some(false),
            _ => None,
        }
    }
}

/// An ordered list of steps, fitted on training rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    /// The steps, in column order.
    pub steps: Vec<RecipeStep>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    Some(crate::profile::quantile(&v, 0.5))
}

/// A column's values over some rows, as a step sees them.
enum Work {
    Num(Vec<Option<f64>>),
    Lab { levels: Vec<String>, codes: Vec<Option<u32>> },
}

impl Work {
    fn of(values: &ColumnValues, rows: &[usize]) -> Work {
        match values {
            ColumnValues::Numeric(v) => Work::Num(rows.iter().map(|&r| v[r].get()).collect()),
            ColumnValues::Categorical { levels, codes } => Work::Lab { levels: levels.clone(), codes: rows.iter().map(|&r| codes[r].get()).collect() },
        }
    }

    /// As [`Work::of`], for fitting: labels ordered by their first
    /// training row in file order (labels of other rows only after them),
    /// so that what the order decides (a mode's tie, the one-hot columns'
    /// order, the default encoding's cap among equals) comes from the
    /// training rows alone. The data's own order is by first row in the
    /// whole file, test rows included.
    fn of_training(values: &ColumnValues, rows: &[usize]) -> Work {
        let ColumnValues::Categorical { levels, codes } = values else { return Work::of(values, rows) };
        let mut first = vec![usize::MAX; levels.len()];
        for &r in rows {
            if let Some(c) = codes[r].get() {
                first[c as usize] = first[c as usize].min(r);
            }
        }
        let mut order: Vec<usize> = (0..levels.len()).collect();
        // Stable: labels of no training row keep the data's order.
        order.sort_by_key(|&i| first[i]);
        let mut recode = vec![0u32; levels.len()];
        for (to, &from) in order.iter().enumerate() {
            recode[from] = to as u32;
        }
        Work::Lab { levels: order.iter().map(|&i| levels[i].clone()).collect(), codes: rows.iter().map(|&r| codes[r].get().map(|c| recode[c as usize])).collect() }
    }

    fn is_num(&self) -> bool {
        matches!(self, Work::Num(_))
    }

    fn cast(self, from_time: bool, to: ColumnKind) -> Work {
        match (self, to.is_numeric()) {
            (Work::Lab { levels, codes }, true) => {
                let parsed: Vec<Option<f64>> = levels
                    .iter()
                    .map(|l| if to.is_time() { crate::data::parse_time_text(l) } else { crate::data::parse_number_text(l) })
                    .collect();
                Work::Num(codes.iter().map(|c| c.and_then(|c| parsed[c as usize])).collect())
            }
            (Work::Num(v), false) => {
                let mut levels: Vec<String> = Vec::new();
                let mut index = std::collections::HashMap::new();
                let codes = v
                    .iter()
                    .map(|x| {
                        x.map(|x| {
                            let t = if from_time { crate::data::format_time(x) } else { crate::data::format_number(x) };
                            *index.entry(t.clone()).or_insert_with(|| {
                                levels.push(t);
                                levels.len() as u32 - 1
                            })
                        })
                    })
                    .collect();
                Work::Lab { levels, codes }
            }
            (w, _) => w,
        }
    }

    /// Labels as the numbers they write, signs and separators left out
    /// (the comma the decimal mark when `decimal_comma`).
    /// Labels read as numbers (see [`StepSpec::ParseNumbers`]); with
    /// `unit`, a label with that unit after its number (singular or
    /// plural) is read without it.
    fn parse_numbers(self, decimal_comma: bool, unit: Option<&str>) -> Work {
        use crate::profile::alerts::{disguised_number, number_with_unit, same_unit};
        match self {
            Work::Lab { levels, codes } => {
                let read = |l: &str| match (unit, number_with_unit(l, decimal_comma)) {
                    (Some(unit), Some((x, u))) if same_unit(u, unit) => Some(x),
                    (_, Some(_)) => None,
                    _ => disguised_number(l, decimal_comma).map(|(x, _)| x),
                };
                let parsed: Vec<Option<f64>> = levels.iter().map(|l| read(l).filter(|x| x.is_finite())).collect();
                Work::Num(codes.iter().map(|c| c.and_then(|c| parsed[c as usize])).collect())
            }
            w => w,
        }
    }

    fn normalize(self) -> Work {
        match self {
            Work::Lab { levels, codes } => {
                let mut out: Vec<String> = Vec::new();
                let map: Vec<u32> = levels
                    .iter()
                    .map(|l| {
                        let n = crate::profile::normalize_label(l);
                        match out.iter().position(|o| *o == n) {
                            Some(i) => i as u32,
                            None => {
                                out.push(n);
                                out.len() as u32 - 1
                            }
                        }
                    })
                    .collect();
                Work::Lab { levels: out, codes: codes.iter().map(|c| c.map(|c| map[c as usize])).collect() }
            }
            w => w,
        }
    }

    /// Values present (not missing).
    fn present(&self) -> usize {
        match self {
            Work::Num(v) => v.iter().flatten().count(),
            Work::Lab { codes, .. } => codes.iter().flatten().count(),
        }
    }

    /// The first present value, as text.
    fn first_text(&self) -> Option<String> {
        match self {
            Work::Num(v) => v.iter().flatten().next().map(|x| crate::data::format_number(*x)),
            Work::Lab { levels, codes } => codes.iter().flatten().next().map(|c| levels[*c as usize].clone()),
        }
    }

    /// Label counts in level order.
    fn counts(&self) -> Vec<usize> {
        match self {
            Work::Lab { levels, codes } => {
                let mut counts = vec![0; levels.len()];
                for c in codes.iter().flatten() {
                    counts[*c as usize] += 1;
                }
                counts
            }
            Work::Num(_) => Vec::new(),
        }
    }
}

fn bad(column: &str, step: &str, reason: &str) -> PrepareError {
    PrepareError::BadStep { column: column.to_string(), step: step.to_string(), reason: reason.to_string() }
}

/// A step's name as written in a recipe (`impute`, `one_hot`, …).
fn step_name(spec: &StepSpec) -> String {
    serde_json::to_value(spec).ok().and_then(|v| v.get("step").and_then(|s| s.as_str()).map(str::to_string)).unwrap_or_default()
}

impl Recipe {
    /// Fits the default recipe for `features` (column indices) on `rows` of `ds`.
    pub fn fit(ds: &Dataset, features: &[usize], rows: &[usize]) -> Result<Recipe, PrepareError> {
        Recipe::fit_with(ds, features, rows, &[])
    }

    /// Fits the user's `specs` and the default steps for `features` on
    /// `rows` of `ds`. Each column's steps run in the order given; a
    /// numeric column without an impute step gets the default median
    /// imputation before its first scaling (or at the end), a label column
    /// without an encoding step gets the default one-hot encoding.
    pub fn fit_with(ds: &Dataset, features: &[usize], rows: &[usize], specs: &[StepSpec]) -> Result<Recipe, PrepareError> {
        // A step of one kind given twice for a column (or for the rows),
        // whatever its settings, would be fitted twice (a second scale on
        // scaled values, a second impute with nothing left to fill), not
        // what anyone meant.
        let same = |a: &StepSpec, b: &StepSpec| std::mem::discriminant(a) == std::mem::discriminant(b) && a.column() == b.column();
        if let Some(s) = specs.iter().enumerate().find_map(|(i, s)| specs[..i].iter().any(|t| same(t, s)).then_some(s)) {
            return Err(PrepareError::RepeatedStep { step: step_name(s), on: s.column().map_or(String::new(), |c| format!(" on column {}", crate::report::quoted(c))) });
        }
        for s in specs {
            if let Some(c) = s.column() {
                if !features.iter().any(|&f| ds.columns[f].name == c) {
                    let why = if ds.columns.iter().any(|col| col.name == c) {
                        "it is the target; remove the step, or choose another target"
                    } else {
                        "the data has no column of that name; remove the step"
                    };
                    return Err(PrepareError::NotAFeature { column: c.to_string(), why });
                }
            }
        }
        let mut steps = Vec::with_capacity(features.len());
        let mut rows: Vec<usize> = rows.to_vec();
        if specs.contains(&StepSpec::DropDuplicateRows) {
            let keep = ds.first_of_duplicates(&rows);
            steps.push(RecipeStep::DropDuplicateRows { dropped: rows.len() - keep.len() });
            rows = keep.into_iter().map(|p| rows[p]).collect();
        }
        for &f in features {
            let col = &ds.columns[f];
            let column = col.name.clone();
            let mine: Vec<&StepSpec> = specs.iter().filter(|s| s.column() == Some(column.as_str())).collect();
            if mine.iter().any(|s| matches!(s, StepSpec::DropColumn { .. })) {
                // Other steps on a dropped column would do nothing, silently.
                if let Some(other) = mine.iter().find(|s| !matches!(s, StepSpec::DropColumn { .. })) {
                    return Err(bad(&column, &step_name(other), "the column is also dropped (drop_column), so this step would do nothing; remove one of them"));
                }
                steps.push(RecipeStep::DropColumn { column, reason: USER_DROP.into() });
                continue;
            }
            if mine.is_empty() && features.len() > 1 {
                if let Some((first, last)) = row_counter(&col.values, ds.sample.as_ref()) {
                    steps.push(RecipeStep::DropColumn {
                        column,
                        reason: format!("it counts the rows ({first}, {}, … {last} in file order): a row number, not a property of the row; give it a step (such as scale) to keep it", first + 1.0),
                    });
                    continue;
                }
            }
            let mut fitted = Vec::new();
            let mut work = Work::of_training(&col.values, &rows);
            let mut time = col.kind.is_time();
            let mut needs_impute = work.is_num();
            let mut encoded = false;
            let all_missing = || RecipeStep::DropColumn { column: column.clone(), reason: "every training value is missing".into() };
            let mut dropped = false;
            let default_impute = |work: &mut Work, fitted: &mut Vec<RecipeStep>| -> bool {
                if let Work::Num(v) = work {
                    match median(v.iter().flatten().copied().collect()) {
                        Some(value) => {
                            v.iter_mut().for_each(|x| *x = Some(x.unwrap_or(value)));
                            fitted.push(RecipeStep::ImputeMedian { column: column.clone(), value });
                            return true;
                        }
                        None => return false,
                    }
                }
                true
            };
            // Set by a scale step: the recorded recipe fills the missing
            // values with the median before scaling (at fit time and at
            // apply time), so an impute after it would find none left,
            // whether or not the training rows had gaps.
            let mut scaled = false;
            for (k, spec) in mine.iter().enumerate() {
                // An encoding ends the column's steps: one after it would be lost.
                if matches!(spec, StepSpec::OneHot { .. } | StepSpec::Ordinal { .. }) {
                    if let Some(later) = mine.get(k + 1) {
                        let name = step_name(spec);
                        return Err(bad(&column, &step_name(later), &format!("it comes after {name}, which turns the column into its encoding and ends its steps; put it before the {name} step")));
                    }
                }
                match spec {
                    StepSpec::Cast { to, .. } => {
                        let from_time = time;
                        let (before, example) = (work.present(), work.first_text());
                        work = work.cast(from_time, *to);
                        // A cast that empties the column would be recorded
                        // as a drop, and the run would not replay.
                        if before > 0 && work.present() == 0 {
                            return Err(bad(
                                &column,
                                "cast",
                                &format!(
                                    "no training value reads as {} (such as {}), so the cast would leave the column empty; cast it to another type, or drop the column",
                                    to.as_str(),
                                    crate::report::quoted(example.as_deref().unwrap_or_default())
                                ),
                            ));
                        }
                        time = to.is_time();
                        if *to == ColumnKind::Boolean && !work.is_num() {
                            let values = work.counts().iter().filter(|&&n| n > 0).count();
                            if values > 2 {
                                return Err(bad(&column, "cast", &format!("a boolean has two values, and this column has {values} different ones in the training rows; cast it to categorical, or leave it as it is")));
                            }
                        }
                        needs_impute = work.is_num();
                        fitted.push(RecipeStep::Cast { column: column.clone(), to: *to });
                    }
                    StepSpec::ParseNumbers { .. } => {
                        let (decimal_comma, unit) = number_reading(&work, ds.ingest.decimal_comma);
                        let (before, example) = (work.present(), work.first_text());
                        work = work.parse_numbers(decimal_comma, unit.as_deref());
                        if before > 0 && work.present() == 0 {
                            return Err(bad(
                                &column,
                                "parse_numbers",
                                &format!("no training value reads as a number (such as {}), so the step would leave the column empty; remove the step, or drop the column", crate::report::quoted(example.as_deref().unwrap_or_default())),
                            ));
                        }
                        needs_impute = work.is_num();
                        fitted.push(RecipeStep::ParseNumbers { column: column.clone(), decimal_comma, unit });
                    }
                    StepSpec::NormalizeLabels { .. } => {
                        if work.is_num() {
                            // A step before it may have made the numbers.
                            let reading = mine[..k].iter().rev().find(|s| matches!(s, StepSpec::ParseNumbers { .. } | StepSpec::Cast { .. }));
                            let reason = match reading {
                                Some(s) => {
                                    let name = step_name(s);
                                    format!("it comes after {name}, which turns the column into {}; put it before the {name} step", if time { "dates" } else { "numbers" })
                                }
                                None if time => "the column holds dates".to_string(),
                                None => "the column holds numbers".to_string(),
                            };
                            return Err(bad(&column, "normalize_labels", &reason));
                        }
                        work = work.normalize();
                        fitted.push(RecipeStep::NormalizeLabels { column: column.clone() });
                    }
                    StepSpec::Impute { .. } if scaled => {
                        return Err(bad(&column, "impute", "it comes after scale, which fills the missing values with the median before scaling, so it would find none (and a missing indicator would be all zeros); put the impute step before the scale step"));
                    }
                    StepSpec::Impute { strategy, indicator, .. } => match &mut work {
                        Work::Num(v) => {
                            let present: Vec<f64> = v.iter().flatten().copied().collect();
                            let value = match strategy {
                                ImputeStrategy::Mean => (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64),
                                ImputeStrategy::Median => median(present),
                                ImputeStrategy::Mode => {
                                    let mut sorted = present;
                                    sorted.sort_by(f64::total_cmp);
                                    let mut best: Option<(f64, usize)> = None;
                                    for run in sorted.chunk_by(|a, b| a == b) {
                                        if best.is_none_or(|(_, c)| run.len() > c) {
                                            best = Some((run[0], run.len()));
                                        }
                                    }
                                    best.map(|(x, _)| x)
                                }
                                ImputeStrategy::Constant(t) => Some(crate::data::parse_number_text(t).ok_or_else(|| bad(&column, "impute", &format!("the constant {t:?} is not a finite number")))?),
                            };
                            let Some(value) = value else {
                                dropped = true;
                                break;
                            };
                            v.iter_mut().for_each(|x| *x = Some(x.unwrap_or(value)));
                            needs_impute = false;
                            fitted.push(RecipeStep::Impute { column: column.clone(), strategy: strategy.clone(), value: Some(value), label: None, indicator: *indicator });
                        }
                        Work::Lab { .. } => {
                            let label = match strategy {
                                ImputeStrategy::Constant(t) => t.clone(),
                                ImputeStrategy::Mode => {
                                    let counts = work.counts();
                                    let Work::Lab { levels, .. } = &work else { unreachable!() };
                                    match (0..levels.len()).filter(|&i| counts[i] > 0).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))) {
                                        Some(i) => levels[i].clone(),
                                        None => {
                                            dropped = true;
                                            break;
                                        }
                                    }
                                }
                                _ => return Err(bad(&column, "impute", "mean and median need numbers; use mode or constant for labels")),
                            };
                            if let Work::Lab { levels, codes } = &mut work {
                                let code = match levels.iter().position(|l| *l == label) {
                                    Some(i) => i as u32,
                                    None => {
                                        levels.push(label.clone());
                                        levels.len() as u32 - 1
                                    }
                                };
                                codes.iter_mut().for_each(|c| *c = Some(c.unwrap_or(code)));
                            }
                            fitted.push(RecipeStep::Impute { column: column.clone(), strategy: strategy.clone(), value: None, label: Some(label), indicator: *indicator });
                        }
                    },
                    StepSpec::Scale { method, .. } => {
                        if !work.is_num() {
                            return Err(bad(&column, "scale", "the column holds labels; cast it to numbers first"));
                        }
                        scaled = true;
                        if needs_impute {
                            if !default_impute(&mut work, &mut fitted) {
                                dropped = true;
                                break;
                            }
                            needs_impute = false;
                        }
                        let Work::Num(v) = &mut work else { unreachable!() };
                        let mut x: Vec<f64> = v.iter().flatten().copied().collect();
                        x.sort_by(f64::total_cmp);
                        let n = x.len() as f64;
                        let (center, scale) = match method {
                            ScaleMethod::Standard => {
                                let m = x.iter().sum::<f64>() / n;
                                (m, (x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / n).sqrt())
                            }
                            ScaleMethod::MinMax => (x[0], x[x.len() - 1] - x[0]),
                            ScaleMethod::Robust => {
                                let q = |p| crate::profile::quantile(&x, p);
                                (q(0.5), q(0.75) - q(0.25))
                            }
                        };
                        // Constant values keep their scale (1); values whose
                        // spread overflows cannot be scaled at all.
                        if !(scale.is_finite() && center.is_finite()) {
                            return Err(bad(&column, "scale", "its values are too large to scale (their spread overflows a 64-bit float); divide them at the source, or drop the column"));
                        }
                        let scale = if scale > 0.0 { scale } else { 1.0 };
                        v.iter_mut().for_each(|a| *a = a.map(|a| (a - center) / scale));
                        fitted.push(RecipeStep::Scale { column: column.clone(), method: *method, center, scale });
                    }
                    StepSpec::OneHot { .. } | StepSpec::Ordinal { .. } if work.is_num() => {
                        let holds = if time { "dates" } else { "numbers" };
                        return Err(bad(&column, &step_name(spec), &format!("the column holds {holds}; cast it to labels first")));
                    }
                    StepSpec::OneHot { unseen, .. } => {
                        // Asked for, every training label is kept: a cap
                        // would encode some as all zeros, or call them
                        // unseen under the error rule.
                        let levels = training_labels(&work);
                        if levels.len() > MAX_ASKED_ONE_HOT_LEVELS {
                            let reason = format!(
                                "the training rows hold {} different labels, more than the {MAX_ASKED_ONE_HOT_LEVELS} one-hot columns a column may make; encode it with ordinal, or leave it out with drop_column",
                                levels.len()
                            );
                            return Err(bad(&column, "one_hot", &reason));
                        }
                        if levels.is_empty() {
                            dropped = true;
                        } else {
                            fitted.push(RecipeStep::OneHot { column: column.clone(), levels, unseen: *unseen, asked: true });
                        }
                        encoded = true;
                        break;
                    }
                    StepSpec::Ordinal { levels: stated, .. } => {
                        let mut seen = training_labels(&work);
                        let levels = match stated {
                            None => {
                                seen.sort();
                                seen
                            }
                            Some(order) => {
                                let short = |l: &str| l.chars().take(100).collect::<String>();
                                if order.is_empty() {
                                    return Err(bad(&column, "ordinal", "its stated order of labels is empty; list them lowest first, or leave the order out to sort them as text"));
                                }
                                if let Some(twice) = order.iter().enumerate().find_map(|(i, l)| order[..i].contains(l).then_some(l)) {
                                    return Err(bad(&column, "ordinal", &format!("its stated order gives the label {} twice; give each label once", crate::report::quoted(&short(twice)))));
                                }
                                if let Some(missing) = seen.iter().find(|l| !order.contains(l)) {
                                    return Err(bad(
                                        &column,
                                        "ordinal",
                                        &format!("the training label {} is not in its stated order; add it to the order (every training label needs a place)", crate::report::quoted(&short(missing))),
                                    ));
                                }
                                order.clone()
                            }
                        };
                        fitted.push(RecipeStep::Ordinal { column: column.clone(), levels, stated: stated.is_some() });
                        encoded = true;
                        break;
                    }
                    StepSpec::DropColumn { .. } | StepSpec::DropDuplicateRows => {}
                }
            }
            if !dropped && !encoded {
                if work.is_num() {
                    if needs_impute && !default_impute(&mut work, &mut fitted) {
                        dropped = true;
                    }
                } else {
                    if let Some(labels) = id_like(&work) {
                        let reason = match written_number(&work, ds.ingest.decimal_comma).map(|w| w.example) {
                            Some(example) => format!(
                                "each of its {labels} training labels is in one row only; they are numbers written as text (e.g. {}): add the step that reads them as numbers (parse_numbers) to keep it",
                                crate::report::quoted(example)
                            ),
                            None => format!("each of its {labels} training labels is in one row only (an identifier or free text); encode it yourself to keep it"),
                        };
                        steps.push(RecipeStep::DropColumn { column: column.clone(), reason });
                        continue;
                    }
                    match one_hot_levels(&work) {
                        Some(levels) => fitted.push(RecipeStep::OneHot { column: column.clone(), levels, unseen: UnseenRule::Zeros, asked: false }),
                        None => dropped = true,
                    }
                }
            }
            if dropped {
                steps.push(all_missing());
            } else {
                steps.extend(fitted);
            }
        }
        let recipe = Recipe { steps };
        if recipe.width() == 0 {
            let dropped = recipe
                .steps
                .iter()
                .filter_map(|s| match s {
                    RecipeStep::DropColumn { column, reason } => Some((column.clone(), reason.clone())),
                    _ => None,
                })
                .collect();
            return Err(PrepareError::NoFeatures { dropped });
        }
        Ok(recipe)
    }

    /// The columns left out of the features, each with its reason (asked
    /// for, every training value missing, or identifiers), in order.
    pub fn dropped(&self) -> Vec<(&str, &str)> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                RecipeStep::DropColumn { column, reason } => Some((column.as_str(), reason.as_str())),
                _ => None,
            })
            .collect()
    }

    /// The user's steps this recipe was fitted with (default steps left
    /// out), so a replay can fit it again.
    pub fn spec(&self) -> Vec<StepSpec> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                RecipeStep::DropColumn { column, reason } if reason == USER_DROP => Some(StepSpec::DropColumn { column: column.clone() }),
                RecipeStep::Impute { column, strategy, indicator, .. } => Some(StepSpec::Impute { column: column.clone(), strategy: strategy.clone(), indicator: *indicator }),
                RecipeStep::Scale { column, method, .. } => Some(StepSpec::Scale { column: column.clone(), method: *method }),
                // A manifest written before `asked` was recorded marks a
                // user's step by its error rule only.
                RecipeStep::OneHot { column, unseen, asked, .. } if *asked || *unseen == UnseenRule::Error => Some(StepSpec::OneHot { column: column.clone(), unseen: *unseen }),
                RecipeStep::Ordinal { column, levels, stated } => Some(StepSpec::Ordinal { column: column.clone(), levels: stated.then(|| levels.clone()) }),
                RecipeStep::Cast { column, to } => Some(StepSpec::Cast { column: column.clone(), to: *to }),
                RecipeStep::NormalizeLabels { column } => Some(StepSpec::NormalizeLabels { column: column.clone() }),
                RecipeStep::ParseNumbers { column, .. } => Some(StepSpec::ParseNumbers { column: column.clone() }),
                RecipeStep::DropDuplicateRows { .. } => Some(StepSpec::DropDuplicateRows),
                _ => None,
            })
            .collect()
    }

    /// Positions in `rows` (training rows) that training uses: all, or the
    /// first of each set of identical rows when the recipe drops duplicates.
    pub fn training_rows(&self, ds: &Dataset, rows: &[usize]) -> Vec<usize> {
        if self.steps.iter().any(|s| matches!(s, RecipeStep::DropDuplicateRows { .. })) {
            ds.first_of_duplicates(rows)
        } else {
            (0..rows.len()).collect()
        }
    }

    /// Steps grouped by column, in order of first appearance.
    fn groups(&self) -> Vec<(&str, Vec<&RecipeStep>)> {
        let mut groups: Vec<(&str, Vec<&RecipeStep>)> = Vec::new();
        // Looked up by name: a linear scan made wide data quadratic
        // (10,000 columns spent seconds here on every fold).
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for s in &self.steps {
            let Some(c) = s.column() else { continue };
            match at.get(c) {
                Some(&i) => groups[i].1.push(s),
                None => {
                    at.insert(c, groups.len());
                    groups.push((c, vec![s]));
                }
            }
        }
        groups
    }

    /// Names of the produced columns, e.g. `age`, `colour=red`, `age__missing`.
    ///
    /// A made name (`c=x`, `c__missing`) that another column's name or an
    /// earlier made name already has gets `_2`, `_3` … (the first free), as
    /// reading names a repeated header: a column `c` with the label `x`
    /// beside a column named `c=x` gives `c=x_2`, not a second `c=x`. The
    /// names follow from the recipe alone, so a replay gives the same.
    pub fn feature_names(&self) -> Vec<String> {
        // (name, made by a step)
        let mut names: Vec<(String, bool)> = Vec::new();
        for (column, steps) in self.groups() {
            let mut emitted = false;
            for s in steps {
                match s {
                    RecipeStep::DropColumn { .. } => emitted = true,
                    RecipeStep::Impute { indicator: true, .. } => names.push((format!("{column}__missing"), true)),
                    RecipeStep::OneHot { levels, .. } => {
                        names.extend(levels.iter().map(|l| (format!("{column}={l}"), true)));
                        emitted = true;
                    }
                    RecipeStep::Ordinal { .. } => {
                        names.push((column.to_string(), false));
                        emitted = true;
                    }
                    _ => {}
                }
            }
            if !emitted {
                names.push((column.to_string(), false));
            }
        }
        // Columns' own names are kept as they are; made names give way.
        let mut taken: std::collections::HashSet<String> = names.iter().filter(|(_, made)| !made).map(|(n, _)| n.clone()).collect();
        names
            .into_iter()
            .map(|(name, made)| {
                if !made {
                    return name;
                }
                let name = if taken.contains(&name) { (2..).map(|i| format!("{name}_{i}")).find(|n| !taken.contains(n)).unwrap_or(name) } else { name };
                taken.insert(name.clone());
                name
            })
            .collect()
    }

    /// Number of columns the recipe produces.
    pub fn width(&self) -> usize {
        self.feature_names().len()
    }

    /// Applies the recipe to `rows` of `ds`, giving a rows × width matrix
    /// of finite numbers.
    pub fn apply(&self, ds: &Dataset, rows: &[usize]) -> Result<Array2<f64>, PrepareError> {
        let width = self.width();
        let too_large = || PrepareError::TooLarge { rows: rows.len(), columns: width };
        let len = rows.len().checked_mul(width).ok_or_else(too_large)?;
        let mut out: Vec<f64> = Vec::new();
        out.try_reserve_exact(len).map_err(|_| too_large())?;
        out.resize(len, 0.0);
        let mut offset = 0;
        // Columns by name, looked up once each (a scan per column made
        // 10,000 columns quadratic).
        let by_name: std::collections::HashMap<&str, &crate::data::Column> = ds.columns.iter().rev().map(|c| (c.name.as_str(), c)).collect();
        for (name, steps) in self.groups() {
            if steps.iter().any(|s| matches!(s, RecipeStep::DropColumn { .. })) {
                continue;
            }
            let col = *by_name.get(name).ok_or_else(|| PrepareError::MissingColumn { column: name.to_string() })?;
            if let Some(expected) = steps[0].wants_numbers() {
                if col.kind().is_numeric() != expected {
                    let word = |numeric: bool| if numeric { "numbers" } else { "labels" }.to_string();
                    return Err(PrepareError::KindMismatch { column: name.to_string(), expected: word(expected), found: word(!expected) });
                }
            }
            let mut work = Work::of(&col.values, rows);
            let mut time = col.kind.is_time();
            let mut emitted = false;
            for s in steps {
                match (s, &mut work) {
                    (RecipeStep::ImputeMedian { value, .. }, Work::Num(v)) => v.iter_mut().for_each(|x| *x = Some(x.unwrap_or(*value))),
                    (RecipeStep::Impute { value, label, indicator, .. }, w) => {
                        let missing: Vec<bool> = match &*w {
                            Work::Num(v) => v.iter().map(Option::is_none).collect(),
                            Work::Lab { codes, .. } => codes.iter().map(Option::is_none).collect(),
                        };
                        if *indicator {
                            for (i, m) in missing.iter().enumerate() {
                                out[i * width + offset] = if *m { 1.0 } else { 0.0 };
                            }
                            offset += 1;
                        }
                        match (w, value, label) {
                            (Work::Num(v), Some(value), _) => v.iter_mut().for_each(|x| *x = Some(x.unwrap_or(*value))),
                            (Work::Lab { levels, codes }, _, Some(label)) => {
                                let code = match levels.iter().position(|l| l == label) {
                                    Some(i) => i as u32,
                                    None => {
                                        levels.push(label.clone());
                                        levels.len() as u32 - 1
                                    }
                                };
                                codes.iter_mut().for_each(|c| *c = Some(c.unwrap_or(code)));
                            }
                            _ => return Err(bad(name, "impute", "the fitted fill does not match the column's values")),
                        }
                    }
                    (RecipeStep::Scale { center, scale, .. }, Work::Num(v)) => v.iter_mut().for_each(|x| *x = x.map(|x| (x - center) / scale)),
                    (RecipeStep::Cast { to, .. }, _) => {
                        work = std::mem::replace(&mut work, Work::Num(Vec::new())).cast(time, *to);
                        time = to.is_time();
                    }
                    (RecipeStep::NormalizeLabels { .. }, _) => work = std::mem::replace(&mut work, Work::Num(Vec::new())).normalize(),
                    (RecipeStep::ParseNumbers { decimal_comma, unit, .. }, _) => work = std::mem::replace(&mut work, Work::Num(Vec::new())).parse_numbers(*decimal_comma, unit.as_deref()),
                    (RecipeStep::OneHot { levels: wanted, unseen, .. }, Work::Lab { levels, codes }) => {
                        // Map the data's label codes to output positions once.
                        let position: Vec<Option<usize>> = levels.iter().map(|l| wanted.iter().position(|w| w == l)).collect();
                        for (i, c) in codes.iter().enumerate() {
                            match c.map(|c| (c, position[c as usize])) {
                                Some((_, Some(p))) => out[i * width + offset + p] = 1.0,
                                Some((c, None)) if *unseen == UnseenRule::Error => {
                                    let label: String = levels[c as usize].chars().take(100).collect();
                                    // A sampled dataset keeps every stride-th row of the file.
                                    let row = rows[i] * ds.sample.as_ref().map_or(1, |s| s.stride.max(1)) + 1;
                                    return Err(PrepareError::UnseenLabel { row, column: name.to_string(), label });
                                }
                                _ => {}
                            }
                        }
                        offset += wanted.len();
                        emitted = true;
                    }
                    (RecipeStep::Ordinal { levels: wanted, .. }, Work::Lab { levels, codes }) => {
                        // By position: a stated order is not sorted as text.
                        let place: std::collections::HashMap<&str, usize> = wanted.iter().enumerate().rev().map(|(p, w)| (w.as_str(), p)).collect();
                        let rank: Vec<f64> = levels.iter().map(|l| place.get(l.as_str()).map_or(-1.0, |&p| p as f64)).collect();
                        for (i, c) in codes.iter().enumerate() {
                            out[i * width + offset] = c.map_or(-1.0, |c| rank[c as usize]);
                        }
                        offset += 1;
                        emitted = true;
                    }
                    (s, _) => return Err(bad(name, &format!("{s:?}").split([' ', '{']).next().unwrap_or("step").to_lowercase(), "the column's values are not of the kind the step was fitted on")),
                }
            }
            if !emitted {
                if let Work::Num(v) = &work {
                    for (i, x) in v.iter().enumerate() {
                        // Fitting puts an imputation after the last step that can leave a gap.
                        out[i * width + offset] = x.unwrap_or(0.0);
                    }
                    offset += 1;
                }
            }
        }
        Array2::from_shape_vec((rows.len(), width), out).map_err(|_| too_large())
    }
}

/// The first and last values of a numeric column that numbers the rows:
/// 0 or 1 first, none missing, each one more than the row before (an
/// index such as Titanic's `PassengerId`, pandas' `Unnamed: 0` or R's row
/// names), over at least [`ID_LIKE_MIN_LABELS`] rows. Years or other
/// counts that start elsewhere are kept: a yearly series' year is a
/// feature. Read from every row in file order, like the column's type
/// (the split's rows are shuffled); in a sampled file, the kept rows hold
/// the numbers of the file rows they are.
fn row_counter(values: &ColumnValues, sample: Option<&crate::data::SampleInfo>) -> Option<(f64, f64)> {
    let ColumnValues::Numeric(v) = values else { return None };
    // The file rows the kept rows are: all, or those the sample keeps.
    let (file_rows, stride) = sample.map_or((v.len(), 1), |s| (s.total_rows, s.stride));
    let mut rows = (0..file_rows).filter(|&r| stride == 1 || crate::data::sample_keeps(r, stride));
    let first = v.first()?.get()? - rows.clone().next()? as f64;
    if file_rows < ID_LIKE_MIN_LABELS || (first != 0.0 && first != 1.0) {
        return None;
    }
    let counts = v.iter().all(|x| rows.next().is_some_and(|r| *x == Some(first + r as f64)));
    (counts && rows.next().is_none()).then(|| (first, first + (file_rows - 1) as f64))
}

/// The number of labels when a label column has at least
/// [`ID_LIKE_MIN_LABELS`] labels in its training rows and none of them is
/// in more than one row.
fn id_like(work: &Work) -> Option<usize> {
    let counts = work.counts();
    let labels = counts.iter().filter(|&&c| c > 0).count();
    (matches!(work, Work::Lab { .. }) && labels >= ID_LIKE_MIN_LABELS && counts.iter().all(|&c| c <= 1)).then_some(labels)
}

/// A label of the training rows written as a number with a currency sign,
/// percent sign or separators, when nearly all of them are numbers (as the
/// profile's numbers-as-text alert finds them).
fn written_number(work: &Work, decimal_comma: bool) -> Option<crate::profile::alerts::WrittenNumbers<'_>> {
    let Work::Lab { levels, .. } = work else { return None };
    crate::profile::alerts::written_numbers(levels, &work.counts(), decimal_comma)
}

/// How a `parse_numbers` step reads `work`'s labels: whether a comma is the
/// decimal mark (from the labels, else the file's), and the unit they
/// share, if any.
fn number_reading(work: &Work, file_decimal_comma: bool) -> (bool, Option<String>) {
    let labels = training_labels(work);
    let decimal_comma = crate::profile::alerts::decimal_comma_of(labels.iter().map(String::as_str)).unwrap_or(file_decimal_comma);
    let unit = written_number(work, decimal_comma).and_then(|w| w.unit).map(str::to_string);
    (decimal_comma, unit)
}

/// A label column to be predicted as numbers (prices written "$1,200.50"),
/// as a `parse_numbers` step on the target reads it: the reading is fitted
/// on `rows` (those with a label) and the numbers given for every row, a
/// label that is no number being missing. The step fitted, and the
/// numbers; `None` for a column of numbers already.
pub fn read_target_numbers(ds: &Dataset, column: usize, rows: &[usize]) -> Option<(RecipeStep, Vec<Num>)> {
    let col = ds.columns.get(column)?;
    let ColumnValues::Categorical { .. } = &col.values else { return None };
    let (decimal_comma, unit) = number_reading(&Work::of_training(&col.values, rows), ds.ingest.decimal_comma);
    let all: Vec<usize> = (0..ds.n_rows).collect();
    let Work::Num(v) = Work::of(&col.values, &all).parse_numbers(decimal_comma, unit.as_deref()) else { return None };
    Some((RecipeStep::ParseNumbers { column: col.name.clone(), decimal_comma, unit }, v.into_iter().map(Num::new).collect()))
}

/// Every label in the training rows, in level order (by first training
/// row, see [`Work::of_training`]).
fn training_labels(work: &Work) -> Vec<String> {
    let counts = work.counts();
    let Work::Lab { levels, .. } = work else { return Vec::new() };
    (0..levels.len()).filter(|&i| counts[i] > 0).map(|i| levels[i].clone()).collect()
}

/// The levels the default one-hot encoding gets, in level order (by first
/// training row, see [`Work::of_training`]): every
/// label in the training rows, or, past [`MAX_ONE_HOT_LEVELS`], the most
/// frequent of those in two or more rows (of all, when none repeats);
/// `None` when there are none.
fn one_hot_levels(work: &Work) -> Option<Vec<String>> {
    let counts = work.counts();
    let Work::Lab { levels, .. } = work else { return None };
    let mut seen: Vec<usize> = (0..levels.len()).filter(|&i| counts[i] > 0).collect();
    if seen.is_empty() {
        return None;
    }
    if seen.len() > MAX_ONE_HOT_LEVELS {
        let repeated: Vec<usize> = seen.iter().copied().filter(|&i| counts[i] >= 2).collect();
        if !repeated.is_empty() {
            seen = repeated;
        }
        // Keep the most frequent; stable sort keeps first appearance for ties.
        seen.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
        seen.truncate(MAX_ONE_HOT_LEVELS);
        seen.sort_unstable();
    }
    Some(seen.into_iter().map(|i| levels[i].clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    fn ds(s: &str) -> Dataset {
        parse_csv(s.as_bytes(), "t.csv", &ParseOptions::default()).unwrap()
    }

    #[test]
    fn fitted_on_train_rows_only() {
        let ds = ds("x,c\n1,a\n3,b\n,a\n100,z\n");
        let recipe = Recipe::fit(&ds, &[0, 1], &[0, 1, 2]).unwrap();
        assert_eq!(
            recipe.steps,
            vec![
                RecipeStep::ImputeMedian { column: "x".into(), value: 2.0 },
                RecipeStep::OneHot { column: "c".into(), levels: vec!["a".into(), "b".into()], unseen: UnseenRule::Zeros, asked: false },
            ]
        );
        assert_eq!(recipe.feature_names(), ["x", "c=a", "c=b"]);
        let m = recipe.apply(&ds, &[2, 3]).unwrap();
        // Row 2: x missing -> median 2; c=a. Row 3: x=100; c=z unseen -> zeros.
        assert_eq!(m.as_slice().unwrap(), &[2.0, 1.0, 0.0, 100.0, 0.0, 0.0]);
    }

    /// A one-hot name that a column already has is made unique: a column
    /// `c` with the label `x` beside a column named `c=x` (and one named
    /// `c=x_2`) gave `c=x, c=z, c=x`; two made names alike likewise.
    #[test]
    fn made_feature_names_do_not_repeat_column_names() {
        let d = ds("c,c=x,c=x_2\nx,1,5\nz,2,6\nx,3,7\nz,4,8\n");
        let recipe = Recipe::fit(&d, &[0, 1, 2], &[0, 1, 2, 3]).unwrap();
        assert_eq!(recipe.feature_names(), ["c=x_3", "c=z", "c=x", "c=x_2"]);
        let d = ds("a,a=b\nb=c,c\nd,e\nb=c,c\nd,e\n");
        let recipe = Recipe::fit(&d, &[0, 1], &[0, 1, 2, 3]).unwrap();
        assert_eq!(recipe.feature_names(), ["a=b=c", "a=d", "a=b=c_2", "a=b=e"]);
    }

    /// Steps that could not do what they say are refused with the order
    /// that works, not dropped: a step after the column's encoding, an
    /// impute after a scale (which has filled the gaps already), a scale of
    /// values whose spread overflows.
    #[test]
    fn steps_in_an_order_that_loses_them_are_refused() {
        let d = ds("a,c,y\n1,P,x\n,R,y\n3,,x\n4,P,y\n");
        let fit = |specs: &[StepSpec]| Recipe::fit_with(&d, &[0, 1], &[0, 1, 2, 3], specs);
        let city = |step: &str| serde_json::from_str::<StepSpec>(&format!("{{\"step\":\"{step}\",\"column\":\"c\"}}")).unwrap();
        let impute_mode = StepSpec::Impute { column: "c".into(), strategy: ImputeStrategy::Mode, indicator: false };
        let e = fit(&[city("one_hot"), impute_mode.clone()]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step impute cannot apply to column \"c\": it comes after one_hot, which turns the column into its encoding and ends its steps; put it before the one_hot step");
        assert!(fit(&[impute_mode, city("one_hot")]).is_ok());
        let e = fit(&[city("ordinal"), StepSpec::NormalizeLabels { column: "c".into() }]).unwrap_err();
        assert!(e.to_string().contains("it comes after ordinal"), "{e}");

        // Labels are tidied before they are read as numbers, not after.
        let amounts = ds("m,y\n1 234,x\n2 000,y\n1 234 ,x\n5,y\n");
        let parse = StepSpec::ParseNumbers { column: "m".into() };
        let normalize = StepSpec::NormalizeLabels { column: "m".into() };
        let e = Recipe::fit_with(&amounts, &[0], &[0, 1, 2, 3], &[parse.clone(), normalize.clone()]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step normalize_labels cannot apply to column \"m\": it comes after parse_numbers, which turns the column into numbers; put it before the parse_numbers step");
        assert!(Recipe::fit_with(&amounts, &[0], &[0, 1, 2, 3], &[normalize, parse]).is_ok());

        let scale = StepSpec::Scale { column: "a".into(), method: ScaleMethod::Standard };
        let impute = StepSpec::Impute { column: "a".into(), strategy: ImputeStrategy::Mean, indicator: true };
        let e = fit(&[scale.clone(), impute.clone()]).unwrap_err();
        assert!(e.to_string().contains("it comes after scale, which fills the missing values with the median"), "{e}");
        let r = fit(&[impute, scale.clone()]).unwrap();
        // The indicator marks the one missing training value.
        let at = r.feature_names().iter().position(|n| n.ends_with("missing")).expect("an indicator column");
        assert_eq!(r.apply(&d, &[0, 1, 2, 3]).unwrap().column(at).to_vec(), [0.0, 1.0, 0.0, 0.0]);
        // Without missing training values too: other rows may have gaps,
        // which the scale's median fill would take before the impute
        // (its indicator would be 0 on them).
        let full = ds("a,y\n1,x\n2,y\n3,x\n,y\n");
        let after = [scale.clone(), StepSpec::Impute { column: "a".into(), strategy: ImputeStrategy::Mean, indicator: true }];
        let e = Recipe::fit_with(&full, &[0], &[0, 1, 2], &after).unwrap_err();
        assert_eq!(e.to_string(), "recipe step impute cannot apply to column \"a\": it comes after scale, which fills the missing values with the median before scaling, so it would find none (and a missing indicator would be all zeros); put the impute step before the scale step");
        let before = [after[1].clone(), scale];
        let r = Recipe::fit_with(&full, &[0], &[0, 1, 2], &before).unwrap();
        assert_eq!(r.apply(&full, &[3]).unwrap().as_slice().unwrap(), &[1.0, 0.0]);

        let huge = ds("b,y\n1e300,x\n-1e300,y\n1e299,x\n");
        let e = Recipe::fit_with(&huge, &[0], &[0, 1, 2], &[StepSpec::Scale { column: "b".into(), method: ScaleMethod::Standard }]).unwrap_err();
        assert!(e.to_string().contains("too large to scale"), "{e}");
    }

    /// A step on a column that another step drops is refused, not lost.
    #[test]
    fn a_step_given_twice_is_refused() {
        let d = ds("a,y\n1,p\n2,q\n3,p\n");
        let scale = StepSpec::Scale { column: "a".into(), method: ScaleMethod::Robust };
        let e = Recipe::fit_with(&d, &[0], &[0, 1, 2], &[scale.clone(), scale.clone()]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step scale on column \"a\" is given twice (whatever its settings, a column takes one step of each kind); give it once");
        // Other settings are still the same kind of step on the same column.
        let standard = StepSpec::Scale { column: "a".into(), method: ScaleMethod::Standard };
        assert_eq!(Recipe::fit_with(&d, &[0], &[0, 1, 2], &[scale.clone(), standard]).unwrap_err().code(), "bad_step");
        let impute = |strategy| StepSpec::Impute { column: "a".into(), strategy, indicator: false };
        assert_eq!(Recipe::fit_with(&d, &[0], &[0, 1, 2], &[impute(ImputeStrategy::Constant("7".into())), impute(ImputeStrategy::Median)]).unwrap_err().code(), "bad_step");
        let e = Recipe::fit_with(&d, &[0], &[0, 1, 2], &[StepSpec::DropDuplicateRows, scale, StepSpec::DropDuplicateRows]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step drop_duplicate_rows is given twice (whatever its settings, a column takes one step of each kind); give it once");
    }

    #[test]
    fn a_step_on_a_dropped_column_is_refused() {
        let d = ds("a,y\n1,p\n2,q\n3,p\n");
        let specs = [StepSpec::DropColumn { column: "a".into() }, StepSpec::Scale { column: "a".into(), method: ScaleMethod::Robust }];
        let e = Recipe::fit_with(&d, &[0], &[0, 1, 2], &specs).unwrap_err();
        assert_eq!(e.to_string(), "recipe step scale cannot apply to column \"a\": the column is also dropped (drop_column), so this step would do nothing; remove one of them");
    }

    /// A cast to boolean of a column with more than two values is refused
    /// for what it is, not left to become an "identifier" further on.
    #[test]
    fn a_cast_to_boolean_needs_two_values() {
        let d = ds("a,b,y\n0.5,1,p\n1.5,0,q\n2.5,1,p\n3.5,0,q\n");
        let cast = |column: &str| StepSpec::Cast { column: column.into(), to: ColumnKind::Boolean };
        let e = Recipe::fit_with(&d, &[0, 1], &[0, 1, 2, 3], &[cast("a")]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step cast cannot apply to column \"a\": a boolean has two values, and this column has 4 different ones in the training rows; cast it to categorical, or leave it as it is");
        assert!(Recipe::fit_with(&d, &[0, 1], &[0, 1, 2, 3], &[cast("b")]).is_ok());
    }

    /// A cast or parse_numbers step that reads no training value is
    /// refused: it had been recorded as a drop of the emptied column, and
    /// the run's manifest did not replay (the replay one-hot encoded it).
    #[test]
    fn a_step_that_empties_the_column_is_refused() {
        let d = ds("island,price,y\nBiscoe,$3,p\nDream,$4,q\nBiscoe,n/a,p\nDream,$5,q\n");
        let cast = StepSpec::Cast { column: "island".into(), to: ColumnKind::Float };
        let e = Recipe::fit_with(&d, &[0, 1], &[0, 1, 2, 3], &[cast]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step cast cannot apply to column \"island\": no training value reads as float (such as \"Biscoe\"), so the cast would leave the column empty; cast it to another type, or drop the column");
        let parse = |c: &str| StepSpec::ParseNumbers { column: c.into() };
        let e = Recipe::fit_with(&d, &[0, 1], &[0, 1, 2, 3], &[parse("island")]).unwrap_err();
        assert!(e.to_string().contains("no training value reads as a number (such as \"Biscoe\")"), "{e}");
        assert!(Recipe::fit_with(&d, &[0, 1], &[0, 1, 2, 3], &[parse("price")]).is_ok());
    }

    /// The error rule for unseen labels names the row and the way out.
    #[test]
    fn an_unseen_label_under_the_error_rule_names_its_row() {
        let d = ds("c,y\na,1\nb,2\na,3\nz,4\n");
        let spec: StepSpec = serde_json::from_str(r#"{"step":"one_hot","column":"c","unseen":"error"}"#).unwrap();
        let r = Recipe::fit_with(&d, &[0], &[0, 1, 2], &[spec]).unwrap();
        let e = r.apply(&d, &[1, 3]).unwrap_err();
        assert_eq!(e.to_string(), "row 4, column \"c\": the label \"z\" was not seen in training (the one-hot step's unseen rule is error); to score such rows with all-zero columns, set its unseen rule to zeros");
    }

    #[test]
    fn all_missing_column_is_dropped_and_nothing_left_is_an_error() {
        let ds = ds("x,y\n,1\n,2\n");
        let e = Recipe::fit(&ds, &[0], &[0, 1]).unwrap_err();
        assert_eq!(e.code(), "no_features");
        // The error says which columns were dropped, and why.
        assert!(e.to_string().starts_with("no feature columns are left to train on: every column is the target or was dropped (\"x\": "), "{e}");
        let r = Recipe::fit(&ds, &[0, 1], &[0, 1]).unwrap();
        assert_eq!(r.width(), 1);
        assert!(matches!(r.steps[0], RecipeStep::DropColumn { .. }));
    }

    #[test]
    fn recipe_round_trips_as_json() {
        let r = Recipe { steps: vec![RecipeStep::OneHot { column: "c".into(), levels: vec!["a".into()], unseen: UnseenRule::Zeros, asked: false }] };
        let json = serde_json::to_string(&r).unwrap();
        // The default recipe's JSON is what older manifests hold.
        assert_eq!(json, r#"{"steps":[{"step":"one_hot","column":"c","levels":["a"]}]}"#);
        assert_eq!(serde_json::from_str::<Recipe>(&json).unwrap(), r);
        assert!(serde_json::from_str::<Recipe>(r#"{"steps":[],"x":1}"#).is_err());
    }

    /// One row per user step: the steps, the feature names and the matrix
    /// for the test rows, fitted on rows 0..4 of one table.
    #[test]
    fn user_steps_fit_on_train_and_apply_alike() {
        let ds = ds("x,c,n\n1,Red,5\n3,red ,x\n,Blue,7\n4,,9\n100,green,n/k\n,Red,2\n");
        let train = [0, 1, 2, 3];
        let test = [4, 5];
        let imp = |s: ImputeStrategy, indicator| StepSpec::Impute { column: "x".into(), strategy: s, indicator };
        type Case = (Vec<StepSpec>, Vec<&'static str>, Vec<f64>);
        let cases: Vec<Case> = vec![
            (vec![StepSpec::DropColumn { column: "c".into() }, StepSpec::DropColumn { column: "n".into() }], vec!["x"], vec![100.0, 3.0]),
            (vec![imp(ImputeStrategy::Mean, true), StepSpec::DropColumn { column: "c".into() }, StepSpec::DropColumn { column: "n".into() }], vec!["x__missing", "x"], vec![0.0, 100.0, 1.0, 8.0 / 3.0]),
            (vec![imp(ImputeStrategy::Constant("-1".into()), false), StepSpec::Scale { column: "x".into(), method: ScaleMethod::MinMax }, StepSpec::DropColumn { column: "c".into() }, StepSpec::DropColumn { column: "n".into() }], vec!["x"], vec![101.0 / 5.0, 0.0]),
            (vec![StepSpec::Scale { column: "x".into(), method: ScaleMethod::Robust }, StepSpec::DropColumn { column: "c".into() }, StepSpec::DropColumn { column: "n".into() }], vec!["x"], vec![97.0 / 0.75, 0.0]),
            (vec![StepSpec::NormalizeLabels { column: "c".into() }, StepSpec::Ordinal { column: "c".into(), levels: None }, StepSpec::DropColumn { column: "x".into() }, StepSpec::DropColumn { column: "n".into() }], vec!["c"], vec![-1.0, 1.0]),
            (vec![StepSpec::Impute { column: "c".into(), strategy: ImputeStrategy::Constant("none".into()), indicator: false }, StepSpec::DropColumn { column: "x".into() }, StepSpec::DropColumn { column: "n".into() }], vec!["c=Red", "c=red", "c=Blue", "c=none"], vec![0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
            (vec![StepSpec::Cast { column: "n".into(), to: ColumnKind::Float }, StepSpec::DropColumn { column: "x".into() }, StepSpec::DropColumn { column: "c".into() }], vec!["n"], vec![7.0, 2.0]),
        ];
        for (specs, names, matrix) in cases {
            let r = Recipe::fit_with(&ds, &[0, 1, 2], &train, &specs).unwrap();
            assert_eq!(r.feature_names(), names, "{specs:?}");
            assert_eq!(r.apply(&ds, &test).unwrap().as_slice().unwrap(), matrix.as_slice(), "{specs:?}");
            // The user's steps come back from the fitted recipe, and refit the same.
            assert_eq!(Recipe::fit_with(&ds, &[0, 1, 2], &train, &r.spec()).unwrap(), r, "{specs:?}");
        }
        let err = Recipe::fit_with(&ds, &[0, 1], &train, &[StepSpec::Scale { column: "c".into(), method: ScaleMethod::Standard }]).unwrap_err();
        assert_eq!(err.code(), "bad_step");
        let err = Recipe::fit_with(&ds, &[0, 1], &train, &[StepSpec::DropColumn { column: "n".into() }]).unwrap_err();
        assert_eq!(err.code(), "not_a_feature");
        assert!(err.to_string().contains("\"n\" names a column that is not a feature: it is the target; remove the step"), "{err}");
        let err = Recipe::fit_with(&ds, &[0, 1], &train, &[StepSpec::DropColumn { column: "gone".into() }]).unwrap_err();
        assert!(err.to_string().contains("the data has no column of that name"), "{err}");
        let r = Recipe::fit_with(&ds, &[1], &train, &[StepSpec::OneHot { column: "c".into(), unseen: UnseenRule::Error }]).unwrap();
        assert_eq!(r.apply(&ds, &[4]).unwrap_err().code(), "unseen_label");
    }

    /// Numbers written with currency signs, percent signs, thousands marks
    /// or a decimal comma read as those numbers, fitted and applied alike;
    /// other labels become missing (then the median); numbers stay.
    #[test]
    fn parse_numbers_reads_signs_and_separators() {
        let ds = ds("p,q\n\"$1,200.50\",1\n45%,2\n\"€3.000,5\",3\nabout 7,4\n\"1,000\",5\n");
        let train = [0, 1, 2, 3];
        let r = Recipe::fit_with(&ds, &[0], &train, &[StepSpec::ParseNumbers { column: "p".into() }]).unwrap();
        assert_eq!(r.steps, [RecipeStep::ParseNumbers { column: "p".into(), decimal_comma: false, unit: None }, RecipeStep::ImputeMedian { column: "p".into(), value: 1200.5 }]);
        assert_eq!(r.apply(&ds, &[0, 1, 2, 3, 4]).unwrap().as_slice().unwrap(), &[1200.5, 45.0, 3000.5, 1200.5, 1000.0]);
        assert_eq!(Recipe::fit_with(&ds, &[0], &train, &r.spec()).unwrap(), r);
        let r = Recipe::fit_with(&ds, &[1], &train, &[StepSpec::ParseNumbers { column: "q".into() }]).unwrap();
        assert_eq!(r.apply(&ds, &[3, 4]).unwrap().as_slice().unwrap(), &[4.0, 5.0]);
        // German prices: the cents' comma in the training rows makes the
        // dot a thousands mark everywhere, in rows without cents too, and
        // in a test row that has no comma (865.000 € read as 865 before).
        let ds = self::ds("p,q\n865.000 €,1\n\"94.000,50 €\",2\n\"1.250,00 €\",3\n980.620 €,4\n");
        let r = Recipe::fit_with(&ds, &[0], &[0, 1, 2], &[StepSpec::ParseNumbers { column: "p".into() }]).unwrap();
        assert_eq!(r.steps[0], RecipeStep::ParseNumbers { column: "p".into(), decimal_comma: true, unit: None });
        assert_eq!(r.apply(&ds, &[0, 1, 2, 3]).unwrap().as_slice().unwrap(), &[865_000.0, 94_000.5, 1250.0, 980_620.0]);
        let json = serde_json::to_string(&r.steps[0]).unwrap();
        assert!(json.contains("\"decimal_comma\":true"), "{json}");
        assert_eq!(Recipe::fit_with(&ds, &[0], &[0, 1, 2], &r.spec()).unwrap(), r);
        // Rupees in lakh grouping beside plain and thousands-grouped ones.
        let ds = self::ds("inr,q\n\"1,23,456\",1\n\"12,34,567\",2\n\"1,000\",3\n500,4\n\"1,00,00,000.50\",5\n");
        let r = Recipe::fit_with(&ds, &[0], &[0, 1, 2, 3], &[StepSpec::ParseNumbers { column: "inr".into() }]).unwrap();
        assert_eq!(r.apply(&ds, &[0, 1, 2, 3, 4]).unwrap().as_slice().unwrap(), &[123_456.0, 1_234_567.0, 1000.0, 500.0, 10_000_000.5]);
    }

    #[test]
    fn duplicate_training_rows_are_dropped_from_training_only() {
        let ds = ds("x,y\n1,a\n1,a\n2,b\n1,a\n");
        let r = Recipe::fit_with(&ds, &[0], &[0, 1, 2], &[StepSpec::DropDuplicateRows]).unwrap();
        assert_eq!(r.steps[0], RecipeStep::DropDuplicateRows { dropped: 1 });
        assert_eq!(r.training_rows(&ds, &[0, 1, 2]), vec![0, 2]);
        // Applying never drops rows.
        assert_eq!(r.apply(&ds, &[0, 1, 3]).unwrap().nrows(), 3);
    }

    /// The default encoding drops a column of identifiers (every label in
    /// one training row, 20 or more of them) with its reason, and past 100
    /// labels keeps only labels seen twice or more; a one-hot step the user
    /// asks for keeps the column.
    #[test]
    fn identifier_columns_are_not_one_hot_encoded_by_default() {
        let mut text = String::from("x,name,ticket\n");
        for i in 0..300 {
            text.push_str(&format!("{},person {i},T{}\n", i % 7, if i < 10 { 0 } else { i }));
        }
        let ds = ds(&text);
        let rows: Vec<usize> = (0..300).collect();
        let r = Recipe::fit(&ds, &[0, 1, 2], &rows).unwrap();
        assert!(matches!(&r.steps[1], RecipeStep::DropColumn { column, reason } if column == "name" && reason.contains("each of its 300 training labels is in one row only")), "{:?}", r.steps[1]);
        assert_eq!(r.steps[2], RecipeStep::OneHot { column: "ticket".into(), levels: vec!["T0".into()], unseen: UnseenRule::Zeros, asked: false });
        assert_eq!(r.feature_names(), ["x", "ticket=T0"]);
        assert_eq!(r.dropped().len(), 1);
        assert_eq!(r.dropped()[0].0, "name");
        // 19 unique labels are kept: too few to call them identifiers.
        let few = Recipe::fit(&ds, &[1], &rows[..19]).unwrap();
        assert_eq!(few.width(), 19);
        // Asked for, the encoding keeps every training label.
        let asked = Recipe::fit_with(&ds, &[1], &rows, &[StepSpec::OneHot { column: "name".into(), unseen: UnseenRule::Zeros }]).unwrap();
        assert_eq!(asked.width(), 300);
    }

    /// A user's one-hot step is recorded as the user's, whatever its unseen
    /// rule, so a refit from [`Recipe::spec`] encodes the column again
    /// rather than the default dropping it as an identifier.
    #[test]
    fn a_users_one_hot_step_comes_back_from_the_fitted_recipe() {
        let mut text = String::from("code,x\n");
        for i in 0..30 {
            text.push_str(&format!("C{i},{}\n", i % 4));
        }
        let ds = ds(&text);
        let rows: Vec<usize> = (0..30).collect();
        for unseen in [UnseenRule::Zeros, UnseenRule::Error] {
            let specs = [StepSpec::OneHot { column: "code".into(), unseen }];
            let r = Recipe::fit_with(&ds, &[0, 1], &rows, &specs).unwrap();
            assert_eq!(r.width(), 31);
            assert_eq!(r.spec(), specs);
            assert_eq!(Recipe::fit_with(&ds, &[0, 1], &rows, &r.spec()).unwrap(), r);
            let json = serde_json::to_string(&r).unwrap();
            assert!(json.contains("\"asked\":true"), "{json}");
            assert_eq!(serde_json::from_str::<Recipe>(&json).unwrap(), r);
        }
        // The default encoding is not the user's, and writes no mark.
        let default = Recipe::fit(&ds, &[0, 1], &rows[..10]).unwrap();
        assert!(default.spec().is_empty());
        assert!(!serde_json::to_string(&default).unwrap().contains("asked"));
    }

    /// What the order of labels decides — a mode's tie, the one-hot
    /// columns' order, which labels the default encoding's cap keeps among
    /// equals — comes from the training rows only: changing a test row
    /// changes none of it.
    #[test]
    fn label_order_comes_from_the_training_rows_only() {
        // Row 0 is a test row; in training "a" and "b" tie, "a" first.
        let train = [1, 2, 3, 4];
        let mode = StepSpec::Impute { column: "c".into(), strategy: ImputeStrategy::Mode, indicator: false };
        for test_label in ["b", "c", "a"] {
            let d = ds(&format!("c,y\n{test_label},0\na,1\nb,2\n,3\nb,4\na,5\n"));
            let r = Recipe::fit_with(&d, &[0], &[1, 2, 3, 4, 5], std::slice::from_ref(&mode)).unwrap();
            assert!(matches!(&r.steps[0], RecipeStep::Impute { label: Some(l), .. } if l == "a"), "test row {test_label}: {:?}", r.steps);
            assert_eq!(r.feature_names(), ["c=a", "c=b"], "test row {test_label}");
            assert_eq!(Recipe::fit(&d, &[0], &train).unwrap().feature_names(), ["c=a", "c=b"], "test row {test_label}");
        }
        // Past the cap, the kept labels among equally frequent ones are the
        // first in training, whatever the test rows hold.
        let capped = |test_label: &str| {
            let mut text = format!("c,y\n{test_label},0\n");
            for i in 0..2 * (MAX_ONE_HOT_LEVELS + 1) {
                text.push_str(&format!("L{},{i}\n", i % (MAX_ONE_HOT_LEVELS + 1)));
            }
            let d = ds(&text);
            Recipe::fit(&d, &[0], &(1..d.columns[0].len()).collect::<Vec<_>>()).unwrap().feature_names()
        };
        let kept = capped("x");
        assert_eq!(kept.len(), MAX_ONE_HOT_LEVELS);
        assert_eq!(kept[0], "c=L0");
        assert_eq!(capped(&format!("L{MAX_ONE_HOT_LEVELS}")), kept);
    }

    /// A one-hot step asked for keeps every training label past the default
    /// encoding's 100, so none is called unseen under the error rule nor
    /// encoded as zeros; past its own limit it is refused, naming the count.
    #[test]
    fn a_one_hot_step_keeps_every_training_label_up_to_its_limit() {
        let table = |n: usize| {
            let mut text = String::from("lvl,x\n");
            for i in 0..2 * n {
                text.push_str(&format!("L{},{}\n", i % n, i % 3));
            }
            ds(&text)
        };
        let d = table(150);
        let rows: Vec<usize> = (0..300).collect();
        for unseen in [UnseenRule::Zeros, UnseenRule::Error] {
            let r = Recipe::fit_with(&d, &[0], &rows, &[StepSpec::OneHot { column: "lvl".into(), unseen }]).unwrap();
            assert_eq!(r.width(), 150);
            let m = r.apply(&d, &rows).unwrap();
            // Every row has its one column set.
            assert!(m.rows().into_iter().all(|row| row.sum() == 1.0));
        }
        assert_eq!(Recipe::fit(&d, &[0], &rows).unwrap().width(), MAX_ONE_HOT_LEVELS);
        let d = table(MAX_ASKED_ONE_HOT_LEVELS + 1);
        let rows: Vec<usize> = (0..2 * (MAX_ASKED_ONE_HOT_LEVELS + 1)).collect();
        let e = Recipe::fit_with(&d, &[0], &rows, &[StepSpec::OneHot { column: "lvl".into(), unseen: UnseenRule::Zeros }]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step one_hot cannot apply to column \"lvl\": the training rows hold 1001 different labels, more than the 1000 one-hot columns a column may make; encode it with ordinal, or leave it out with drop_column");
        assert!(Recipe::fit_with(&d, &[0], &rows, &[StepSpec::Ordinal { column: "lvl".into(), levels: None }]).is_ok());
    }

    /// An ordinal step codes labels by a stated order (or, without one,
    /// sorted as text), -1 for labels not seen in training or not in the
    /// order and for missing values; a training label the order leaves out
    /// is refused by name; the order is recorded, and a recipe from before
    /// it reads and applies as it did.
    #[test]
    fn an_ordinal_step_takes_a_stated_order() {
        let d = ds("c,y\nlow,1\nhigh,2\nmedium,3\n,4\nlow,5\nhuge,6\n");
        let train = [0, 1, 2, 3, 4];
        let order = |l: &[&str]| StepSpec::Ordinal { column: "c".into(), levels: Some(l.iter().map(|s| s.to_string()).collect()) };
        let stated = order(&["low", "medium", "high"]);
        let r = Recipe::fit_with(&d, &[0], &train, std::slice::from_ref(&stated)).unwrap();
        assert_eq!(r.apply(&d, &[0, 1, 2, 3, 5]).unwrap().as_slice().unwrap(), &[0.0, 2.0, 1.0, -1.0, -1.0]);
        assert_eq!(r.spec(), std::slice::from_ref(&stated));
        assert_eq!(Recipe::fit_with(&d, &[0], &train, &r.spec()).unwrap(), r);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"steps":[{"step":"ordinal","column":"c","levels":["low","medium","high"],"stated":true}]}"#);
        assert_eq!(serde_json::from_str::<StepSpec>(r#"{"step":"ordinal","column":"c","levels":["low","medium","high"]}"#).unwrap(), stated);
        // Without an order: sorted as text, as before, and written as before.
        let sorted = Recipe::fit_with(&d, &[0], &train, &[StepSpec::Ordinal { column: "c".into(), levels: None }]).unwrap();
        assert_eq!(serde_json::to_string(&sorted).unwrap(), r#"{"steps":[{"step":"ordinal","column":"c","levels":["high","low","medium"]}]}"#);
        assert_eq!(sorted.apply(&d, &[0, 1, 2, 3, 5]).unwrap().as_slice().unwrap(), &[1.0, 0.0, 2.0, -1.0, -1.0]);
        assert_eq!(sorted.spec(), [StepSpec::Ordinal { column: "c".into(), levels: None }]);
        // Refused: a training label left out, a label given twice, no labels.
        let e = Recipe::fit_with(&d, &[0], &train, &[order(&["low", "high"])]).unwrap_err();
        assert_eq!(e.to_string(), "recipe step ordinal cannot apply to column \"c\": the training label \"medium\" is not in its stated order; add it to the order (every training label needs a place)");
        let e = Recipe::fit_with(&d, &[0], &train, &[order(&["low", "medium", "low", "high"])]).unwrap_err();
        assert!(e.to_string().ends_with("its stated order gives the label \"low\" twice; give each label once"), "{e}");
        assert_eq!(Recipe::fit_with(&d, &[0], &train, &[order(&[])]).unwrap_err().code(), "bad_step");
    }

    /// Distinct prices written as text are left out like identifiers, but
    /// the reason names the step that keeps them, which reads the numbers.
    #[test]
    fn distinct_numbers_written_as_text_are_left_out_naming_the_step_that_reads_them() {
        let mut text = String::from("x,price\n");
        for i in 0..40 {
            text.push_str(&format!("{},\"${},{:03}.50\"\n", i % 7, i + 1, i * 3));
        }
        let ds = ds(&text);
        let rows: Vec<usize> = (0..40).collect();
        let r = Recipe::fit(&ds, &[0, 1], &rows).unwrap();
        assert!(
            matches!(&r.steps[1], RecipeStep::DropColumn { column, reason } if column == "price" && reason.contains("numbers written as text (e.g. \"$1,000.50\")") && reason.contains("(parse_numbers)")),
            "{:?}",
            r.steps[1]
        );
        let kept = Recipe::fit_with(&ds, &[0, 1], &rows, &[StepSpec::ParseNumbers { column: "price".into() }]).unwrap();
        assert_eq!(kept.feature_names(), ["x", "price"]);
    }

    /// A column numbering the rows from 0 or 1 (an index written with the
    /// data) is left out by default with its reason; a year column, a
    /// counter with a gap, one with a missing value or fewer than 20 rows,
    /// the only feature, and a column the user gives a step are kept.
    #[test]
    fn row_numbers_are_left_out_by_default() {
        let table = |f: &dyn Fn(usize) -> String, n: usize| {
            let mut text = String::from("id,x,y\n");
            for i in 0..n {
                text.push_str(&format!("{},{},{}\n", f(i), (i * 7) % 5, i % 2));
            }
            ds(&text)
        };
        let rows: Vec<usize> = (0..40).rev().collect();
        for start in [0, 1] {
            let d = table(&|i| (i + start).to_string(), 40);
            let r = Recipe::fit(&d, &[0, 1], &rows).unwrap();
            let dropped = r.dropped();
            assert_eq!(dropped.len(), 1, "start {start}: {:?}", r.steps);
            assert_eq!(dropped[0].0, "id");
            assert!(dropped[0].1.starts_with(&format!("it counts the rows ({start}, {}, … {} in file order)", start + 1, start + 39)), "{}", dropped[0].1);
            assert_eq!(r.feature_names(), ["x"]);
        }
        let kept = |d: &Dataset, specs: &[StepSpec], features: &[usize]| Recipe::fit_with(d, features, &rows, specs).unwrap().dropped().is_empty();
        assert!(kept(&table(&|i| (1871 + i).to_string(), 40), &[], &[0, 1]), "years");
        assert!(kept(&table(&|i| (if i < 20 { i } else { i + 1 }).to_string(), 40), &[], &[0, 1]), "a gap");
        assert!(kept(&table(&|i| if i == 5 { String::new() } else { i.to_string() }, 40), &[], &[0, 1]), "a missing value");
        let short = table(&|i| i.to_string(), 19);
        assert!(Recipe::fit(&short, &[0, 1], &(0..19).collect::<Vec<_>>()).unwrap().dropped().is_empty(), "19 rows");
        assert!(kept(&table(&|i| i.to_string(), 40), &[], &[0]), "the only feature");
        let scale = StepSpec::Scale { column: "id".into(), method: ScaleMethod::Standard };
        assert!(kept(&table(&|i| i.to_string(), 40), &[scale], &[0, 1]), "a step asked for");
    }

    /// A file over the memory budget is sampled: its row numbers are no
    /// longer consecutive in the kept rows, and are still left out (they
    /// were kept as a feature); a column one off from them is kept.
    #[test]
    fn row_numbers_are_left_out_of_a_sampled_file() {
        for (start, drops) in [(0usize, true), (1, true), (2, false)] {
            let mut text = String::from("id,x,y\n");
            for i in 0..20_000 {
                text.push_str(&format!("{},{},{}\n", i + start, (i * 7) % 5, i % 2));
            }
            let opts = crate::data::ParseOptions { max_memory_bytes: 60_000, ..crate::data::ParseOptions::default() };
            let d = crate::data::parse_csv(text.as_bytes(), "big.csv", &opts).unwrap();
            let sample = d.sample.as_ref().expect("sampled");
            assert!(sample.stride > 1 && d.n_rows < 20_000, "{} rows kept", d.n_rows);
            let rows: Vec<usize> = (0..d.n_rows).collect();
            let r = Recipe::fit(&d, &[0, 1], &rows).unwrap();
            assert_eq!(!r.dropped().is_empty(), drops, "start {start}: {:?}", r.steps);
            if drops {
                assert!(r.dropped()[0].1.starts_with(&format!("it counts the rows ({start}, {}, … {} in file order)", start + 1, start + 19_999)), "{}", r.dropped()[0].1);
            }
        }
    }
}
