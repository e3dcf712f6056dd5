//! The `mlcycle` command's body (see `main.rs`): the same core as the page, natively.
//!
//! `profile` describes a CSV, `run` trains and writes a manifest, `replay`
//! re-runs a manifest and fails when any number moved, `serve` serves the
//! page. Exit codes are documented in `--help` and the README; a bug is
//! caught and reported in one line with its own code, never as a raw panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use mlcycle::data::{format_number, parse_csv, Dataset, ParseOptions};
use mlcycle::manifest::RunManifest;
use mlcycle::profile::profile;
use mlcycle::run::{finish_search, replay, Prepared, RunOptions};
use mlcycle::search::{default_space, MetricName, SearchConfig, SearchRecord, SearchState, Strategy, TrialResult};
use mlcycle::train::{ModelSpec, Target, Task, MODEL_NAMES};

/// Exit codes, stable for scripts and CI.
mod exit {
    /// Replay: a figure differs from the manifest.
    pub const DIFFERS: u8 = 1;
    /// Bad data, bad manifest, or options that cannot train.
    pub const INPUT: u8 = 3;
    /// Replay: the data is not the data the manifest was made from.
    pub const DATA_MISMATCH: u8 = 4;
    /// A file could not be read or written.
    pub const IO: u8 = 5;
    /// A bug in mlcycle.
    pub const INTERNAL: u8 = 70;
}

const EXIT_CODES: &str = "Exit codes: 0 success (replay: reproduced), 1 replay found a difference, \
2 bad command line, 3 bad data, manifest or options, 4 replay on different data, \
5 a file could not be read or written, 70 a bug in mlcycle.";

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

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum SearchArg {
    Grid,
    Random,
    Halving,
    None,
}

#[derive(Subcommand)]
enum Command {
    /// Describe every column of a CSV file.
    Profile {
        /// The CSV file.
        data: PathBuf,
        /// Print the profile as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Train on a CSV file and write the run manifest. By default a seeded,
    /// cross-validated random search over the models for the task picks
    /// the model, which is then refitted on the training rows and scored on
    /// the held-out rows.
    Run {
        /// The CSV file.
        data: PathBuf,
        /// The column to predict.
        #[arg(long)]
        target: String,
        /// Seed of every random step.
        #[arg(long, default_value_t = mlcycle::run::DEFAULT_SEED)]
        seed: u64,
        /// Task; inferred from the target when omitted.
        #[arg(long, value_enum)]
        task: Option<TaskArg>,
        /// Share of rows held out for testing.
        #[arg(long, default_value_t = mlcycle::run::DEFAULT_TEST_FRACTION)]
        test_fraction: f64,
        /// Models to search, comma-separated (logistic, tree, forest, knn,
        /// gaussian_nb, svc, linear, ridge, lasso, elastic_net, extra_trees,
        /// svr, gbt); default: every model for the task. With --search none,
        /// the first is fitted with its default parameters.
        #[arg(long, value_delimiter = ',')]
        models: Vec<String>,
        /// Search strategy, or none to fit one model [default: random, or
        /// none when --trees or --max-depth is given].
        #[arg(long, value_enum)]
        search: Option<SearchArg>,
        /// Budget in trials (one trial is one candidate over every fold).
        #[arg(long)]
        trials: Option<usize>,
        /// Folds of the cross-validation.
        #[arg(long)]
        folds: Option<usize>,
        /// Metric to optimise: accuracy, macro_f1, log_loss, roc_auc, r2, rmse.
        #[arg(long)]
        metric: Option<String>,
        /// Threads running trials (the leaderboard is the same for any number).
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// A search config as JSON (strategy, spaces, trials, folds, metric,
        /// grid_points); flags given beside it override its fields.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Trees of the forest when fitting one forest (--search none).
        #[arg(long)]
        trees: Option<u16>,
        /// Depth limit of that forest's trees (1 to 64).
        #[arg(long)]
        max_depth: Option<u16>,
        /// Refuse jobs estimated to take longer than this many seconds.
        #[arg(long, default_value_t = mlcycle::run::DEFAULT_MAX_SECONDS)]
        max_seconds: f64,
        /// Where to write the manifest (default: print it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the split and the prepared matrices as JSON to this
        /// file (for comparing with other tools on the identical split).
        #[arg(long)]
        dump_split: Option<PathBuf>,
    },
    /// Re-run a manifest on its data; exit 0 only if every figure is bit-identical.
    Replay {
        /// The manifest (JSON) written by `run` or downloaded from the page.
        manifest: PathBuf,
        /// The CSV file the run was made from.
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
        Failure { code, message: e.to_string() }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot read: {e}", path.display()) })
}

fn load(path: &Path) -> Result<(Dataset, f64), Failure> {
    let bytes = read(path)?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let started = Instant::now();
    let ds = parse_csv(&bytes, &name, &ParseOptions::default()).map_err(mlcycle::Error::from)?;
    Ok((ds, started.elapsed().as_secs_f64() * 1000.0))
}

fn show(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format_number(x),
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

fn profile_text(ds: &Dataset) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let p = profile(ds);
    let _ = writeln!(s, "{}: {} rows, {} columns, sha256 {}", p.file_name, p.rows, p.column_count, p.sha256);
    let _ = writeln!(s, "{:<24} {:<11} {:>8} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10}  top", "column", "kind", "count", "missing", "distinct", "min", "max", "mean", "std");
    for c in &p.columns {
        let kind = match c.kind {
            mlcycle::data::ColumnKind::Numeric => "numeric",
            mlcycle::data::ColumnKind::Categorical => "categorical",
        };
        let top: Vec<String> = c.top.iter().take(3).map(|t| format!("{:?} ({})", t.value, t.count)).collect();
        let _ = writeln!(
            s,
            "{:<24} {:<11} {:>8} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10}  {}",
            format!("{:?}", c.name).trim_matches('"'),
            kind,
            c.count,
            c.missing,
            c.distinct,
            show(c.min),
            show(c.max),
            show(c.mean),
            show(c.std),
            top.join(", ")
        );
    }
    s
}

/// Runs every trial of `state`, on `threads` threads, recording results as
/// they come (the record is by index, so the order does not matter) and
/// showing progress on a terminal.
fn drive(state: &mut SearchState, threads: usize) -> Result<(), Failure> {
    use std::io::IsTerminal;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let tty = std::io::stderr().is_terminal();
    let planned = state.summary().trials;
    let started = Instant::now();
    let mut done = 0usize;
    while !state.is_done() {
        let pending = state.pending();
        let next = AtomicUsize::new(0);
        let (tx, rx) = std::sync::mpsc::channel::<TrialResult>();
        let data = state.data().clone();
        std::thread::scope(|scope| -> Result<(), Failure> {
            for _ in 0..threads.min(pending.len()) {
                let tx = tx.clone();
                let (next, pending, data) = (&next, &pending, &data);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(trial) = pending.get(i) else { break };
                    let t0 = Instant::now();
                    let mut r = data.run_trial(trial);
                    r.fit_ms = Some(t0.elapsed().as_secs_f64() * 1000.0);
                    if tx.send(r).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for r in rx {
                let (index, ms) = (r.trial.index, r.fit_ms);
                state.record(r).map_err(|e| Failure { code: exit::INTERNAL, message: e.to_string() })?;
                if let Some(ms) = ms {
                    state.set_time(index, ms);
                }
                done += 1;
                if tty {
                    let best = state.leaderboard().into_iter().next().and_then(|b| b.mean.map(|m| format!("{m:.4} ({})", b.trial.model.name())));
                    let elapsed = started.elapsed().as_secs_f64();
                    let total = state.summary().trials.max(planned.min(done));
                    let left = elapsed / done as f64 * total.saturating_sub(done) as f64;
                    eprint!("\r\x1b[2Ktrial {done}/{total}  best {}  {elapsed:.1} s elapsed, ~{left:.0} s left", best.unwrap_or_else(|| "-".into()));
                }
            }
            Ok(())
        })?;
    }
    if tty {
        eprintln!();
    }
    Ok(())
}

fn leaderboard_text(search: &SearchRecord) -> String {
    use std::fmt::Write;
    let metric = search.config.metric.map_or("score", |m| m.as_str());
    let mut rows: Vec<&TrialResult> = search.trials.iter().collect();
    let higher = search.config.metric.is_none_or(|m| m.higher_is_better());
    rows.sort_by(|a, b| match (a.mean, b.mean) {
        (Some(x), Some(y)) => {
            let o = if higher { y.total_cmp(&x) } else { x.total_cmp(&y) };
            o.then(a.trial.index.cmp(&b.trial.index))
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        _ => a.trial.index.cmp(&b.trial.index),
    });
    let mut s = format!(
        "search: {:?}, {} of {} trials{}, {}-fold cv, {metric}\n",
        search.config.strategy,
        search.trials.len(),
        search.planned,
        if search.cut_short { " (cut short)" } else { "" },
        search.config.folds
    )
    .to_lowercase();
    let _ = writeln!(s, "  {:>4} {:>5} {:>17} {:>9}  model", "rank", "trial", format!("{metric} mean ± std"), "fit ms");
    for (rank, r) in rows.iter().take(10).enumerate() {
        let score = match (r.mean, r.std) {
            (Some(m), Some(sd)) => format!("{m:.4} ± {sd:.4}"),
            _ => r.error.clone().unwrap_or_else(|| "undefined".into()),
        };
        let params = serde_json::to_string(&r.trial.model).unwrap_or_default();
        let _ = writeln!(s, "  {:>4} {:>5} {:>17} {:>9}  {params}", rank + 1, r.trial.index, score, r.fit_ms.map_or("-".into(), |m| format!("{m:.0}")));
    }
    if rows.len() > 10 {
        let _ = writeln!(s, "  … {} more in the manifest", rows.len() - 10);
    }
    s
}

/// The split and prepared matrices as JSON, for scripts/sklearn_models_reference.py.
fn split_json(ds: &Dataset, prepared: &Prepared) -> Result<String, Failure> {
    let (train_rows, test_rows) = prepared.split_rows(ds)?;
    let (x_test, y_test) = prepared.test();
    let target = |t: &Target| match t {
        Target::Classes(c) => serde_json::json!(c),
        Target::Values(v) => serde_json::json!(v),
    };
    let rows = |x: &ndarray::Array2<f64>| -> Vec<Vec<f64>> { x.rows().into_iter().map(|r| r.to_vec()).collect() };
    let v = serde_json::json!({
        "task": prepared.task().as_str(),
        "seed": prepared.seed(),
        "train_rows": train_rows,
        "test_rows": test_rows,
        "x_train": rows(&prepared.x_train),
        "y_train": target(&prepared.y_train),
        "x_test": rows(x_test),
        "y_test": target(y_test),
    });
    serde_json::to_string(&v).map_err(|e| Failure { code: exit::INTERNAL, message: e.to_string() })
}

fn main_inner(cli: Cli) -> Result<u8, Failure> {
    match cli.command {
        Command::Profile { data, json } => {
            let (ds, _) = load(&data)?;
            if json {
                let p = profile(&ds);
                let json = serde_json::to_string_pretty(&p).map_err(|e| Failure { code: exit::INTERNAL, message: e.to_string() })?;
                emit(&format!("{json}\n"))?;
            } else {
                emit(&profile_text(&ds))?;
            }
            Ok(0)
        }
        Command::Run { data, target, seed, task, test_fraction, models, search, trials, folds, metric, threads, config, trees, max_depth, max_seconds, out, dump_split } => {
            let (ds, parse_ms) = load(&data)?;
            let input = |message: String| Failure { code: exit::INPUT, message };
            let mut opts = RunOptions {
                target,
                task: task.map(|t| match t {
                    TaskArg::Classification => Task::Classification,
                    TaskArg::Regression => Task::Regression,
                }),
                seed: Some(seed),
                test_fraction: Some(test_fraction),
                model: None,
                n_trees: trees,
                max_depth,
                search: None,
                max_seconds: Some(max_seconds),
            };
            for m in &models {
                if ModelSpec::default_for(m).is_none() {
                    return Err(input(format!("--models: unknown model \"{m}\"; known models: {}", MODEL_NAMES.join(", "))));
                }
            }
            let metric = match metric {
                Some(m) => Some(serde_json::from_value::<MetricName>(serde_json::Value::String(m.clone())).map_err(|_| {
                    input(format!("--metric: unknown metric \"{m}\"; use accuracy, macro_f1, log_loss, roc_auc, r2 or rmse"))
                })?),
                None => None,
            };
            let search = search.unwrap_or(if trees.is_some() || max_depth.is_some() { SearchArg::None } else { SearchArg::Random });
            if search == SearchArg::None {
                if let Some(first) = models.first() {
                    opts.model = ModelSpec::default_for(first);
                }
            } else {
                let mut cfg: SearchConfig = match &config {
                    Some(path) => {
                        let bytes = read(path)?;
                        serde_json::from_slice(&bytes).map_err(|e| input(format!("{}: not a valid search config: {e}", path.display())))?
                    }
                    None => SearchConfig::default(),
                };
                if config.is_none() || search != SearchArg::Random {
                    cfg.strategy = match search {
                        SearchArg::Grid => Strategy::Grid,
                        SearchArg::Halving => Strategy::Halving,
                        _ => Strategy::Random,
                    };
                }
                if !models.is_empty() {
                    cfg.spaces = models
                        .iter()
                        .map(|m| cfg.spaces.iter().find(|s| s.model == *m).cloned().or_else(|| default_space(m)).expect("known model"))
                        .collect();
                }
                cfg.trials = trials.unwrap_or(cfg.trials);
                cfg.folds = folds.unwrap_or(cfg.folds);
                cfg.metric = metric.or(cfg.metric);
                opts.search = Some(cfg);
            }
            if threads == 0 || threads > 256 {
                return Err(input(format!("--threads {threads} is out of range: allowed 1 to 256")));
            }
            if opts.search.is_none() {
                opts.model().validate().map_err(mlcycle::Error::from)?;
            }
            let started = Instant::now();
            let prepared = Prepared::new(&ds, &opts)?;
            if let Some(path) = &dump_split {
                let text = split_json(&ds, &prepared)?;
                std::fs::write(path, text).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot write: {e}", path.display()) })?;
            }
            let outcome = match &opts.search {
                None => prepared.finish(&opts.model(), None)?,
                Some(cfg) => {
                    let mut cfg = cfg.clone();
                    // Small data: fewer folds unless the user chose them.
                    let most = (prepared.x_train.nrows() / 2).max(2);
                    if folds.is_none() && cfg.folds > most {
                        cfg.folds = most;
                    }
                    let mut state = prepared.search(&cfg)?;
                    drive(&mut state, threads)?;
                    finish_search(&prepared, &state)?
                }
            };
            let train_ms = started.elapsed().as_secs_f64() * 1000.0;
            let durations = BTreeMap::from([("parse".to_string(), parse_ms), ("train".to_string(), train_ms)]);
            let manifest = outcome.manifest(durations).to_json();
            eprintln!(
                "{}: {} on \"{}\", {} train / {} test rows, seed {}",
                ds.file_name,
                outcome.config.task.as_str(),
                outcome.config.target,
                outcome.split.train_rows,
                outcome.split.test_rows,
                seed
            );
            if let Some(search) = &outcome.search {
                eprint!("{}", leaderboard_text(search));
            }
            eprintln!("model {} — held-out metrics:", serde_json::to_string(&outcome.config.model).unwrap_or_default());
            for m in &outcome.result.metrics {
                eprintln!("  {:<9} {}", m.name, m.value.map_or("undefined".into(), |v| format!("{v}")));
            }
            match out {
                Some(path) => {
                    std::fs::write(&path, manifest).map_err(|e| Failure { code: exit::IO, message: format!("{}: cannot write: {e}", path.display()) })?;
                    eprintln!("manifest written to {}", path.display());
                }
                None => emit(&manifest)?,
            }
            Ok(0)
        }
        Command::Replay { manifest, data } => {
            let bytes = read(&manifest)?;
            let m = RunManifest::from_bytes(&bytes).map_err(|e| Failure { code: exit::INPUT, message: format!("{}: {e}", manifest.display()) })?;
            let (ds, _) = load(&data)?;
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
    let cli = Cli::parse();
    // A panic is a bug: report it in one line and exit with our own code.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("mlcycle: internal error (a bug in mlcycle, please report it): {info}");
    }));
    match std::panic::catch_unwind(|| main_inner(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(f)) => {
            eprintln!("mlcycle: {}", f.message);
            ExitCode::from(f.code)
        }
        Err(_) => ExitCode::from(exit::INTERNAL),
    }
}
