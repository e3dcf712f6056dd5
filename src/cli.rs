//! The `mlcycle` command's body (see `main.rs`): the same core as the page, natively.
//!
//! `profile` describes a CSV, `run` trains and writes a manifest, `replay`
//! re-runs a manifest and fails when any number moved, `serve` serves the
//! page. Exit codes are documented in `--help` and the README; a bug is
//! caught and reported in one line with its own code, never as a raw panic.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use mlcycle::data::{format_number, parse_csv, Dataset, ParseOptions};
use mlcycle::report::quoted;
use mlcycle::manifest::RunManifest;
use mlcycle::manifest::SearchRecord;
use mlcycle::profile::{profile_with, Profile, ProfileOptions};
use mlcycle::run::{replay, Run, RunOptions};
use mlcycle::search::{RankMetric, Strategy};
use mlcycle::train::Task;

/// `eprintln!` that cannot panic: when standard error is a pipe closed
/// early (`mlcycle run … 2>&1 | head -1`), the text is lost, not the run
/// (a panic there, then another in the panic hook, aborted with no message).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`say!`] without the line end (a progress line redrawn with `\r`).
macro_rules! say_part {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// Exit codes, stable for scripts and CI.
mod exit {
    /// Replay: a figure differs from the manifest.
    pub const DIFFERS: u8 = 1;
    /// A command line that cannot be parsed.
    pub const USAGE: u8 = 2;
    /// Bad data, bad manifest, or options that cannot train.
    pub const INPUT: u8 = 3;
    /// Replay: the data is not the data the manifest was made from.
    pub const DATA_MISMATCH: u8 = 4;
    /// A file could not be read or written.
    pub const IO: u8 = 5;
    /// `run` stopped by Ctrl-C (128 + SIGINT, as a shell reports it).
    pub const INTERRUPTED: u8 = 130;
    /// A bug in mlcycle.
    pub const INTERNAL: u8 = 70;
}

const EXIT_CODES: &str = "Exit codes: 0 success (replay: reproduced), 1 replay found a difference, \
2 bad command line, 3 bad data, manifest or options, 4 replay on different data, \
5 a file could not be read or written, 70 a bug in mlcycle, 130 run stopped by Ctrl-C \
(the finished candidates reported and the manifest written, recorded as cut short).";

#[derive(Parser)]
#[command(name = "mlcycle", version, about = "Profile, train, and replay machine-learning runs on CSV data.", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum TaskArg {
    Classification,
    Regression,
}

#[derive(Clone, Copy, ValueEnum)]
enum SearchArg {
    Grid,
    Random,
    Halving,
    None,
}

impl SearchArg {
    fn strategy(self) -> Strategy {
        match self {
            SearchArg::Grid => Strategy::Grid,
            SearchArg::Random => Strategy::Random,
            SearchArg::Halving => Strategy::Halving,
            SearchArg::None => Strategy::None,
        }
    }
}

/// How `run` shows a search's progress on standard error.
#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum ProgressArg {
    /// One line redrawn in place (the default on a terminal).
    Bar,
    /// A line per finished candidate, for logs.
    Lines,
    /// Nothing until the leaderboard (the default otherwise).
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum ClusterArg {
    Kmeans,
    Dbscan,
    Pca,
}

/// Set by the first Ctrl-C during `run`'s search (see [`stop_on_ctrl_c`]).
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether Ctrl-C has been pressed since the search started.
fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// From here on, a first Ctrl-C stops the search as a time budget does:
/// no more candidates start, those running finish, and the finished ones
/// are reported. A second Ctrl-C quits at once. The handler only sets a
/// flag (and says so); the search reads it between candidates.
fn stop_on_ctrl_c() {
    let set = ctrlc::set_handler(|| {
        let newline = if std::io::stderr().is_terminal() { "\n" } else { "" };
        if INTERRUPTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            say!("{newline}mlcycle: stopped at once by a second Ctrl-C; nothing more was written");
            std::process::exit(i32::from(exit::INTERRUPTED));
        }
        say!("{newline}mlcycle: stopping (Ctrl-C): the candidates running finish, then the best finished one is fitted and reported; Ctrl-C again quits at once");
    });
    if let Err(e) = set {
        say!("note: Ctrl-C will end the run at once, keeping nothing ({e})");
    }
}

/// Refuses an output path that is the data file itself: writing the report
/// or manifest there would destroy the data (and the run could never be
/// replayed). Checked before any work.
/// Whether two paths name one file, whether or not it exists yet: their
/// folders resolved (links, `..`) and their names compared.
fn same_place(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        if let Ok(full) = std::fs::canonicalize(p) {
            return Some(full);
        }
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
    };
    match (resolve(a), resolve(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn not_the_data(output: Option<&Path>, flag: &str, data: &Path) -> Result<(), Failure> {
    let (Some(output), false) = (output, is_stdin(data)) else { return Ok(()) };
    let same = match (std::fs::canonicalize(output), std::fs::canonicalize(data)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Failure {
            code: exit::INPUT,
            message: format!("{flag} {} is the data file itself; writing there would overwrite the data, so nothing was written: choose another path", output.display()),
        });
    }
    Ok(())
}

/// Checks, before any work, that `output` (given with `flag`) can be
/// written: it is not a directory, its directory exists, and it can be
/// opened for writing (an existing file is opened without being changed; a
/// new one is created and removed at once, so nothing is left behind).
fn writable(output: Option<&Path>, flag: &str) -> Result<(), Failure> {
    let Some(path) = output else { return Ok(()) };
    let fail = |why: String| Failure { code: exit::IO, message: format!("{flag} {}: {why}; nothing was done", path.display()) };
    if path.is_dir() {
        return Err(fail("is a directory; give a file name".into()));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match std::fs::metadata(parent) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(fail(format!("{} is not a directory", parent.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(fail(format!("the directory {} does not exist", parent.display()))),
        Err(e) => return Err(fail(format!("cannot use the directory {}: {e}", parent.display()))),
    }
    let probe = if path.exists() { std::fs::OpenOptions::new().append(true).open(path).map(|_| ()) } else { std::fs::OpenOptions::new().write(true).create_new(true).open(path).and_then(|_| std::fs::remove_file(path)) };
    probe.map_err(|e| fail(format!("cannot write: {e}")))
}

fn cluster_command(data: &Path, read: &ReadArgs, opts: &mlcycle::cluster::ClusterOptions, out: Option<&Path>) -> Result<u8, Failure> {
    use mlcycle::cluster::ClusterModel;
    not_the_data(out, "--out", data)?;
    writable(out, "--out")?;
    let (ds, _) = load_with(data, &read.options()?)?;
    say_reading_notes(&ds, "clustered");
    // --ignore a,b names two columns, unless "a,b" is itself a column's name.
    let mut opts = opts.clone();
    opts.exclude = std::mem::take(&mut opts.exclude)
        .into_iter()
        .flat_map(|given| if ds.columns.iter().any(|c| c.name == given) { vec![given] } else { given.split(',').map(str::to_string).collect() })
        .collect();
    let opts = &opts;
    // The file is named, as in every other error about its contents.
    let result = mlcycle::cluster::cluster(&ds, opts).map_err(|e| match e {
        e @ mlcycle::cluster::ClusterError::UnknownColumn { .. } => Failure { code: exit::INPUT, message: format!("{}: {e}", ds.file_name) },
        e => mlcycle::Error::from(e).into(),
    })?;
    let name = match opts.model {
        ClusterModel::Kmeans { .. } => "k-means",
        ClusterModel::Dbscan { .. } => "DBSCAN",
        ClusterModel::Pca { .. } => "PCA",
    };
    say!("{}: {name} on {} rows × {} prepared, standardised columns", ds.file_name, result.rows, result.features.len());
    for c in &result.clusters {
        let label = if c.label < 0 { "noise".to_string() } else { format!("cluster {}", c.label) };
        say!("  {label:<11} {} rows", c.size);
    }
    if let Some(inertia) = result.inertia {
        say!("  inertia     {inertia}");
    }
    let shares: Vec<String> = result.explained_variance.iter().map(|v| format!("{:.4}", v)).collect();
    say!("  projection  {} rows on {} components (variance explained {})", result.rows, result.explained_variance.len(), shares.join(", "));
    if let Some(path) = out {
        let v = serde_json::json!({"file": ds.file_name, "sha256": ds.sha256, "result": result});
        std::fs::write(path, format!("{v:#}\n")).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot write: {e}", path.display()) })?;
        say!("written to {}", path.display());
    }
    Ok(0)
}

/// A `--config` file: search spaces and settings; flags on the command
/// line win over the file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchFile {
    /// `[{"model": NAME, PARAMETER: [VALUES], …}]`.
    #[serde(default)]
    spaces: Option<serde_json::Value>,
    #[serde(default)]
    strategy: Option<Strategy>,
    #[serde(default)]
    trials: Option<usize>,
    #[serde(default)]
    folds: Option<usize>,
    #[serde(default)]
    metric: Option<RankMetric>,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    time_budget_seconds: Option<f64>,
}

fn parse_metric(name: &str) -> Result<RankMetric, String> {
    RankMetric::from_name(&name.replace('-', "_"))
        .ok_or_else(|| format!("unknown metric \"{name}\"; one of accuracy, macro_f1, log_loss, roc_auc (classification), r2, rmse (regression)"))
}

fn read_config(path: &Path) -> Result<SearchFile, Failure> {
    let bytes = read_capped(path, 1 << 20, |bytes, at_least| Failure {
        code: exit::INPUT,
        message: format!("{}: {}{bytes} bytes, over the limit of 1 MiB for a search configuration", path.display(), if at_least { "at least " } else { "" }),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| Failure { code: exit::INPUT, message: format!("{}: search configuration: {e}", path.display()) })
}

/// A `--step`: JSON, or `KIND[:COLUMN[:ARG]]` (see the flag's help).
/// The --step list as the page's *Add step* settles it, so a profile's
/// suggestions can be passed as they come: a step given again is used once,
/// and a drop_column replaces the other steps on its column (an alert may
/// suggest scaling a column another suggests dropping); each said on
/// standard error. Steps of one kind with other settings are left for the
/// recipe to refuse, naming them.
fn settle_steps(steps: Vec<mlcycle::prepare::StepSpec>) -> Vec<mlcycle::prepare::StepSpec> {
    use mlcycle::prepare::StepSpec;
    let text = |s: &StepSpec| serde_json::to_string(s).unwrap_or_default();
    let dropped: Vec<String> = steps.iter().filter_map(|s| if let StepSpec::DropColumn { column } = s { Some(column.clone()) } else { None }).collect();
    let mut kept: Vec<StepSpec> = Vec::new();
    for s in steps {
        if kept.contains(&s) {
            say!("note: step {} given again: used once", text(&s));
        } else if !matches!(s, StepSpec::DropColumn { .. }) && s.column().is_some_and(|c| dropped.iter().any(|d| d == c)) {
            say!("note: step {} left out: its column is dropped (drop_column)", text(&s));
        } else {
            kept.push(s);
        }
    }
    kept
}

/// A number of seconds above 0 (a time budget or limit of 0 or less, or
/// not a number, would allow nothing).
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("{text:?} is not a number of seconds above 0")),
    }
}

/// A whole number from `lo` to `hi`, for a flag: a value out of range is
/// a bad command line (exit 2), named with the allowed range, as clap says
/// it ("invalid value '0' for '--folds <FOLDS>': …").
fn whole_in<T: TryFrom<u64> + Clone + Send + Sync + 'static>(lo: u64, hi: u64) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |text: &str| {
        let allowed = if hi >= u64::from(u32::MAX) { format!("allowed {lo} or more") } else { format!("allowed {lo} to {hi}") };
        match text.trim().parse::<u64>() {
            Ok(n) if (lo..=hi).contains(&n) => T::try_from(n).map_err(|_| format!("out of range: {allowed}")),
            Ok(_) => Err(format!("out of range: {allowed}")),
            Err(_) if !text.trim().is_empty() && text.trim().bytes().all(|b| b.is_ascii_digit()) => Err(format!("out of range: {allowed}")),
            Err(_) => Err(format!("not a whole number: {allowed}")),
        }
    }
}

/// A number between 0 and 1, exclusive (a share of the rows).
fn fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        Ok(_) => Err("out of range: allowed a number between 0 and 1, exclusive".into()),
        Err(_) => Err("not a number: allowed a number between 0 and 1, exclusive".into()),
    }
}

/// DBSCAN's radius: above 0 and at most 1e6 standard deviations.
fn radius(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= 1e6 => Ok(x),
        _ => Err("out of range: allowed a number above 0 and at most 1e6".into()),
    }
}

/// Most threads `run` uses.
const MAX_THREADS: usize = 256;

fn parse_step(text: &str) -> Result<mlcycle::prepare::StepSpec, String> {
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("not a step as JSON: {e}"))?
    } else {
        let (kind, rest) = match text.split_once(':') {
            Some((kind, rest)) => (kind.trim().replace('-', "_"), Some(rest)),
            None => (text.trim().replace('-', "_"), None),
        };
        // The third part, and an example of it, for the steps that take one.
        let third = match kind.as_str() {
            "scale" => Some(("method", "standard")),
            "impute" => Some(("strategy", "median")),
            "cast" => Some(("to", "float")),
            _ => None,
        };
        // A column name may hold colons ("Time: hh:mm"): a step with no
        // third part takes the rest as the name; a method, strategy or kind
        // is the last part (a constant, from ":constant:" on).
        let constant_at = rest.filter(|_| kind == "impute").and_then(|r| r.find(":constant:").or_else(|| r.strip_suffix(":constant").map(str::len)));
        let (column, arg) = match (rest, third, constant_at) {
            (None, ..) => (None, None),
            (Some(rest), None, _) if kind == "ordinal" => match rest.split_once(':') {
                Some((column, order)) => (Some(column), Some(order)),
                None => (Some(rest), None),
            },
            (Some(rest), None, _) => (Some(rest), None),
            (Some(rest), Some(_), Some(at)) => (Some(&rest[..at]), Some(&rest[at + 1..])),
            (Some(rest), Some(_), None) => match rest.rsplit_once(':') {
                Some((column, arg)) => (Some(column), Some(arg)),
                None => (Some(rest), None),
            },
        };
        let mut step = serde_json::json!({ "step": kind });
        if let Some(column) = column {
            step["column"] = column.into();
        }
        match (arg, third) {
            // An ordinal step may state its order: ordinal:COLUMN:low,medium,high.
            (Some(order), None) if kind == "ordinal" => step["levels"] = order.split(',').collect::<Vec<_>>().into(),
            // A constant impute carries its value: impute:COLUMN:constant:VALUE.
            (Some(arg), Some(("strategy", _))) if arg == "constant" || arg.starts_with("constant:") => match arg.strip_prefix("constant:") {
                Some(value) => step["strategy"] = serde_json::json!({ "constant": value }),
                None => return Err("an impute step with a constant needs its value: impute:COLUMN:constant:VALUE".into()),
            },
            (Some(arg), Some((field, _))) => step[field] = arg.replace('-', "_").into(),
            (Some(arg), None) => return Err(format!("a {kind} step takes no third part (\"{arg}\")")),
            (None, Some((field, example))) => {
                let what = if field == "to" { "kind" } else { field };
                return Err(format!("a {kind} step needs its {what} after the column: {kind}:COLUMN:{example}"));
            }
            (None, None) => {}
        }
        step
    };
    serde_json::from_value(value).map_err(|e| {
        format!("{e}; the steps are drop_column, impute (mean, median, mode, constant:VALUE), scale (standard, min_max, robust), one_hot, ordinal (optionally :LOW,MEDIUM,HIGH), cast (integer, float, boolean, categorical, text, date, date_time), normalize_labels, parse_numbers and drop_duplicate_rows")
            .replace(", expected one of `drop_column`, `impute`, `scale`, `one_hot`, `ordinal`, `cast`, `normalize_labels`, `parse_numbers`, `drop_duplicate_rows`", "")
    })
}

/// How to read the CSV file (the page's "Reading options"); a run records
/// the ones that are not the defaults, and `replay` reads the file with them.
#[derive(Args, Clone, Default)]
struct ReadArgs {
    /// The delimiter (detected when omitted): one character (`';'`,
    /// `tab`; `' '` splits at every single space), or `whitespace` for
    /// runs of spaces and tabs, as in aligned text and UCI .data files.
    #[arg(long, value_name = "CHAR|whitespace", value_parser = delimiter_arg)]
    delimiter: Option<mlcycle::data::Delimiter>,
    /// Whether the first row names the columns (detected when omitted).
    #[arg(long)]
    header: Option<bool>,
    /// Whether a comma is the decimal mark (detected when omitted).
    #[arg(long)]
    decimal_comma: Option<bool>,
    /// Lines to skip before the column names, such as a title (up to 10
    /// such lines are detected when omitted; 0 reads every line).
    #[arg(long, value_name = "N", value_parser = whole_in::<usize>(0, mlcycle::data::MAX_SKIP_LINES as u64))]
    skip_lines: Option<usize>,
    /// Skip lines starting with this character, e.g. `--comment '#'`.
    #[arg(long, value_name = "CHAR", value_parser = comment_arg)]
    comment: Option<char>,
    /// Replace invalid UTF-8 with U+FFFD and warn instead of failing.
    #[arg(long)]
    lossy_utf8: bool,
    /// The file's encoding when it has no byte order mark: utf-8 (default)
    /// or windows-1252 (Excel's CSV on Windows).
    #[arg(long, value_name = "ENCODING", value_parser = ["utf-8", "windows-1252"])]
    encoding: Option<String>,
    /// Read non-finite numbers (inf, 1e400) as missing and report them.
    #[arg(long)]
    non_finite_as_missing: bool,
    /// Rows with fewer fields than the header: `error` (default) or
    /// `missing` (fill the fields they lack with missing values and warn).
    #[arg(long, value_name = "WHAT", value_parser = ["error", "missing"])]
    short_rows: Option<String>,
    /// Whether a backslash inside quotes escapes the next character
    /// (`"say \"hi\""`, where CSV doubles the quote); detected when omitted.
    #[arg(long, value_name = "BOOL")]
    backslash_escapes: Option<bool>,
    /// Set a column's type, e.g. `--type zip=categorical` (repeatable).
    #[arg(long = "type", value_name = "COLUMN=KIND", value_parser = type_arg)]
    types: Vec<(String, mlcycle::data::ColumnKind)>,
    /// Tokens read as missing, comma-separated, matched as written (empty
    /// cells always are), a number by its value however written (`-999`
    /// matches `-999.0`); default NA, N/A, n/a, #N/A, NULL, null, NaN,
    /// nan, None, ?, - and a spreadsheet's error values (#DIV/0!, #VALUE!,
    /// #REF!, #NAME?, #NUM!, #NULL!, #ERROR!: counted, with a note). A
    /// list starting with `-` is taken as it is
    /// (`--missing '-,.,x'`).
    #[arg(long, value_name = "TOKENS", allow_hyphen_values = true)]
    missing: Option<String>,
    /// Memory for the typed data in MB (default 512); a larger file is
    /// sampled, with exact counts, means and ranges over every row.
    #[arg(long, value_name = "MB", value_parser = whole_in::<usize>(1, (usize::MAX >> 20) as u64))]
    max_memory: Option<usize>,
    /// Stop with an error instead of sampling a file over the memory budget.
    #[arg(long)]
    no_sample: bool,
}

impl ReadArgs {
    fn options(&self) -> Result<ParseOptions, Failure> {
        let mut opts = ParseOptions { delimiter: self.delimiter, has_header: self.header, decimal_comma: self.decimal_comma, skip_lines: self.skip_lines, comment: self.comment, lossy_utf8: self.lossy_utf8, backslash_escapes: self.backslash_escapes, ..ParseOptions::default() };
        if self.non_finite_as_missing {
            opts.non_finite = mlcycle::data::NonFinitePolicy::Missing;
        }
        if self.short_rows.as_deref() == Some("missing") {
            opts.short_rows = mlcycle::data::ShortRows::Missing;
        }
        if self.encoding.as_deref() == Some("windows-1252") {
            opts.encoding = mlcycle::data::TextEncoding::Windows1252;
        }
        for (col, kind) in &self.types {
            opts.column_types.insert(col.clone(), *kind);
        }
        if let Some(tokens) = &self.missing {
            opts.missing_tokens = std::iter::once(String::new()).chain(tokens.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty())).collect();
        }
        if let Some(mb) = self.max_memory {
            // In range: checked as the command line is parsed.
            opts.max_memory_bytes = mb << 20;
        }
        if self.no_sample {
            opts.over_budget = mlcycle::data::OverBudget::Error;
        }
        // Each flag's value was checked as the command line was parsed;
        // what is left are flags that do not go together (a decimal comma
        // with a comma delimiter): a bad command line too.
        opts.validate().map_err(|e| {
            let flags = if self.decimal_comma == Some(true) && self.delimiter == Some(mlcycle::data::Delimiter::Char(',')) { " (--decimal-comma true with --delimiter ',')" } else { "" };
            Failure { code: exit::USAGE, message: format!("{e}{flags}") }
        })?;
        Ok(opts)
    }
}

/// `--delimiter`: one character or `whitespace`, and one the reader takes
/// (not a quote, a letter or a digit); a bad one is a bad command line
/// (exit 2), said as clap says it.
fn delimiter_arg(text: &str) -> Result<mlcycle::data::Delimiter, String> {
    let d: mlcycle::data::Delimiter = text.parse()?;
    ParseOptions { delimiter: Some(d), ..ParseOptions::default() }.validate().map_err(|e| e.to_string())?;
    Ok(d)
}

/// One name in `--models`: a model the search knows, or an alias of one;
/// another is a bad command line (exit 2), as every bad flag value is.
fn model_arg(text: &str) -> Result<String, String> {
    match mlcycle::search::canonical_name(text) {
        Some(_) => Ok(text.to_string()),
        None => Err(format!("unknown model {text:?}; known models: {} (or tree, forest)", mlcycle::search::MODEL_NAMES.join(", "))),
    }
}

/// `--comment`: one character the reader takes as a comment mark.
fn comment_arg(text: &str) -> Result<char, String> {
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return Err(format!("{text:?} is not one character"));
    };
    ParseOptions { comment: Some(c), ..ParseOptions::default() }.validate().map_err(|e| e.to_string())?;
    Ok(c)
}

/// `--type COLUMN=KIND`: the column and its kind (`date-time` or `date_time`).
fn type_arg(text: &str) -> Result<(String, mlcycle::data::ColumnKind), String> {
    let (col, kind) = text.split_once('=').ok_or_else(|| format!("{text:?} is not COLUMN=KIND"))?;
    let kind = serde_json::from_value(serde_json::Value::String(kind.replace('-', "_")))
        .map_err(|_| format!("the kind {kind:?} must be one of integer, float, boolean, categorical, text, date, date_time"))?;
    Ok((col.to_string(), kind))
}

#[derive(Subcommand)]
enum Command {
    /// Describe every column of a CSV file, with data-quality alerts.
    Profile {
        /// The CSV file (`-` reads standard input).
        data: PathBuf,
        /// Print the full profile as JSON.
        #[arg(long)]
        json: bool,
        /// Also write a self-contained HTML report to this file.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// The column to be predicted (adds target associations, class
        /// imbalance and leakage alerts).
        #[arg(long, allow_hyphen_values = true)]
        target: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Train on a CSV file and write the run manifest.
    Run {
        /// The CSV file (`-` reads standard input).
        data: PathBuf,
        /// The column to predict.
        #[arg(long, allow_hyphen_values = true)]
        target: String,
        /// Seed of every random step (default 42).
        #[arg(long)]
        seed: Option<u64>,
        /// Task; inferred from the target when omitted.
        #[arg(long, value_enum)]
        task: Option<TaskArg>,
        /// Share of rows held out for testing.
        #[arg(long, default_value_t = mlcycle::run::DEFAULT_TEST_FRACTION, value_parser = fraction)]
        test_fraction: f64,
        /// Search strategy: grid (default), random, halving (successive
        /// halving), or none (one model).
        #[arg(long, value_enum)]
        search: Option<SearchArg>,
        /// Models to search, comma-separated: logistic, tree (decision_tree),
        /// forest (random_forest), knn, gaussian_nb, svc (classification);
        /// linear, ridge, lasso, elastic_net, extra_trees, svr, gbt
        /// (regression); tree, forest and knn do both.
        #[arg(long, value_delimiter = ',', value_parser = model_arg)]
        models: Option<Vec<String>>,
        /// Most trials the search runs (a random search draws 8 unless told)
        #[arg(long, value_parser = whole_in::<usize>(1, mlcycle::search::MAX_TRIALS as u64))]
        trials: Option<usize>,
        /// Cross-validation folds (2 to 20; default 3).
        #[arg(long, value_parser = whole_in::<usize>(2, mlcycle::search::MAX_FOLDS as u64))]
        folds: Option<usize>,
        /// Metric the search ranks by: accuracy, macro_f1, log_loss or
        /// roc_auc (classification); r2 or rmse (regression).
        #[arg(long, value_parser = parse_metric)]
        metric: Option<RankMetric>,
        /// Start no more trials once the search has run this many seconds
        /// (finished trials kept; trials already running finish). The final
        /// refit of the best candidate on all the training rows comes after
        /// the search and is not included.
        #[arg(long, value_name = "SECONDS", value_parser = positive_seconds)]
        time_budget: Option<f64>,
        /// Search progress on standard error: bar (one line redrawn; the
        /// default on a terminal), lines (a line per finished candidate, for
        /// logs), or none (the default otherwise).
        #[arg(long, value_enum)]
        progress: Option<ProgressArg>,
        /// Threads running trials (default: the available cores). The same
        /// seed gives the same leaderboard for any number.
        #[arg(long, value_parser = whole_in::<usize>(1, MAX_THREADS as u64))]
        threads: Option<usize>,
        /// A search configuration (JSON): {"spaces": [{"model": "svc", "c":
        /// [0.1, 1, 10]}], "strategy", "trials", "folds", "metric", "seed",
        /// "time_budget_seconds"}; flags win over it.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Trees of the random forest with --search none (1 to 1000; default 100).
        #[arg(long, value_parser = whole_in::<u16>(1, u64::from(mlcycle::train::MAX_TREES)))]
        trees: Option<u16>,
        /// Depth limit of each tree with --search none (1 to 64).
        #[arg(long, value_parser = whole_in::<u16>(1, u64::from(mlcycle::train::MAX_DEPTH)))]
        max_depth: Option<u16>,
        /// Refuse jobs estimated to take longer than this many seconds.
        #[arg(long, default_value_t = mlcycle::run::DEFAULT_MAX_SECONDS, value_parser = positive_seconds)]
        max_seconds: f64,
        /// A preparation step, in order (repeatable): `KIND:COLUMN` for
        /// drop_column, one_hot, ordinal, normalize_labels, parse_numbers;
        /// `ordinal:COLUMN:LOW,MEDIUM,HIGH` for a stated order;
        /// `scale:COLUMN:standard|min_max|robust`; `impute:COLUMN:mean|median|mode`, or `impute:COLUMN:constant:VALUE`;
        /// `cast:COLUMN:KIND`; `drop_duplicate_rows`; or a step as JSON, as
        /// an alert's `suggestion` in `profile --json` gives it.
        #[arg(long = "step", value_name = "STEP", value_parser = parse_step)]
        steps: Vec<mlcycle::prepare::StepSpec>,
        /// Where to write the manifest (default: print it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the prepared train/test matrices of the split, as one
        /// JSON file (task, x_train, y_train, x_test, y_test, test_rows), to
        /// check the models against another library.
        #[arg(long, value_name = "FILE")]
        dump_split: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Cluster the rows (k-means, DBSCAN) or project them (PCA); every
    /// column but those ignored, prepared and standardised.
    Cluster {
        /// The CSV file (`-` reads standard input).
        data: PathBuf,
        /// The model (k-means when omitted, as in the page).
        #[arg(long, value_enum, default_value = "kmeans")]
        model: ClusterArg,
        /// k-means: clusters (2 to 100).
        #[arg(long, default_value_t = 3, value_parser = whole_in::<usize>(2, mlcycle::cluster::MAX_K as u64))]
        k: usize,
        /// k-means: most iterations (1 to 1000).
        #[arg(long, default_value_t = 100, value_parser = whole_in::<usize>(1, mlcycle::cluster::MAX_ITER as u64))]
        max_iter: usize,
        /// k-means: runs from different seeded starts; the best is kept (1 to 100).
        #[arg(long, default_value_t = 10, value_parser = whole_in::<usize>(1, 100))]
        n_init: usize,
        /// DBSCAN: neighbourhood radius in standard deviations.
        #[arg(long, default_value_t = 0.5, value_parser = radius)]
        eps: f64,
        /// DBSCAN: rows within the radius that make a core point (1 to
        /// 1000, and at most the rows).
        #[arg(long, default_value_t = 5, value_parser = whole_in::<usize>(1, 1000))]
        min_samples: usize,
        /// PCA: components (1 to 50; 2 for a plot).
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=50))]
        components: u16,
        /// Columns to leave out (e.g. an identifier or a label),
        /// comma-separated or repeated; a column whose name has a comma in
        /// it is named whole.
        #[arg(long)]
        ignore: Vec<String>,
        /// Seed of k-means' initial centres.
        #[arg(long, default_value_t = mlcycle::run::DEFAULT_SEED)]
        seed: u64,
        /// Write the result (clusters, centres, every row's label, the projection of up to 2,000 rows) as JSON to this file.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Re-run a manifest on its data; exit 0 only if every figure is bit-identical.
    Replay {
        /// The manifest (JSON) written by `run` or downloaded from the page.
        manifest: PathBuf,
        /// The CSV file the run was made from (`-` reads standard input).
        data: PathBuf,
    },
    /// Serve the page on 127.0.0.1.
    Serve {
        /// Directory to serve.
        #[arg(default_value = "www")]
        dir: PathBuf,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Serve /pkg/ from this directory instead of DIR/pkg.
        #[arg(long)]
        pkg: Option<PathBuf>,
    },
}

struct Failure {
    code: u8,
    message: String,
}

impl From<mlcycle::Error> for Failure {
    fn from(e: mlcycle::Error) -> Failure {
        let code = if e.code() == "data_mismatch" { exit::DATA_MISMATCH } else { exit::INPUT };
        // The option that helps, by its name on this command line.
        let hint = match e.code() {
            "non_finite" => "; to read such values as missing (and list their rows), add --non-finite-as-missing",
            _ => "",
        };
        Failure { code, message: format!("{e}{hint}") }
    }
}

/// Whether `path` is `-`: standard input, as in most command-line tools.
fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// The name errors and manifests give the data: the file name, or `stdin`.
fn data_name(path: &Path) -> String {
    if is_stdin(path) {
        return "stdin".into();
    }
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads `path` (`-`: standard input) up to `limit` bytes. A regular
/// file's size is checked before any byte is read; a stream (standard
/// input, a pipe, a device) is read at most one byte past the limit, so it
/// is refused the moment it passes it, never buffered whole. `too_large`
/// words the refusal from the size, or for a stream (`at_least`) the bytes
/// read before it stopped.
fn read_capped(path: &Path, limit: usize, too_large: impl Fn(u64, bool) -> Failure) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let shown = if is_stdin(path) { Path::new("stdin") } else { path };
    let io = |e: std::io::Error| Failure { code: exit::IO, message: format!("{}: cannot read: {e}", shown.display()) };
    let cap = limit as u64 + 1;
    let mut bytes = Vec::new();
    if is_stdin(path) {
        std::io::stdin().lock().take(cap).read_to_end(&mut bytes).map_err(io)?;
    } else {
        let file = std::fs::File::open(path).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        if meta.is_file() {
            if meta.len() > limit as u64 {
                return Err(too_large(meta.len(), false));
            }
            bytes.reserve_exact(meta.len() as usize);
        }
        file.take(cap).read_to_end(&mut bytes).map_err(io)?;
    }
    if bytes.len() > limit {
        // A stream, or a file that grew while it was read.
        return Err(too_large(bytes.len() as u64, true));
    }
    Ok(bytes)
}

/// The refusal of data over the byte limit, named as the parser names it.
fn data_too_large(name: &str, limit: usize, bytes: u64, at_least: bool) -> Failure {
    if at_least {
        Failure { code: exit::INPUT, message: format!("{name}: the file is at least {bytes} bytes (read as a stream), over the limit of {limit} bytes") }
    } else {
        mlcycle::Error::from(mlcycle::data::DataError::TooLarge { file: name.to_string(), bytes: bytes as usize, limit }).into()
    }
}

/// Reads a data file, refusing one over `limit` bytes ([`read_capped`]).
fn read_data(path: &Path, limit: usize) -> Result<Vec<u8>, Failure> {
    let name = data_name(path);
    read_capped(path, limit, |bytes, at_least| data_too_large(&name, limit, bytes, at_least))
}

/// Reads a manifest, refusing one over [`mlcycle::manifest::MAX_MANIFEST_BYTES`].
fn read_manifest(path: &Path) -> Result<Vec<u8>, Failure> {
    let limit = mlcycle::manifest::MAX_MANIFEST_BYTES;
    let shown = if is_stdin(path) { Path::new("stdin") } else { path };
    read_capped(path, limit, |bytes, at_least| Failure {
        code: exit::INPUT,
        message: format!("{}: the manifest is {}{bytes} bytes, over the limit of {limit} bytes", shown.display(), if at_least { "at least " } else { "" }),
    })
}

fn load_with(path: &Path, opts: &ParseOptions) -> Result<(Dataset, f64), Failure> {
    let bytes = read_data(path, opts.max_bytes)?;
    let name = data_name(path);
    let started = Instant::now();
    let ds = parse_csv(&bytes, &name, opts).map_err(mlcycle::Error::from)?;
    Ok((ds, started.elapsed().as_secs_f64() * 1000.0))
}

/// [`show`], or the date (and time) a figure of a date column stands for.
fn show_as(v: Option<f64>, time: bool) -> String {
    match v {
        Some(t) if time && t.is_finite() => mlcycle::data::format_time(t),
        _ => show(v),
    }
}

fn show(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format_number(x),
        // Large values keep their integer digits (1000000000 beside
        // 1000000002.3, not beside 1.000e9), up to 1e15.
        Some(x) if (1e9..1e15).contains(&x.abs()) => format!("{x:.1}"),
        Some(x) if x.abs() >= 1e15 => format!("{x:.6e}"),
        Some(x) if x != 0.0 && x.abs() < 1e-4 => format!("{x:.3e}"),
        Some(x) => format!("{x:.4}"),
    }
}

/// Writes to stdout; a reader that went away (`| head`) ends us quietly.
fn emit(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure { code: exit::IO, message: format!("cannot write to standard output: {e}") }),
    }
}

/// Reads `path` through the streaming reader on every core (the head of
/// a large file here, the rest in parts on other threads), showing
/// progress on a terminal for files over 16 MB.
fn load_streaming(path: &Path, opts: &ParseOptions) -> Result<Dataset, Failure> {
    use std::io::IsTerminal;
    if is_stdin(path) {
        return load_with(path, opts).map(|(ds, _)| ds);
    }
    let io = |e: std::io::Error| Failure { code: exit::IO, message: format!("{}: cannot read: {e}", path.display()) };
    let meta = std::fs::metadata(path).map_err(io)?;
    let (total, regular) = (meta.len(), meta.is_file());
    let name = data_name(path);
    let show = total > 16 << 20 && std::io::stderr().is_terminal();
    let last = std::sync::atomic::AtomicU64::new(u64::MAX);
    let progress = |done: u64| {
        let pct = done.min(total) * 100 / total.max(1);
        if show && last.swap(pct, std::sync::atomic::Ordering::Relaxed) != pct {
            say_part!("\rreading {name}: {pct:>3}% of {:.0} MB", total as f64 / 1e6);
        }
    };
    let ds = mlcycle::data::read_file(path, &name, opts, mlcycle::par::available(), &progress);
    if show {
        say!();
    }
    match ds {
        Ok(ds) => Ok(ds),
        // A pipe or device has no size: the bytes read when it passed the limit.
        Err(mlcycle::data::ReadError::Data(mlcycle::data::DataError::TooLarge { bytes, limit, .. })) if !regular => Err(data_too_large(&name, limit, bytes as u64, true)),
        Err(mlcycle::data::ReadError::Io(e)) => Err(io(e)),
        Err(mlcycle::data::ReadError::Data(e)) => Err(mlcycle::Error::from(e).into()),
    }
}

/// Text from the data made safe for a terminal: control characters (an
/// escape sequence in a column name) are shown escaped, not obeyed; a
/// joiner inside a word or an emoji sequence is kept.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut before = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if mlcycle::report::hidden_here(c, before, chars.peek().copied()) {
            // A right-to-left override would turn the rest of the line around.
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
        before = Some(c);
    }
    out
}

/// `text` in `width` terminal columns: cut (the last column then `…`)
/// or padded with spaces, by the columns each character takes (a CJK
/// character two), so that a column name never pushes the rest of its
/// row out of line.
fn fit(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let mut out = String::new();
    let mut used = 0;
    if text.width() <= width {
        out.push_str(text);
        used = text.width();
    } else {
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width - 1 {
                break;
            }
            out.push(c);
            used += w;
        }
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// What reading the file repaired, skipped or assumed (a repeated header
/// row, a sample of a file over the memory budget …), one `note:` line
/// each: `profile` prints them with the profile, `run` and `cluster` on
/// standard error.
fn reading_notes(report: &mlcycle::data::IngestReport) -> String {
    report.warnings.iter().map(|w| format!("note: {}\n", printable(&w.message))).collect()
}

/// [`reading_notes`] on standard error, and what a sample means for the
/// rows `doing` (trained and tested on, clustered) uses.
fn say_reading_notes(ds: &Dataset, doing: &str) {
    say_part!("{}", reading_notes(&ds.ingest));
    if let Some(sample) = &ds.sample {
        say!(
            "note: {doing} the {} sampled rows only, not all {} (the memory budget is {} MB): raise --max-memory to use more rows, or add --no-sample to stop instead",
            sample.kept_rows,
            sample.total_rows,
            sample.budget_bytes >> 20
        );
    }
}

fn profile_text(p: &Profile) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let count = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(s, "{}: {}, {}, sha256 {}", printable(&p.file_name), count(p.rows, "row"), count(p.column_count, "column"), p.sha256);
    s.push_str(&reading_notes(&p.ingest));
    let _ = writeln!(s, "{:<24} {:<11} {:>8} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10}  top", "column", "kind", "count", "missing", "distinct", "min", "max", "mean", "std");
    for c in &p.columns {
        let kind = c.kind.as_str();
        // Dates and times are held as seconds since 1970: shown as dates.
        let time = c.kind.is_time();
        // Counts from a sample (a file past the memory budget) are estimates: marked ≈.
        let approx = |field: &str| if c.approximate.iter().any(|a| a == field) { "≈" } else { "" };
        let top: Vec<String> = c.top.iter().take(3).map(|t| format!("\"{}\" ({}{})", printable(&t.value), approx("top"), t.count)).collect();
        let _ = writeln!(
            s,
            "{} {:<11} {:>8} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10}  {}",
            fit(&printable(&c.name), 24),
            kind,
            c.count,
            c.missing,
            format!("{}{}", approx("distinct"), c.distinct),
            show_as(c.min, time),
            show_as(c.max, time),
            show_as(c.mean, time),
            if time { c.std.map_or_else(|| "-".into(), mlcycle::data::format_span) } else { show(c.std) },
            top.join(", ")
        );
    }
    // Columns left out of the pairs on wide data: their alerts (correlation) cannot fire.
    let unpaired: Vec<&str> = p.associations.skipped.iter().filter(|k| k.reason.starts_with("only the first")).map(|k| k.column.as_str()).collect();
    if let Some(first) = p.associations.skipped.iter().find(|k| k.reason.starts_with("only the first")) {
        let _ = writeln!(s, "note: associations: {} column(s) from \"{}\" on are not paired: {}", unpaired.len(), printable(unpaired[0]), first.reason);
    }
    if !p.alerts.is_empty() {
        let _ = writeln!(s, "\n{} alert(s):", p.alerts.len());
        for a in &p.alerts {
            let _ = writeln!(s, "  {:<8} {}", format!("{:?}", a.severity).to_lowercase(), printable(&a.message));
        }
    }
    s
}

/// The leaderboard, best first (halving: later rungs first), one line per
/// trial; a search cut short says whether Ctrl-C (`by_user`) stopped it.
fn leaderboard_text(search: &SearchRecord, rank: RankMetric, by_user: bool) -> String {
    let metric = rank.name();
    let mut order: Vec<&mlcycle::search::Trial> = search.trials.iter().collect();
    order.sort_by(|a, b| b.rung.cmp(&a.rung).then_with(|| mlcycle::search::rank_order(rank, a, b)));
    let mut s = format!(
        "search: {} of {} trials{}, ranked by mean {metric} over the folds\n",
        search.trials.len(),
        search.planned,
        match (search.cut_short, by_user) {
            (true, true) => " (stopped by you with Ctrl-C)",
            (true, false) => " (cut short)",
            (false, _) => "",
        }
    );
    for t in order {
        let mark = if Some(t.index) == search.best { "*" } else { " " };
        let score = match (t.mean, t.std, &t.error) {
            (_, _, Some(e)) => format!("failed: {e}"),
            (Some(m), Some(sd), _) => format!("{m:.4} ± {sd:.4}"),
            (Some(m), None, _) => format!("{m:.4}"),
            _ => "undefined".into(),
        };
        let ms = t.duration_ms.map_or(String::new(), |d| format!("  {d:.0} ms"));
        let rows = t.row_share.map_or(String::new(), |r| format!("  (rung {}, {:.0}% of rows)", t.rung, r * 100.0));
        s.push_str(&format!("{mark} #{:<3} {:<14} {:<44} {score}{ms}{rows}\n", t.index, t.model.name(), t.model.params_text()));
    }
    s.pop();
    s
}

fn write_split(job: &Run, ds: &Dataset, path: &Path) -> Result<(), Failure> {
    use mlcycle::train::Target;
    let p = job.prepared(ds)?;
    let matrix = |x: &ndarray::Array2<f64>| -> Vec<Vec<f64>> { x.rows().into_iter().map(|r| r.to_vec()).collect() };
    let target = |t: &Target| match t {
        Target::Classes(c) => serde_json::json!(c),
        Target::Values(v) => serde_json::json!(v),
    };
    let v = serde_json::json!({
        "task": job.task().as_str(),
        "x_train": matrix(&p.x_train), "y_train": target(&p.y_train),
        "x_test": matrix(&p.x_test), "y_test": target(&p.y_test),
        "test_rows": p.test_rows,
    });
    std::fs::write(path, v.to_string()).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot write: {e}", path.display()) })
}

/// Runs the search's pending trials on `threads` threads, batch by batch
/// (halving: rung by rung), recording them in index order, so the
/// leaderboard is the same for any number of threads. Shows progress as
/// `progress` says; stops starting trials once the time budget is spent
/// or Ctrl-C is pressed, keeping the finished ones.
fn search_on_threads(job: &mut Run, ds: &Dataset, threads: usize, started: Instant, progress: ProgressArg) -> Result<(), Failure> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;
    let metric = job.search_metric();
    loop {
        let pending = job.pending();
        if pending.is_empty() {
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel();
        let shared: &Run = job;
        let mut results = Vec::with_capacity(pending.len());
        let mut best: Option<f64> = shared.best_so_far().and_then(|t| t.mean);
        let before = shared.trials().len();
        std::thread::scope(|scope| {
            for _ in 0..threads.min(pending.len()) {
                let tx = tx.clone();
                let (next, stop, pending) = (&next, &stop, &pending);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= pending.len() || stop.load(Ordering::SeqCst) {
                        break;
                    }
                    // Checked here, before each trial starts, not only when
                    // the last one is received: a thread that finished a
                    // trial past the budget must not start the next.
                    if shared.budget_spent(started.elapsed().as_secs_f64() * 1000.0) || interrupted() {
                        stop.store(true, Ordering::SeqCst);
                        break;
                    }
                    let t0 = Instant::now();
                    let trial = shared.run_trial(ds, &pending[i]);
                    if tx.send((trial, t0.elapsed().as_secs_f64() * 1000.0)).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for (trial, ms) in rx {
                if let Ok(t) = &trial {
                    if let (Some(m), Some(metric)) = (t.mean, metric) {
                        let better = best.is_none_or(|b| if metric.greater_is_better() { m > b } else { m < b });
                        if better {
                            best = Some(m);
                        }
                    }
                }
                results.push((trial, ms));
                let elapsed = started.elapsed().as_secs_f64();
                if shared.budget_spent(elapsed * 1000.0) || interrupted() {
                    stop.store(true, Ordering::SeqCst);
                }
                let done = before + results.len();
                let planned = shared.planned().max(done);
                let best = best.map_or("-".to_string(), |m| format!("{m:.4}"));
                let left = elapsed / done as f64 * (planned - done) as f64;
                match progress {
                    ProgressArg::Bar => say_part!("\rsearch: {done}/{planned} trials, best {best}, {elapsed:.1} s elapsed, about {left:.0} s left   "),
                    ProgressArg::Lines => say!("search: {done}/{planned} trials, best {best}, {elapsed:.1} s elapsed, about {left:.0} s left"),
                    ProgressArg::None => {}
                }
            }
        });
        results.sort_by_key(|(t, _)| t.as_ref().map_or(usize::MAX, |t| t.index));
        for (trial, ms) in results {
            let trial = trial?;
            let index = trial.index;
            job.record(trial)?;
            job.set_duration(index, ms);
        }
        if interrupted() {
            job.cancel();
            return Ok(());
        }
        if job.note_elapsed(started.elapsed().as_secs_f64() * 1000.0) {
            return Ok(());
        }
    }
}

fn main_inner(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Profile { data, json, html, target, read } => {
            not_the_data(html.as_deref(), "--html", &data)?;
            writable(html.as_deref(), "--html")?;
            let opts = read.options()?;
            let ds = load_streaming(&data, &opts)?;
            let popts = ProfileOptions { target, threads: mlcycle::par::available(), ..ProfileOptions::default() };
            let p = profile_with(&ds, &popts).map_err(mlcycle::Error::from)?;
            if let Some(path) = html {
                std::fs::write(&path, mlcycle::report::html(&p)).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot write: {e}", path.display()) })?;
                say!("report written to {}", path.display());
            }
            if json {
                let json = serde_json::to_string_pretty(&p).map_err(|e| Failure { code: exit::INTERNAL, message: e.to_string() })?;
                emit(&format!("{json}\n"))?;
            } else {
                emit(&profile_text(&p))?;
            }
            Ok(0)
        }
        Command::Run {
            data,
            target,
            seed,
            task,
            test_fraction,
            search,
            models,
            trials,
            folds,
            metric,
            time_budget,
            progress,
            threads,
            config,
            trees,
            max_depth,
            max_seconds,
            steps,
            out,
            dump_split,
            read,
        } => {
            not_the_data(out.as_deref(), "--out", &data)?;
            not_the_data(dump_split.as_deref(), "--dump-split", &data)?;
            if let (Some(o), Some(d)) = (&out, &dump_split) {
                if same_place(o, d) {
                    return Err(Failure { code: exit::INPUT, message: format!("--out and --dump-split are both {}: the manifest would overwrite the split, so nothing was run: give each its own path", o.display()) });
                }
            }
            writable(out.as_deref(), "--out")?;
            writable(dump_split.as_deref(), "--dump-split")?;
            let file = match &config {
                Some(path) => read_config(path)?,
                None => SearchFile { spaces: None, strategy: None, trials: None, folds: None, metric: None, seed: None, time_budget_seconds: None },
            };
            if file.spaces.is_some() && models.is_some() {
                return Err(Failure { code: exit::INPUT, message: "--models and a configuration's spaces both name the models; give one of them".into() });
            }
            // --threads is in range (checked as the command line is parsed);
            // the cores, by default, are capped as it is.
            let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS));
            let seed = seed.or(file.seed).unwrap_or(mlcycle::run::DEFAULT_SEED);
            let strategy = search.map(SearchArg::strategy).or(file.strategy).unwrap_or(Strategy::Grid);
            // The forest's size is a setting of the one model; a search takes
            // its sizes from its grid, and would quietly ignore these.
            if strategy != Strategy::None && (trees.is_some() || max_depth.is_some()) {
                return Err(Failure {
                    code: exit::INPUT,
                    message: "--trees and --max-depth set the one random forest of --search none; a search takes tree sizes from its grid (give them in a --config file's spaces, e.g. {\"model\": \"random_forest\", \"n_trees\": [50], \"max_depth\": [8]})".into(),
                });
            }
            // Likewise a search's settings with no search: the one model is
            // fitted on the training rows, and a ranking metric or a budget
            // would be ignored.
            if strategy == Strategy::None {
                let given: Vec<&str> = [("--trials", trials.is_some()), ("--folds", folds.is_some()), ("--metric", metric.is_some()), ("--time-budget", time_budget.is_some())]
                    .iter()
                    .filter(|(_, set)| *set)
                    .map(|(flag, _)| *flag)
                    .collect();
                if !given.is_empty() {
                    return Err(Failure {
                        code: exit::INPUT,
                        message: format!(
                            "{} {} a search, and --search none fits one model with no search (no folds, no ranking, no budget); leave {} out, or choose a search (--search grid, random or halving)",
                            given.join(" and "),
                            if given.len() == 1 { "sets" } else { "set" },
                            if given.len() == 1 { "it" } else { "them" }
                        ),
                    });
                }
            }
            let (ds, parse_ms) = load_with(&data, &read.options()?)?;
            say_reading_notes(&ds, "trained and tested on");
            let opts = RunOptions {
                task: task.map(|t| match t {
                    TaskArg::Classification => Task::Classification,
                    TaskArg::Regression => Task::Regression,
                }),
                seed: Some(seed),
                test_fraction: Some(test_fraction),
                search: Some(strategy),
                models,
                trials: trials.or(file.trials),
                folds: folds.or(file.folds),
                metric: metric.or(file.metric),
                spaces: file.spaces,
                time_budget_seconds: time_budget.or(file.time_budget_seconds),
                n_trees: Some(trees.unwrap_or(100)),
                max_depth,
                max_seconds: Some(max_seconds),
                recipe: settle_steps(steps),
                ..RunOptions::new(&target)
            };
            let started = Instant::now();
            let mut job = Run::start(&ds, &opts)?;
            for l in job.left_out() {
                say!("left out of the search: {}: {}", l.model, l.reason);
            }
            if let Some(path) = &dump_split {
                write_split(&job, &ds, path)?;
            }
            let progress = progress.unwrap_or(if std::io::stderr().is_terminal() { ProgressArg::Bar } else { ProgressArg::None });
            if job.planned() > 0 {
                stop_on_ctrl_c();
            }
            search_on_threads(&mut job, &ds, threads, started, progress)?;
            if progress == ProgressArg::Bar && job.planned() > 0 {
                say!();
            }
            let outcome = job.finish(&ds).map_err(|e| match e {
                mlcycle::Error::Train(mlcycle::train::TrainError::StoppedBeforeAnyTrial) if interrupted() => {
                    Failure { code: exit::INTERRUPTED, message: "stopped by Ctrl-C before any candidate finished, so nothing was trained or written".into() }
                }
                e => e.into(),
            })?;
            let train_ms = started.elapsed().as_secs_f64() * 1000.0;
            if let (Some(search), Some(config)) = (&outcome.search, &outcome.config.search) {
                say!("{}", leaderboard_text(search, config.metric, interrupted()));
            }
            let durations = BTreeMap::from([("parse".to_string(), parse_ms), ("train".to_string(), train_ms)]);
            let manifest = outcome.manifest(durations).to_json().map_err(mlcycle::Error::from)?;
            // A drop_duplicate_rows step fits on fewer rows than the split's.
            let dropped: usize = outcome.recipe.steps.iter().map(|s| if let mlcycle::prepare::RecipeStep::DropDuplicateRows { dropped } = s { *dropped } else { 0 }).sum();
            let fitted = if dropped > 0 { format!(" ({} fitted on after dropping {dropped} duplicate row{})", outcome.split.train_rows - dropped, if dropped == 1 { "" } else { "s" }) } else { String::new() };
            say!(
                "{}: {} on \"{}\", {} train{fitted} / {} test rows, seed {}, {threads} thread(s)",
                ds.file_name,
                outcome.config.task.as_str(),
                outcome.config.target,
                outcome.split.train_rows,
                outcome.split.test_rows,
                seed
            );
            // Classes written several ways ("cat", "Cat ") are classes of their own.
            if let Ok(mlcycle::data::Column { values: mlcycle::data::ColumnValues::Categorical { levels, .. }, .. }) = ds.column(&outcome.config.target) {
                let mut seen: BTreeMap<String, Vec<&str>> = BTreeMap::new();
                for l in levels {
                    seen.entry(mlcycle::profile::normalize_label(l)).or_default().push(l);
                }
                let groups: Vec<String> = seen.values().filter(|g| g.len() > 1).map(|g| g.iter().map(|l| quoted(l)).collect::<Vec<_>>().join(" / ")).collect();
                if !groups.is_empty() && outcome.config.task == Task::Classification {
                    say!("  note: the target's classes differ only by case or spaces ({}); each spelling is a class of its own: write each one way in the file", groups.join("; "));
                }
            }
            // Whole numbers with few values are read as classes: said, with the way back.
            let numeric_target = ds.column(&outcome.config.target).is_ok_and(|c| matches!(c.values, mlcycle::data::ColumnValues::Numeric(_)));
            if outcome.config.task_source == mlcycle::manifest::TaskSource::Inferred && outcome.config.task == Task::Classification && numeric_target {
                say!(
                    "  the task was inferred: {} holds at most {} distinct whole numbers, so they were read as classes; --task regression predicts them as amounts",
                    quoted(&outcome.config.target),
                    mlcycle::run::MAX_INTEGER_CLASSES
                );
            }
            match outcome.split.test_rows_in_training {
                0 => {}
                n => say!(
                    "  note: {n} of the {} test rows repeat a training row exactly, so the test metrics are optimistic; remove duplicate rows from the file to keep them apart",
                    outcome.split.test_rows
                ),
            }
            match outcome.split.dropped_missing_target {
                0 => {}
                1 => say!("  left out 1 row whose {} is missing", quoted(&outcome.config.target)),
                n => say!("  left out {n} rows whose {} is missing", quoted(&outcome.config.target)),
            }
            for (column, reason) in outcome.recipe.dropped() {
                say!("  left out {}: {reason}", quoted(column));
            }
            for m in &outcome.result.metrics {
                say!("  {:<9} {}", m.name, m.value.map_or("undefined".into(), |v| format!("{v}")));
            }
            if let Some(b) = &outcome.baseline {
                let figures: Vec<String> = b.metrics.iter().map(|m| format!("{} {}", m.name, m.value.map_or("undefined".into(), |v| format!("{v:.4}")))).collect();
                match b.mean {
                    Some(mean) => say!("  baseline  always the training mean ({}) would score {}", format_number(mean), figures.join(", ")),
                    None => say!("  baseline  always {} would score {}", quoted(&b.class), figures.join(", ")),
                }
                if b.predicted_classes == 1 && b.test_classes > 1 {
                    say!("  note: the model predicts one class only on the {} test rows, which hold {} classes", outcome.split.test_rows, b.test_classes);
                }
            }
            match out {
                Some(path) => {
                    std::fs::write(&path, manifest).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot write: {e}", path.display()) })?;
                    say!("manifest written to {}", path.display());
                }
                None => emit(&manifest)?,
            }
            if interrupted() {
                // As a time budget's stop: the manifest records the search
                // as cut short, with the candidates that ran.
                match &outcome.search {
                    Some(s) if s.cut_short => say!(
                        "stopped by you with Ctrl-C: {} of {} candidates ran; the best of them was fitted on every training row and tested above, and the manifest records the search as cut short (replay runs the same {})",
                        s.trials.len(),
                        s.planned,
                        s.trials.len()
                    ),
                    _ => say!("Ctrl-C came after every candidate had run: the run above is complete"),
                }
                return Ok(exit::INTERRUPTED);
            }
            Ok(0)
        }
        Command::Cluster { data, model, k, max_iter, n_init, eps, min_samples, components, ignore, seed, out, read } => {
            use mlcycle::cluster::{ClusterModel, ClusterOptions};
            let model = match model {
                ClusterArg::Kmeans => ClusterModel::Kmeans { k, max_iter, n_init },
                ClusterArg::Dbscan => ClusterModel::Dbscan { eps, min_samples },
                ClusterArg::Pca => ClusterModel::Pca { n_components: usize::from(components) },
            };
            let opts = ClusterOptions { exclude: ignore, seed, ..ClusterOptions::new(model) };
            cluster_command(&data, &read, &opts, out.as_deref())
        }
        Command::Replay { manifest, data } => {
            let bytes = read_manifest(&manifest)?;
            let m = RunManifest::from_bytes(&bytes).map_err(|e| Failure { code: exit::INPUT, message: format!("{}: {e}", manifest.display()) })?;
            // Another version may compute otherwise: said, whatever the verdict.
            let here = mlcycle::manifest::ToolRecord::current();
            if m.tool.mlcycle != here.mlcycle || m.tool.smartcore != here.smartcore {
                say!(
                    "note: the run was made by mlcycle {} with smartcore {}; this is mlcycle {} with smartcore {}",
                    printable(&m.tool.mlcycle),
                    printable(&m.tool.smartcore),
                    here.mlcycle,
                    here.smartcore
                );
            }
            // The file is read as the run read it (delimiter, types, memory budget …).
            let ds = mlcycle::run::read_for_replay(&read_data(&data, m.dataset.parse_options.as_ref().map_or(ParseOptions::default().max_bytes, |o| o.max_bytes))?, &data_name(&data), &m)?;
            let report = replay(&ds, &m)?;
            if report.reproduced {
                let figures: Vec<String> = report.metrics.iter().map(|x| format!("{} {}", x.name, x.value.map_or("undefined".into(), |v| format!("{v}")))).collect();
                emit(&format!("reproduced: every figure is bit-identical ({})\n", figures.join(", ")))?;
                Ok(0)
            } else {
                let mut text = format!("not reproduced: {} difference(s)\n", report.differences.len());
                for d in &report.differences {
                    text.push_str(&format!("  {}: expected {}, found {}\n", d.field, d.expected, d.found));
                }
                emit(&text)?;
                Ok(exit::DIFFERS)
            }
        }
        Command::Serve { dir, port, pkg } => {
            if !dir.join("index.html").is_file() {
                return Err(Failure { code: exit::IO, message: format!("{}: no index.html to serve", dir.display()) });
            }
            mlcycle::serve::serve(&dir, pkg.as_deref(), port).map_err(|e| Failure { code: exit::IO, message: format!("cannot serve on 127.0.0.1:{port}: {e}") })?;
            Ok(0)
        }
    }
}

/// Parses the command line, runs it, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand) {
                e.exit();
            }
            // One line, as every other error: clap's first line without its
            // "error: " (its usage block and tips follow on other lines).
            let text = e.render().to_string();
            let first = text.lines().take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:")).map(str::trim).collect::<Vec<_>>().join(" ");
            let first = first.trim_start_matches("error: ");
            let tips: String = text.lines().map(str::trim).filter(|l| l.starts_with("tip: ")).map(|l| format!("; {l}")).collect();
            let first = format!("{first}{tips}");
            say!("mlcycle: {first} (mlcycle help for the commands, mlcycle COMMAND --help for their options)");
            return ExitCode::from(exit::USAGE);
        }
    };
    // A panic is a bug: report it in one line and exit with our own code.
    // A panic inside a candidate's model fit (smartcore's) is that
    // candidate's error, caught and recorded by the search: not said here.
    std::panic::set_hook(Box::new(|info| {
        if !mlcycle::run::in_fit() {
            say!("mlcycle: internal error (a bug in mlcycle, please report it): {info}");
        }
    }));
    match std::panic::catch_unwind(|| main_inner(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(f)) => {
            // Messages quote the data (a value, a column name): shown
            // escaped, not obeyed by the terminal, and on one line.
            say!("mlcycle: {}", printable(&f.message));
            ExitCode::from(f.code)
        }
        Err(_) => ExitCode::from(exit::INTERNAL),
    }
}

#[cfg(test)]
mod tests {
    /// A column name takes its 24 terminal columns whatever its script:
    /// a CJK character takes two, so "年龄" is padded with 20 spaces, and a
    /// long name is cut with "…" at the width, not at a character count.
    #[test]
    fn names_fit_their_columns_by_terminal_width() {
        use unicode_width::UnicodeWidthStr;
        for name in ["年龄", "name", "a_very_long_column_name_that_goes_on", "年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄", "x年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄年龄"] {
            assert_eq!(super::fit(name, 24).width(), 24, "{name}");
        }
        assert_eq!(super::fit("年龄", 24), format!("年龄{}", " ".repeat(20)));
        assert_eq!(super::fit("a_very_long_column_name_that_goes_on", 24), "a_very_long_column_name…");
    }

    /// A column name with colons ("Time: hh:mm") is taken whole by a step
    /// with no third part, and before the last part (or ":constant") by
    /// one with a method, strategy or kind.
    #[test]
    fn step_columns_may_hold_colons() {
        let json = |text: &str| serde_json::to_value(super::parse_step(text).unwrap()).unwrap();
        for (text, step) in [
            ("drop_column:Time: hh:mm", serde_json::json!({"step": "drop_column", "column": "Time: hh:mm"})),
            ("normalize-labels:a:b", serde_json::json!({"step": "normalize_labels", "column": "a:b"})),
            ("scale:Time: hh:mm:robust", serde_json::json!({"step": "scale", "column": "Time: hh:mm", "method": "robust"})),
            ("cast:t:x:date", serde_json::json!({"step": "cast", "column": "t:x", "to": "date"})),
            ("impute:a:b:constant:0:5", serde_json::json!({"step": "impute", "column": "a:b", "strategy": {"constant": "0:5"}, "indicator": false})),
            ("impute:a:b:mode", serde_json::json!({"step": "impute", "column": "a:b", "strategy": "mode", "indicator": false})),
            ("ordinal:size:s,m,l", serde_json::json!({"step": "ordinal", "column": "size", "levels": ["s", "m", "l"]})),
        ] {
            assert_eq!(json(text), step, "{text}");
        }
        assert_eq!(super::parse_step("impute:c:constant").unwrap_err(), "an impute step with a constant needs its value: impute:COLUMN:constant:VALUE");
        assert_eq!(super::parse_step("scale:c").unwrap_err(), "a scale step needs its method after the column: scale:COLUMN:standard");
    }
}
