//! Deployment and monitoring, the record: the run manifest.
//!
//! Takes everything a run used and produced and gives a versioned, typed
//! [`RunManifest`] serialised as canonical JSON: fixed key order (struct
//! order, maps sorted), two-space indentation, shortest round-trip floats,
//! no NaN. The same run gives the same bytes natively and in wasm, except
//! for the build target and the caller's durations. Reading is strict:
//! size checked first, unknown fields refused, schema version named.
//! No wasm here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::data::{ColumnSchema, ParseOptions};
use crate::evaluate::Metric;
use crate::prepare::{Recipe, RecipeStep};
use crate::search::{RankMetric, Strategy, Trial};
use crate::train::{ModelSpec, Task};

/// The schema id this build writes and reads.
pub const SCHEMA: &str = "mlcycle.run/1";
/// Largest manifest accepted, in bytes.
pub const MAX_MANIFEST_BYTES: usize = 16 << 20;
/// Deepest JSON nesting accepted.
pub const MAX_DEPTH: usize = 32;
/// The smartcore version this build links (pinned with `=` in Cargo.toml).
pub const SMARTCORE_VERSION: &str = "0.7.0";

/// Errors reading or checking a manifest.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ManifestError {
    /// Over the size limit.
    #[error("the manifest is {bytes} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size given.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// Not UTF-8.
    #[error("the manifest is not valid UTF-8 (at byte {byte})")]
    NotUtf8 {
        /// First bad byte.
        byte: usize,
    },
    /// Nested too deeply.
    #[error("the manifest nests deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// Not an mlcycle run manifest at all, or a schema we do not read.
    #[error("unsupported manifest schema \"{found}\"; this build of mlcycle reads \"{expected}\"")]
    SchemaVersion {
        /// The schema named in the file.
        found: String,
        /// The schema this build reads.
        expected: &'static str,
    },
    /// JSON that does not match the schema.
    #[error("the manifest is not valid at line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Well-formed JSON whose values do not make a run (a field out of
    /// range, or parts that contradict each other).
    #[error("the manifest is not valid: {message}")]
    BadValue {
        /// The field and what is wrong with it.
        message: String,
    },
    /// A run whose manifest would not read back (a figure that is not
    /// finite is written as null): refused rather than written.
    #[error("the run gave a figure its manifest cannot record (a number not finite, or too large), so it could not be replayed ({reason}); rescale the columns of very large numbers, or leave them out")]
    Unrecordable {
        /// What reading it back found.
        reason: String,
    },
}

impl ManifestError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ManifestError::TooLarge { .. } => "too_large",
            ManifestError::NotUtf8 { .. } => "not_utf8",
            ManifestError::TooDeep { .. } => "too_deep",
            ManifestError::SchemaVersion { .. } => "schema_version",
            ManifestError::Invalid { .. } | ManifestError::BadValue { .. } => "invalid_manifest",
            ManifestError::Unrecordable { .. } => "unrecordable",
        }
    }
}

/// The data a run used: digest of the bytes plus the parsed schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetRecord {
    /// File name, for people; not checked on replay.
    pub file_name: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Data rows parsed.
    pub rows: usize,
    /// Column names and kinds, in file order.
    pub columns: Vec<ColumnSchema>,
    /// The reading options, when not the defaults (in the page's and the
    /// engine's `ParseOptions` form): a replay reads the file with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse_options: Option<ParseOptions>,
    /// When the file was over the memory budget: the sample the
    /// run used (`rows` above is the rows kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<SampleRecord>,
}

/// The rows a run on a sampled file used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleRecord {
    /// Data rows in the file.
    pub total_rows: usize,
    /// Rows kept.
    pub kept_rows: usize,
    /// About one row in `stride` was kept: those whose hashed row number
    /// has `log2(stride)` low zero bits (`mlcycle::data::sample_keeps`).
    pub stride: usize,
}

/// Whether the task was inferred or chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskSource {
    /// Inferred from the target column.
    Inferred,
    /// Given by the user.
    User,
}

/// Every option of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigRecord {
    /// Target column.
    pub target: String,
    /// The task used.
    pub task: Task,
    /// Where the task came from.
    pub task_source: TaskSource,
    /// The seed of every random step (split and model).
    pub seed: u64,
    /// Share of rows held out for testing.
    pub test_fraction: f64,
    /// The model fitted on the training rows: the search's best, or the
    /// one model asked for.
    pub model: ModelSpec,
    /// The search's settings, when a search chose the model.
    #[serde(default)]
    pub search: Option<SearchConfig>,
    /// How the target's labels were read as numbers, when a
    /// `parse_numbers` step named the target (prices written "$1,200.50"
    /// to be predicted): the step as fitted on the labelled rows (decimal
    /// comma, unit). Absent when the target was used as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_reading: Option<RecipeStep>,
}

/// How a search was set up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Grid or random.
    pub strategy: Strategy,
    /// Model names searched, in order.
    pub models: Vec<String>,
    /// Trial budget.
    pub trials: usize,
    /// Cross-validation folds.
    pub folds: usize,
    /// The metric trials are ranked by.
    pub metric: RankMetric,
    /// A candidate whose estimated cross-validation time exceeds this many
    /// seconds is skipped, recorded with the estimate.
    pub max_trial_seconds: f64,
    /// The candidates' grid when it was given (a search configuration's
    /// spaces, expanded) rather than the models' default spaces, or when a
    /// default search left some candidates out as slow on this data (the
    /// grid left after that): a replay searches this grid as it is.
    /// Manifests from before it was recorded for left-out candidates lack
    /// it; their replay leaves the same candidates out again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<Vec<ModelSpec>>,
    /// The search stops once this many seconds have passed (measured by
    /// the caller); which trials ran is recorded, so replay runs the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_budget_seconds: Option<f64>,
}

/// The leaderboard of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRecord {
    /// Trials planned.
    pub planned: usize,
    /// Whether the search was cancelled before every planned trial ran.
    pub cut_short: bool,
    /// Index of the best trial.
    pub best: Option<usize>,
    /// Every trial run, in plan order.
    pub trials: Vec<Trial>,
}

/// How the rows were divided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRecord {
    /// Whether the split kept class proportions.
    pub stratified: bool,
    /// Rows dropped because the target was missing.
    pub dropped_missing_target: usize,
    /// Rows fitted on.
    pub train_rows: usize,
    /// Rows held out.
    pub test_rows: usize,
    /// Test rows that repeat a training row exactly (every column, the
    /// target too): they make the test metrics optimistic.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub test_rows_in_training: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What the run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultRecord {
    /// Class labels in code order (classification), else none.
    pub classes: Option<Vec<String>>,
    /// Names of the prepared feature columns.
    pub features: Vec<String>,
    /// Held-out metrics.
    pub metrics: Vec<Metric>,
}

/// Where and with what the run was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolRecord {
    /// mlcycle's version.
    pub mlcycle: String,
    /// smartcore's version.
    pub smartcore: String,
    /// `arch-os` of the build that made the run, e.g. `wasm32-unknown`.
    pub target: String,
}

impl ToolRecord {
    /// This build.
    pub fn current() -> ToolRecord {
        ToolRecord {
            mlcycle: env!("CARGO_PKG_VERSION").to_string(),
            smartcore: SMARTCORE_VERSION.to_string(),
            target: build_target(),
        }
    }
}

/// `arch-os` of this build, e.g. `x86_64-linux` or `wasm32-unknown`.
pub fn build_target() -> String {
    format!("{}-{}", std::env::consts::ARCH, if std::env::consts::OS.is_empty() { "unknown" } else { std::env::consts::OS })
}

/// A complete record of one run, enough to replay it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunManifest {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The build that made it.
    pub tool: ToolRecord,
    /// The data.
    pub dataset: DatasetRecord,
    /// The options.
    pub config: ConfigRecord,
    /// The split.
    pub split: SplitRecord,
    /// The search's leaderboard, when a search ran.
    #[serde(default)]
    pub search: Option<SearchRecord>,
    /// The fitted preparation recipe.
    pub recipe: Recipe,
    /// The outcome.
    pub result: ResultRecord,
    /// Milliseconds per stage, measured by the caller (not replayed).
    pub durations_ms: BTreeMap<String, f64>,
}

impl RunManifest {
    /// Canonical JSON text, ending in a newline; refused when it would
    /// not read back as this manifest (JSON has no infinity: such a figure
    /// is written as null, which `replay` rejects).
    pub fn to_json(&self) -> Result<String, ManifestError> {
        let unrecordable = |reason: String| ManifestError::Unrecordable { reason };
        let mut s = serde_json::to_string_pretty(self).map_err(|e| unrecordable(e.to_string()))?;
        s.push('\n');
        RunManifest::from_bytes(s.as_bytes()).map_err(|e| unrecordable(e.to_string()))?;
        Ok(s)
    }

    /// Reads a manifest strictly from bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<RunManifest, ManifestError> {
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(ManifestError::TooLarge { bytes: bytes.len(), limit: MAX_MANIFEST_BYTES });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| ManifestError::NotUtf8 { byte: e.valid_up_to() })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        check_depth(text)?;
        let invalid = |e: serde_json::Error| ManifestError::Invalid {
            line: e.line(),
            column: e.column(),
            message: e.to_string().split(" at line ").next().unwrap_or_default().to_string(),
        };
        // Other JSON than an object ([1,2,3] was "trailing characters").
        let start = text.trim_start();
        if let Some(first) = start.chars().next().filter(|&c| c != '{') {
            let line = text[..text.len() - start.len()].matches('\n').count() + 1;
            let what = match first {
                '[' => "a JSON array",
                '"' => "a JSON string",
                '-' | '0'..='9' => "a JSON number",
                't' | 'f' => "a JSON true or false",
                'n' => "JSON null",
                _ => "not JSON",
            };
            return Err(ManifestError::Invalid { line, column: 1 + text.lines().nth(line - 1).map_or(0, |l| l.len() - l.trim_start().len()), message: format!("the file is {what}, where a manifest is the JSON object (starting with {{) mlcycle writes") });
        }
        // Look at the schema first so an old or foreign file gets that error,
        // not a list of missing fields.
        #[derive(Deserialize)]
        struct Head {
            schema: Option<serde_json::Value>,
        }
        let head: Head = serde_json::from_str(text).map_err(invalid)?;
        match head.schema {
            Some(serde_json::Value::String(s)) if s == SCHEMA => {}
            Some(serde_json::Value::String(s)) => {
                return Err(ManifestError::SchemaVersion { found: s, expected: SCHEMA })
            }
            // Another JSON value (999, null) is shown as written, clipped.
            Some(other) => return Err(ManifestError::SchemaVersion { found: other.to_string().chars().take(60).collect(), expected: SCHEMA }),
            None => return Err(ManifestError::SchemaVersion { found: "(none)".into(), expected: SCHEMA }),
        }
        // Parsed with the path to each value, so that a value of the wrong
        // type or out of range ("folds": 1e400) is named by its field, not
        // only by its line and column.
        let mut de = serde_json::Deserializer::from_str(text);
        let manifest: RunManifest = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let field = e.path().to_string();
            let e = invalid(e.into_inner());
            match e {
                ManifestError::Invalid { line, column, message } if field != "." => ManifestError::Invalid { line, column, message: format!("{field}: {}", crate::search::in_words(&message)) },
                e => e,
            }
        })?;
        de.end().map_err(invalid)?;
        manifest.check()?;
        Ok(manifest)
    }

    fn check(&self) -> Result<(), ManifestError> {
        let bad = |message: String| ManifestError::BadValue { message };
        let c = &self.config;
        if !(c.test_fraction > 0.0 && c.test_fraction < 1.0) {
            return Err(bad(format!("config.test_fraction {} is not between 0 and 1", c.test_fraction)));
        }
        // Lowercase, as written: an uppercase copy of the right digest was
        // accepted here and then called another file's.
        if self.dataset.sha256.len() != 64 || !self.dataset.sha256.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(bad("dataset.sha256 is not a 64-digit lowercase hex digest".into()));
        }
        // The target is one of the manifest's own columns: another name
        // was reported as the data's fault ("no column named …").
        if !self.dataset.columns.iter().any(|col| col.name == c.target) {
            return Err(bad(format!("config.target {} is not among dataset.columns, the columns the run was made on", crate::report::quoted(&c.target))));
        }
        // Each metric once: a second copy of one was never compared.
        let metrics = &self.result.metrics;
        if let Some((i, m)) = metrics.iter().enumerate().find(|(i, m)| metrics[..*i].iter().any(|n| n.name == m.name)) {
            return Err(bad(format!("result.metrics[{i}] repeats the metric {}", m.name)));
        }
        // The chosen model's hyperparameters: an edited value out of range is
        // the manifest's fault, not a difference found by replaying.
        if let Err(e) = c.model.validate() {
            return Err(bad(format!("config.model: {e}")));
        }
        if let Some(s) = &self.config.search {
            if s.trials == 0 || s.trials > crate::search::MAX_TRIALS {
                return Err(bad(format!("config.search.trials {} is out of range: allowed 1 to {}", s.trials, crate::search::MAX_TRIALS)));
            }
            if !(2..=crate::search::MAX_FOLDS).contains(&s.folds) {
                return Err(bad(format!("config.search.folds {} is out of range: allowed 2 to {}", s.folds, crate::search::MAX_FOLDS)));
            }
            if s.max_trial_seconds.is_nan() || s.max_trial_seconds <= 0.0 {
                return Err(bad(format!("config.search.max_trial_seconds {} is out of range: allowed a number of seconds above 0", s.max_trial_seconds)));
            }
            if s.models.is_empty() {
                return Err(bad("config.search.models is empty: a search records the models it chose from".into()));
            }
            if !s.metric.fits(c.task) {
                return Err(bad(format!("config.search.metric {} does not apply to config.task {}", s.metric.name(), c.task.as_str())));
            }
            for (i, name) in s.models.iter().enumerate() {
                match crate::search::default_space(name) {
                    None => return Err(bad(format!("config.search.models[{i}] {name:?} is no model; the models are {}", crate::search::MODEL_NAMES.join(", ")))),
                    Some(space) if !space.iter().any(|m| m.supports(c.task)) => {
                        return Err(bad(format!("config.search.models[{i}] {name} does not apply to config.task {}", c.task.as_str())));
                    }
                    _ => {}
                }
            }
        }
        if !c.model.supports(c.task) {
            return Err(bad(format!("config.model {} does not apply to config.task {}", c.model.name(), c.task.as_str())));
        }
        match (&self.config.search, &self.search) {
            (Some(_), None) => return Err(bad("config.search is set but the search record (search) is missing".into())),
            (None, Some(_)) => return Err(bad("a search is recorded (search) but config.search is null".into())),
            _ => {}
        }
        if let Some(s) = &self.search {
            if s.trials.len() > s.planned || s.planned > crate::search::MAX_TRIALS {
                return Err(bad(format!("search lists {} trials of {} planned", s.trials.len(), s.planned)));
            }
            if s.trials.is_empty() {
                return Err(bad("search.trials is empty: a run with a search records at least the trial it chose".into()));
            }
            if let Some(best) = s.best.filter(|b| !s.trials.iter().any(|t| t.index == *b)) {
                return Err(bad(format!("search.best {best} is not the index of a recorded trial")));
            }
        }
        if self.durations_ms.values().any(|d| !d.is_finite() || *d < 0.0) {
            return Err(bad("durations_ms holds a negative or non-finite value".into()));
        }
        Ok(())
    }
}

/// Refuses JSON nested deeper than [`MAX_DEPTH`] before parsing it, so a
/// hostile file cannot exhaust the stack.
fn check_depth(text: &str) -> Result<(), ManifestError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ManifestError::TooDeep { limit: MAX_DEPTH });
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn bad_manifests_give_their_specific_error() {
        let deep = "[".repeat(10_000);
        let cases: &[(&[u8], &str)] = &[
            (b"\xff\xfe", "not_utf8"),
            (deep.as_bytes(), "too_deep"),
            (b"{\"schema\":\"mlcycle.run/0\"}", "schema_version"),
            (b"{\"schema\":\"mlcycle.run/99\",\"x\":1}", "schema_version"),
            (b"{}", "schema_version"),
            (b"[1,2]", "invalid_manifest"),
            (b"{\"schema\":\"mlcycle.run/1\"}", "invalid_manifest"),
            (b"{\"schema\":\"mlcycle.run/1\",\"__proto__\":{}}", "invalid_manifest"),
            (b"not json", "invalid_manifest"),
        ];
        for (input, code) in cases {
            let err = RunManifest::from_bytes(input).unwrap_err();
            assert_eq!(err.code(), *code, "{:?}: {err}", String::from_utf8_lossy(&input[..input.len().min(40)]));
        }
        // JSON that is no object says what it is (an array was "trailing
        // characters" at column 4), and where.
        let err = RunManifest::from_bytes(b"[1,2,3]").unwrap_err();
        assert_eq!(err.to_string(), "the manifest is not valid at line 1, column 1: the file is a JSON array, where a manifest is the JSON object (starting with {) mlcycle writes");
        // A schema that is no string is shown as written (it was "(none)").
        let err = RunManifest::from_bytes(b"{\"schema\": 999}").unwrap_err();
        assert!(err.to_string().starts_with("unsupported manifest schema \"999\""), "{err}");
        let err = RunManifest::from_bytes(b"{}").unwrap_err();
        assert!(err.to_string().starts_with("unsupported manifest schema \"(none)\""), "{err}");
        let err = RunManifest::from_bytes(b"\n  \"text\"").unwrap_err();
        assert!(err.to_string().starts_with("the manifest is not valid at line 2, column 3: the file is a JSON string"), "{err}");
    }

    /// A hand-edited value is named by its field, without a line and
    /// column (there is none to give), and parts that contradict each other
    /// are refused rather than replayed.
    #[test]
    fn edited_values_are_named_by_their_field() {
        let base: serde_json::Value = serde_json::from_slice(include_bytes!("../../tests/fixtures/iris-search.run.json")).unwrap();
        assert!(RunManifest::from_bytes(base.to_string().as_bytes()).is_ok());
        let cases: &[(&str, serde_json::Value, &str)] = &[
            ("/config/search/max_trial_seconds", serde_json::json!(0.0), "the manifest is not valid: config.search.max_trial_seconds 0 is out of range: allowed a number of seconds above 0"),
            ("/config/search/folds", serde_json::json!(1), "the manifest is not valid: config.search.folds 1 is out of range: allowed 2 to "),
            ("/config/search/trials", serde_json::json!(0), "the manifest is not valid: config.search.trials 0 is out of range: allowed 1 to "),
            ("/search", serde_json::Value::Null, "the manifest is not valid: config.search is set but the search record (search) is missing"),
            ("/config/search", serde_json::Value::Null, "the manifest is not valid: a search is recorded (search) but config.search is null"),
            ("/search/trials", serde_json::json!([]), "the manifest is not valid: search.trials is empty"),
            ("/search/best", serde_json::json!(99), "the manifest is not valid: search.best 99 is not the index of a recorded trial"),
            ("/config/model/alpha", serde_json::json!(-1.0), "the manifest is not valid: config.model: "),
            ("/config/search/models", serde_json::json!([]), "the manifest is not valid: config.search.models is empty"),
            ("/result/metrics/1/name", serde_json::json!("accuracy"), "the manifest is not valid: result.metrics[1] repeats the metric accuracy"),
            ("/dataset/sha256", serde_json::json!("9CC1C345C71BCC9B486B74CBF6063FA66F4BB5E0F603A4B3C3471EC2E5E8E355"), "the manifest is not valid: dataset.sha256 is not a 64-digit lowercase hex digest"),
            ("/config/search/models", serde_json::json!(["decision_tree", "linear"]), "the manifest is not valid: config.search.models[1] linear does not apply to config.task classification"),
            ("/config/search/models", serde_json::json!(["tree", "boosted_unicorn"]), "the manifest is not valid: config.search.models[1] \"boosted_unicorn\" is no model; the models are "),
            ("/config/task", serde_json::json!("regression"), "the manifest is not valid: config.search.metric log_loss does not apply to config.task regression"),
            ("/config/search/metric", serde_json::json!("rmse"), "the manifest is not valid: config.search.metric rmse does not apply to config.task classification"),
            ("/config/target", serde_json::json!("nosuch"), "the manifest is not valid: config.target \"nosuch\" is not among dataset.columns, the columns the run was made on"),
        ];
        for (pointer, value, message) in cases {
            let mut m = base.clone();
            *m.pointer_mut(pointer).unwrap() = value.clone();
            let err = RunManifest::from_bytes(m.to_string().as_bytes()).unwrap_err();
            assert_eq!(err.code(), "invalid_manifest");
            assert!(err.to_string().starts_with(message), "{pointer}: {err}");
        }
    }

    /// A number out of range for its field, or of the wrong type, is named
    /// by its field path as well as its line and column (serde_json gave
    /// only "number out of range at line 55 column 20").
    #[cfg_attr(all(target_arch = "wasm32", not(target_os = "wasi")), wasm_bindgen_test::wasm_bindgen_test)]
    #[test]
    fn bad_numbers_are_named_by_their_field_path() {
        let base = include_str!("../../tests/fixtures/iris-search.run.json");
        let cases: &[(&str, &str, &str)] = &[
            ("\"folds\": 4,", "\"folds\": 1e400,", "at line 55, column 20: config.search.folds: number out of range"),
            ("\"seed\": 8,", "\"seed\": -1,", "at line 39, column 14: config.seed: invalid value: integer `-1`, expected a whole number of 0 or more"),
            ("\"trials\": 9,", "\"trials\": 99999999999999999999,", "at line 54, column 36: config.search.trials: invalid type: floating point `1e+20`, expected a whole number of 0 or more"),
            ("\"planned\": 9,", "\"planned\": 9.5,", "search.planned: invalid type: floating point `9.5`, expected a whole number of 0 or more"),
            ("\"best\": 0,", "\"best\": \"zero\",", "search.best: invalid type: string \"zero\""),
            ("\"index\": 0,", "\"index\": -3,", "search.trials[0].index: invalid value: integer `-3`"),
            ("\"rows\": 150,", "\"rows\": true,", "dataset.rows: invalid type: boolean `true`"),
        ];
        for (from, to, expected) in cases {
            assert!(base.contains(from), "{from}");
            let text = base.replacen(from, to, 1);
            let err = RunManifest::from_bytes(text.as_bytes()).unwrap_err();
            assert_eq!(err.code(), "invalid_manifest", "{to}: {err}");
            assert!(err.to_string().starts_with("the manifest is not valid at line "), "{to}: {err}");
            assert!(err.to_string().contains(expected), "{to}: {err}");
        }
    }

    #[test]
    fn size_is_checked_first() {
        let big = vec![b' '; MAX_MANIFEST_BYTES + 1];
        assert_eq!(RunManifest::from_bytes(&big).unwrap_err().code(), "too_large");
    }
}
