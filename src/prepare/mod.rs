//! Preparation: the recipe that turns typed columns into a numeric matrix.
//!
//! Takes a [`Dataset`], the feature columns and the training rows; fits a
//! [`Recipe`] on those rows only (medians for missing numbers, one-hot
//! levels for categories) and applies it to any rows — test, replay or new
//! data — the same way. The recipe is plain data, recorded in the manifest.
//! No wasm here.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::{ColumnKind, ColumnValues, Dataset};

/// Most one-hot columns one categorical column may produce; rarer levels
/// are encoded as all zeros, like an unseen category.
pub const MAX_ONE_HOT_LEVELS: usize = 100;

/// Errors from fitting or applying a recipe.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum PrepareError {
    /// Nothing left to learn from.
    #[error("no feature columns are left to train on (every column is the target or was dropped)")]
    NoFeatures,
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
            PrepareError::NoFeatures => "no_features",
            PrepareError::MissingColumn { .. } => "missing_column",
            PrepareError::KindMismatch { .. } => "kind_mismatch",
            PrepareError::TooLarge { .. } => "too_large",
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
    /// seen first).
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
    /// One feature: the label's rank in sorted training labels; unseen
    /// and missing labels are -1.
    Ordinal {
        /// The column.
        column: String,
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
            | StepSpec::Ordinal { column }
            | StepSpec::Cast { column, .. }
            | StepSpec::NormalizeLabels { column } => Some(column),
            StepSpec::DropDuplicateRows => None,
        }
    }
}

/// One step of a recipe, for one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case", deny_unknown_fields)]
pub enum RecipeStep {
    /// Keep a numeric column, filling missing values with the training median.
    ImputeMedian {
        /// The column.
        column: String,
        /// The training median.
        value: f64,
    },
    /// Expand a categorical column into one 0/1 column per level seen in
    /// training; missing and unseen values are all zeros.
    OneHot {
        /// The column.
        column: String,
        /// The levels, in output order.
        levels: Vec<String>,
    },
    /// Leave a column out.
    DropColumn {
        /// The column.
        column: String,
        /// Why, in words.
        reason: String,
    },
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
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 })
}

impl Recipe {
    /// Fits a recipe for `features` (column indices) on `rows` of `ds`.
    pub fn fit(ds: &Dataset, features: &[usize], rows: &[usize]) -> Result<Recipe, PrepareError> {
        let mut steps = Vec::with_capacity(features.len());
        for &f in features {
            let col = &ds.columns[f];
            let column = col.name.clone();
            match &col.values {
                ColumnValues::Numeric(v) => {
                    let present: Vec<f64> = rows.iter().filter_map(|&r| v[r]).collect();
                    match median(present) {
                        Some(value) => steps.push(RecipeStep::ImputeMedian { column, value }),
                        None => steps.push(RecipeStep::DropColumn {
                            column,
                            reason: "every training value is missing".into(),
                        }),
                    }
                }
                ColumnValues::Categorical { levels, codes } => {
                    let mut counts = vec![0usize; levels.len()];
                    for &r in rows {
                        if let Some(c) = codes[r] {
                            counts[c as usize] += 1;
                        }
                    }
                    let mut seen: Vec<usize> = (0..levels.len()).filter(|&i| counts[i] > 0).collect();
                    if seen.is_empty() {
                        steps.push(RecipeStep::DropColumn {
                            column,
                            reason: "every training value is missing".into(),
                        });
                        continue;
                    }
                    if seen.len() > MAX_ONE_HOT_LEVELS {
                        // Keep the most frequent; stable sort keeps first appearance for ties.
                        seen.sort_by(|&a, &b| counts[b].cmp(&counts[a]));
                        seen.truncate(MAX_ONE_HOT_LEVELS);
                        seen.sort_unstable();
                    }
                    let levels = seen.into_iter().map(|i| levels[i].clone()).collect();
                    steps.push(RecipeStep::OneHot { column, levels });
                }
            }
        }
        let recipe = Recipe { steps };
        if recipe.width() == 0 {
            return Err(PrepareError::NoFeatures);
        }
        Ok(recipe)
    }

    /// Number of columns the recipe produces.
    pub fn width(&self) -> usize {
        self.steps
            .iter()
            .map(|s| match s {
                RecipeStep::ImputeMedian { .. } => 1,
                RecipeStep::OneHot { levels, .. } => levels.len(),
                RecipeStep::DropColumn { .. } => 0,
            })
            .sum()
    }

    /// Names of the produced columns, e.g. `age` or `colour=red`.
    pub fn feature_names(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.width());
        for s in &self.steps {
            match s {
                RecipeStep::ImputeMedian { column, .. } => names.push(column.clone()),
                RecipeStep::OneHot { column, levels } => {
                    names.extend(levels.iter().map(|l| format!("{column}={l}")))
                }
                RecipeStep::DropColumn { .. } => {}
            }
        }
        names
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
        for step in &self.steps {
            let (name, expected) = match step {
                RecipeStep::ImputeMedian { column, .. } => (column, true),
                RecipeStep::OneHot { column, .. } => (column, false),
                RecipeStep::DropColumn { .. } => continue,
            };
            let col = ds
                .column(name)
                .map_err(|_| PrepareError::MissingColumn { column: name.clone() })?;
            if col.kind().is_numeric() != expected {
                let word = |numeric: bool| if numeric { "numbers" } else { "labels" }.to_string();
                return Err(PrepareError::KindMismatch { column: name.clone(), expected: word(expected), found: word(!expected) });
            }
            match (step, &col.values) {
                (RecipeStep::ImputeMedian { value, .. }, ColumnValues::Numeric(v)) => {
                    for (i, &r) in rows.iter().enumerate() {
                        out[i * width + offset] = v[r].unwrap_or(*value);
                    }
                    offset += 1;
                }
                (RecipeStep::OneHot { levels: wanted, .. }, ColumnValues::Categorical { levels, codes }) => {
                    // Map the data's level codes to output positions once.
                    let position: Vec<Option<usize>> =
                        levels.iter().map(|l| wanted.iter().position(|w| w == l)).collect();
                    for (i, &r) in rows.iter().enumerate() {
                        if let Some(p) = codes[r].and_then(|c| position[c as usize]) {
                            out[i * width + offset + p] = 1.0;
                        }
                    }
                    offset += wanted.len();
                }
                _ => unreachable!("kinds checked above"),
            }
        }
        Array2::from_shape_vec((rows.len(), width), out).map_err(|_| too_large())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{parse_csv, ParseOptions};

    #[test]
    fn fitted_on_train_rows_only() {
        let ds = parse_csv(b"x,c\n1,a\n3,b\n,a\n100,z\n", "t.csv", &ParseOptions::default()).unwrap();
        let recipe = Recipe::fit(&ds, &[0, 1], &[0, 1, 2]).unwrap();
        assert_eq!(
            recipe.steps,
            vec![
                RecipeStep::ImputeMedian { column: "x".into(), value: 2.0 },
                RecipeStep::OneHot { column: "c".into(), levels: vec!["a".into(), "b".into()] },
            ]
        );
        assert_eq!(recipe.feature_names(), ["x", "c=a", "c=b"]);
        let m = recipe.apply(&ds, &[2, 3]).unwrap();
        // Row 2: x missing -> median 2; c=a. Row 3: x=100; c=z unseen -> zeros.
        assert_eq!(m.as_slice().unwrap(), &[2.0, 1.0, 0.0, 100.0, 0.0, 0.0]);
    }

    #[test]
    fn all_missing_column_is_dropped_and_nothing_left_is_an_error() {
        let ds = parse_csv(b"x,y\n,1\n,2\n", "t.csv", &ParseOptions::default()).unwrap();
        assert_eq!(Recipe::fit(&ds, &[0], &[0, 1]).unwrap_err(), PrepareError::NoFeatures);
        let r = Recipe::fit(&ds, &[0, 1], &[0, 1]).unwrap();
        assert_eq!(r.width(), 1);
        assert!(matches!(r.steps[0], RecipeStep::DropColumn { .. }));
    }

    #[test]
    fn recipe_round_trips_as_json() {
        let r = Recipe { steps: vec![RecipeStep::OneHot { column: "c".into(), levels: vec!["a".into()] }] };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"steps":[{"step":"one_hot","column":"c","levels":["a"]}]}"#);
        assert_eq!(serde_json::from_str::<Recipe>(&json).unwrap(), r);
        assert!(serde_json::from_str::<Recipe>(r#"{"steps":[],"x":1}"#).is_err());
    }
}
