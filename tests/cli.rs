//! The `mlcycle` command as a user or CI runs it: exit codes, messages,
//! replay verdicts, and no panic on hostile input.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mlcycle"))
}

fn root(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn run_then_replay_reproduces() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run.json");
    let iris = root("www/data/iris.csv");
    let o = run(&["run", iris.to_str().unwrap(), "--target", "species", "--seed", "3", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = run(&["replay", out.to_str().unwrap(), iris.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).starts_with("reproduced: every figure is bit-identical (accuracy "));
}

/// Ctrl-C during a search stops it as a time budget does: the candidates
/// that finished are reported (how many of how many), the best of them is
/// fitted and tested, the manifest is written recording the search as cut
/// short (and replays), and the exit status is 130, not a failure's.
/// Before, the process died and every finished candidate was lost.
#[test]
fn ctrl_c_stops_the_search_and_keeps_the_finished_candidates() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("knn.csv");
    let mut csv = String::from("a,b,c,y\n");
    for i in 0..3000u32 {
        let (a, b, c) = ((i * 37 % 101) as f64 / 101.0, (i * 53 % 97) as f64 / 97.0, (i * 71 % 89) as f64 / 89.0);
        csv.push_str(&format!("{a},{b},{c},{}\n", 3.0 * a + b - c + (i % 7) as f64 / 70.0));
    }
    std::fs::write(&data, csv).unwrap();
    // 30 candidates of about a tenth of a second each, one at a time.
    let config = dir.path().join("search.json");
    let ks: Vec<String> = (1..=30).map(|k| k.to_string()).collect();
    std::fs::write(&config, format!(r#"{{"spaces": [{{"model": "knn", "k": [{}]}}]}}"#, ks.join(","))).unwrap();
    let out = dir.path().join("run.json");
    let (d, c, o) = (data.to_str().unwrap(), config.to_str().unwrap(), out.to_str().unwrap());
    let mut child = bin()
        .args(["run", d, "--target", "y", "--config", c, "--threads", "1", "--progress", "lines", "--out", o])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    let mut sent = false;
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        // The first candidate has finished: Ctrl-C, once.
        if !sent && line.starts_with("search: 1/30 trials") {
            let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
            assert!(kill.success());
            sent = true;
        }
        err.push_str(&line);
        err.push('\n');
    }
    let status = child.wait().unwrap();
    assert!(sent, "no progress line for the first candidate:\n{err}");
    assert_eq!(status.code(), Some(130), "{status:?}\n{err}");
    let ran = err
        .lines()
        .find_map(|l| l.strip_prefix("search: ")?.strip_suffix(" of 30 trials (stopped by you with Ctrl-C), ranked by mean r2 over the folds")?.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no leaderboard marked as stopped by the user:\n{err}"));
    assert!((1..30).contains(&ran), "{ran} of 30\n{err}");
    assert!(err.contains(&format!("stopped by you with Ctrl-C: {ran} of 30 candidates ran;")), "{err}");
    assert!(err.contains("  r2        "), "the best finished candidate is tested: {err}");
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(manifest["search"]["cut_short"], true);
    assert_eq!(manifest["search"]["trials"].as_array().unwrap().len(), ran);
    let o = run(&["replay", o, d]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
}

/// Replay on another file that cannot even be read the run's way (a ragged
/// row) says it is not the run's data, with exit 4, not a reading error
/// advising flags replay does not take.
#[test]
fn replay_on_another_unreadable_file_says_it_is_not_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = root("tests/fixtures/iris.run.json");
    let other = dir.path().join("iris.csv");
    let mut bytes = std::fs::read_to_string(root("www/data/iris.csv")).unwrap();
    bytes.push_str("5.1,3.5\n");
    std::fs::write(&other, bytes).unwrap();
    let o = run(&["replay", manifest.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}{}", text(&o.stdout), text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("this is not the data the run was made from"), "{err}");
    assert!(!err.contains("--short-rows"), "{err}");
}

/// With a drop_duplicate_rows step the summary says how many training rows
/// the model was fitted on, not only the split's count.
#[test]
fn run_summary_counts_the_rows_fitted_after_dropping_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("dups.csv");
    let mut csv = String::from("x,y\n");
    for i in 0..60 {
        // Rows 40..60 repeat rows 0..20.
        let k = if i >= 40 { i - 40 } else { i };
        csv.push_str(&format!("{k},{}\n", if k % 2 == 0 { "a" } else { "b" }));
    }
    std::fs::write(&data, csv).unwrap();
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--search", "none", "--models", "tree", "--step", "drop_duplicate_rows"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let line = err.lines().find(|l| l.contains(" train")).unwrap_or_default();
    let m: Vec<usize> = line.split(|c: char| !c.is_ascii_digit()).filter_map(|t| t.parse().ok()).collect();
    assert!(line.contains(" fitted on after dropping "), "{err}");
    // "<train> train (<fitted> fitted on after dropping <d> duplicate rows)"
    assert!(m.len() >= 3 && m[0] - m[2] == m[1] && m[2] > 0, "{line}");
}

/// Three training rows make folds of one row, where R² is undefined: the
/// error says so and what to change, instead of "no trial ran" or blaming
/// the first model that failed for another reason.
#[test]
fn a_metric_undefined_on_every_fold_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("reg4.csv");
    std::fs::write(&data, "x,y\n1,1.5\n2,2.5\n3,3.5\n4,4.5\n").unwrap();
    for models in ["linear", "linear,knn,tree"] {
        let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--models", models]);
        assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(err.contains("every candidate's r2 was undefined on every validation fold (the smallest fold has 1 row)"), "{models}: {err}");
        // Three training rows: fewer folds cannot help, so it is not offered.
        assert!(err.contains("too few training rows to cross-validate") && !err.contains("fewer folds"), "{models}: {err}");
    }
    // Two folds of three rows leave one training row: said, with the way out.
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--folds", "2"]);
    assert!(text(&o.stderr).contains("the folds leave too few training rows: turn the search off (--search none"), "{}", text(&o.stderr));
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--search", "none"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--models", "linear", "--metric", "rmse"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// Step and target messages name what the column really holds, and a
/// constant impute can be written on the command line.
#[test]
fn step_messages_name_dates_booleans_and_constants() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("kinds.csv");
    let mut csv = String::from("dt,b,c,y\n");
    for i in 1..=12 {
        csv.push_str(&format!("2020-01-{i:02},{},{},{i}\n", if i % 2 == 0 { "yes" } else { "no" }, if i % 3 == 0 { "" } else { "red" }));
    }
    std::fs::write(&data, csv).unwrap();
    let d = data.to_str().unwrap();
    let base = ["run", d, "--target", "y", "--task", "regression", "--search", "none", "--models", "tree"];
    let with = |extra: &[&str]| run(&[&base[..], extra].concat());
    let o = with(&["--step", "one_hot:dt"]);
    assert!(text(&o.stderr).contains("recipe step one_hot cannot apply to column \"dt\": the column holds dates"), "{}", text(&o.stderr));
    let o = with(&["--step", "impute:c:constant"]);
    assert!(text(&o.stderr).contains("an impute step with a constant needs its value: impute:COLUMN:constant:VALUE"), "{}", text(&o.stderr));
    let o = with(&["--step", "impute:dt:constant:1e400"]);
    assert!(text(&o.stderr).contains("the constant \"1e400\" is not a finite number"), "{}", text(&o.stderr));
    // A metric for the other task, on a task that was inferred from
    // numbers: says how to set it. On labels ("yes"/"no"), which cannot be
    // a regression's target, it does not (that advice led to another error).
    let o = run(&["run", d, "--target", "y", "--metric", "accuracy"]);
    assert!(text(&o.stderr).contains("metric accuracy does not apply to regression") && text(&o.stderr).contains("the task was inferred from the target"), "{}", text(&o.stderr));
    let o = run(&["run", d, "--target", "b", "--metric", "rmse"]);
    assert!(text(&o.stderr).contains("metric rmse does not apply to classification; the metrics for classification are"), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("the task was inferred"), "{}", text(&o.stderr));
    let o = with(&["--step", "impute:c:constant:none"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("\"constant\": \"none\""), "{}", text(&o.stdout));
    let o = run(&["run", d, "--target", "b", "--task", "regression", "--search", "none", "--models", "tree"]);
    assert!(text(&o.stderr).contains("target \"b\" holds two values (a yes/no column), so it cannot be used for regression"), "{}", text(&o.stderr));
}

/// The profile's first line counts in the singular and the plural.
#[test]
fn profile_counts_rows_and_columns_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("one.csv");
    std::fs::write(&data, "a\n1\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap()]);
    assert!(text(&o.stdout).starts_with("one.csv: 1 row, 1 column, sha256 "), "{}", text(&o.stdout));
}

/// Joiners inside an emoji sequence or a Persian word are printed as they
/// are (they were shown as ⟨U+200D⟩ and ⟨U+200C⟩); bidi controls and a
/// joiner at the end of a name still as their codes.
#[test]
fn profile_keeps_joiners_inside_words_and_shows_bidi_controls() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("joiners.csv");
    std::fs::write(&data, "dev,word,x\u{202e}y,end\u{200d}\n👩\u{200d}💻,می\u{200c}خواهم,1,a\n👩\u{200d}💻,می\u{200c}خواهم,2,b\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap()]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}{}", text(&o.stderr));
    assert!(out.contains("\"👩\u{200d}💻\" (2)"), "{out}");
    assert!(out.contains("\"می\u{200c}خواهم\" (2)"), "{out}");
    assert!(out.contains("x⟨U+202E⟩y") && out.contains("end⟨U+200D⟩"), "{out}");
    assert!(!out.contains("⟨U+200C⟩") && !out.contains("💻⟨U+200D⟩"), "{out}");
}

/// Standard error closed early (a pipe into `head`) loses the text, not
/// the run: it aborted with SIGABRT and no message (exit 134).
#[test]
fn a_closed_stderr_does_not_abort_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.json");
    let iris = root("www/data/iris.csv");
    for args in [
        vec!["run", iris.to_str().unwrap(), "--target", "species", "--out", out.to_str().unwrap()],
        vec!["cluster", iris.to_str().unwrap(), "--model", "dbscan", "--out", dir.path().join("c.json").to_str().unwrap().to_string().leak()],
    ] {
        let mut child = bin().args(&args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {status:?}");
    }
    assert!(out.exists());
}

/// Command-line mistakes are one line starting "mlcycle: ", exit 2, naming
/// the flag as typed; help and version still print in full.
#[test]
fn usage_errors_are_one_line_and_name_the_flag() {
    let iris = root("www/data/iris.csv");
    let d = iris.to_str().unwrap();
    for (args, want) in [
        (vec!["run", d], "the following required arguments were not provided: --target <TARGET>"),
        (vec!["run", d, "--target", "species", "--time-budget", "0"], "invalid value '0' for '--time-budget <SECONDS>': \"0\" is not a number of seconds above 0"),
        (vec!["run", d, "--target", "species", "--max-seconds", "0"], "'--max-seconds <MAX_SECONDS>'"),
        (vec!["cluster", d, "--model", "pca", "--components", "0"], "'--components <COMPONENTS>'"),
        (vec!["bogus"], "unrecognized subcommand 'bogus'"),
        // Every bad flag value is a bad command line, the flag and the value named.
        (vec!["profile", d, "--delimiter", "\""], "invalid value '\"' for '--delimiter <CHAR|whitespace>': invalid parse option: the delimiter '\"' must be one ASCII punctuation"),
        (vec!["profile", d, "--delimiter", "ab"], "invalid value 'ab' for '--delimiter <CHAR|whitespace>'"),
        (vec!["profile", d, "--comment", "a"], "invalid value 'a' for '--comment <CHAR>': invalid parse option: the comment character 'a' must be"),
        (vec!["profile", d, "--type", "a=weird"], "invalid value 'a=weird' for '--type <COLUMN=KIND>': the kind \"weird\" must be one of"),
        (vec!["profile", d, "--type", "a"], "invalid value 'a' for '--type <COLUMN=KIND>': \"a\" is not COLUMN=KIND"),
        (vec!["run", d, "--target", "species", "--folds", "1"], "invalid value '1' for '--folds"),
        (vec!["run", d, "--target", "species", "--models", "knn,bogus"], "invalid value 'bogus' for '--models <MODELS>': unknown model \"bogus\"; known models: random_forest"),
        (vec!["profile", d, "--decimal-comma", "true", "--delimiter", ","], "a decimal comma needs a delimiter other than a comma (--decimal-comma true with --delimiter ',')"),
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("mlcycle: ") && err.contains(want), "{args:?}: {err}");
    }
    assert!(run(&["--help"]).status.success());
    assert!(text(&run(&["--version"]).stdout).starts_with("mlcycle "));
    // An unknown column to leave out names the file.
    let o = run(&["cluster", d, "--ignore", "nope"]);
    assert_eq!(text(&o.stderr).trim(), "mlcycle: iris.csv: column \"nope\" is not in the data");
}

/// Every suggestion of `profile --json` passed to `run` as --step, as they
/// come: one given twice is used once, and a drop_column replaces another
/// suggestion on its column; each is said.
#[test]
fn every_profile_suggestion_can_be_passed_as_a_step() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("s.csv");
    let mut csv = String::from("id,a,b,c,d,y\n");
    for i in 0..60 {
        // a: half missing (dropped); b: the same, and a copy of a (dropped
        // twice); c: clean; d: near-constant (dropped) and skewed (scaled).
        let a = if i % 2 == 0 { String::new() } else { (i * i).to_string() };
        csv.push_str(&format!("u{i},{a},{},{},{},{}\n", if i % 2 == 0 { String::new() } else { (2 * i * i + 1).to_string() }, i % 7, match i { 5 => 1000, 9 => 500, _ => 0 }, if i % 3 == 0 { "p" } else { "q" }));
    }
    std::fs::write(&data, csv).unwrap();
    let o = run(&["profile", data.to_str().unwrap(), "--json"]);
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let steps: Vec<String> = p["alerts"].as_array().unwrap().iter().filter_map(|a| a.get("suggestion")).map(|s| s.to_string()).collect();
    assert!(steps.len() >= 3, "{steps:?}");
    let mut args: Vec<String> = ["run", data.to_str().unwrap(), "--target", "y", "--search", "none"].iter().map(|s| s.to_string()).collect();
    for s in &steps {
        args.push("--step".into());
        args.push(s.clone());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args);
    assert!(o.status.success(), "{steps:?}\n{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("given again: used once") && err.contains("left out: its column is dropped (drop_column)"), "{steps:?}\n{err}");
}

/// A classification run says what always predicting the majority class
/// scores, and when the model predicts one class only.
#[test]
fn run_shows_the_majority_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("rare.csv");
    let mut csv = String::from("x,y\n");
    for i in 0..200 {
        csv.push_str(&format!("{},{}\n", i % 13, if i % 50 == 7 { "fraud" } else { "ok" }));
    }
    std::fs::write(&data, csv).unwrap();
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--search", "none", "--out", dir.path().join("m.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("  baseline  always \"ok\" would score accuracy 0.9800, macro_f1 0.4949"), "{err}");
    assert!(err.contains("  note: the model predicts one class only on the 50 test rows, which hold 2 classes"), "{err}");
    // Regression: always the training mean.
    let o = run(&["run", root("www/data/diabetes.csv").to_str().unwrap(), "--target", "progression", "--search", "none"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("  baseline  always the training mean ("), "{}", text(&o.stderr));
}

#[test]
fn committed_manifests_reproduce() {
    for (m, d) in [
        ("tests/fixtures/iris.run.json", "www/data/iris.csv"),
        ("tests/fixtures/diabetes.run.json", "www/data/diabetes.csv"),
        ("tests/fixtures/diabetes-halving.run.json", "www/data/diabetes.csv"),
        ("tests/fixtures/iris-search.run.json", "www/data/iris.csv"),
    ] {
        let o = run(&["replay", root(m).to_str().unwrap(), root(d).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{m}: {}{}", text(&o.stdout), text(&o.stderr));
    }
}

/// The same seed gives the same leaderboard whatever the number of threads
/// (successive halving, so later rungs depend on earlier ones).
#[test]
fn threads_do_not_change_the_leaderboard() {
    let dir = tempfile::tempdir().unwrap();
    let data = root("www/data/diabetes.csv");
    let mut manifests = Vec::new();
    for threads in ["1", "3"] {
        let out = dir.path().join(format!("t{threads}.json"));
        let o = run(&[
            "run", data.to_str().unwrap(), "--target", "progression", "--search", "halving", "--trials", "12",
            "--models", "ridge,lasso,elastic_net,knn,tree,linear", "--threads", threads, "--seed", "9", "--out", out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(text(&o.stderr).contains(&format!("{threads} thread(s)")));
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("durations_ms");
        for t in v["search"]["trials"].as_array_mut().unwrap() {
            t.as_object_mut().unwrap().remove("duration_ms");
        }
        assert!(v["search"]["trials"].as_array().unwrap().iter().any(|t| t["rung"] == 1), "halving promoted nothing");
        manifests.push(v);
    }
    assert_eq!(manifests[0], manifests[1]);
}

#[test]
fn search_config_file_sets_the_spaces_and_names_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    let iris = root("www/data/iris.csv");
    let good = dir.path().join("search.json");
    std::fs::write(&good, r#"{"spaces": [{"model": "svc", "c": [0.5, 2], "kernel": ["linear"]}, {"model": "forest", "n_trees": [10]}], "metric": "roc_auc", "folds": 4}"#).unwrap();
    let out = dir.path().join("run.json");
    let o = run(&["run", iris.to_str().unwrap(), "--target", "species", "--config", good.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("ranked by mean roc_auc"), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["config"]["search"]["grid"].as_array().unwrap().len(), 3);
    assert_eq!(v["config"]["search"]["folds"], 4);
    let o = run(&["replay", out.to_str().unwrap(), iris.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    for (name, body, message) in [
        ("unknown.json", r#"{"spaces": [], "trails": 3}"#, "unknown field `trails`"),
        ("empty.json", r#"{"spaces": []}"#, "spaces: the list is empty"),
        ("param.json", r#"{"spaces": [{"model": "svc", "C": [1]}]}"#, "spaces[0].C: svc has no parameter \"C\"; its hyperparameters are c, gamma, kernel"),
        ("range.json", r#"{"spaces": [{"model": "svc", "c": [1, -1]}]}"#, "spaces[0].c[1]: parameter c = -1 is out of range: allowed greater than 0"),
        ("type.json", r#"{"spaces": [{"model": "knn", "k": [2.5]}]}"#, "spaces[0].k[0]:"),
        ("task.json", r#"{"spaces": [{"model": "svr"}]}"#, "spaces[0].model: svr cannot be used for classification"),
        ("metric.json", r#"{"metric": "r2"}"#, "metric r2 does not apply to classification"),
        ("notjson.json", "{", "search configuration:"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let o = run(&["run", iris.to_str().unwrap(), "--target", "species", "--config", path.to_str().unwrap()]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{name}: {err}");
        assert!(err.contains(message), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
    }
}

#[test]
fn moved_numbers_fail_with_exit_1_and_name_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = std::fs::read_to_string(root("tests/fixtures/iris.run.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let acc = v["result"]["metrics"][0]["value"].as_f64().unwrap();
    let nudged = f64::from_bits(acc.to_bits() - 1);
    v["result"]["metrics"][0]["value"] = serde_json::json!(nudged);
    let path = dir.path().join("moved.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let o = run(&["replay", path.to_str().unwrap(), root("www/data/iris.csv").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(out.contains(&format!("result.metrics.accuracy: expected {nudged:?}, found {acc:?}")), "{out}");
}

#[test]
fn other_data_is_exit_4_naming_both_digests() {
    let o = run(&["replay", root("tests/fixtures/iris.run.json").to_str().unwrap(), root("www/data/wine.csv").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4));
    let err = text(&o.stderr);
    assert!(err.contains("9cc1c345c71bcc9b486b74cbf6063fa66f4bb5e0f603a4b3c3471ec2e5e8e355"), "{err}");
    assert!(err.contains("d82b138f1d0fcd9d2e30e49aec338dd746502ff02fecdcf18806bfcb75f642cf"), "{err}");
}

/// The run's file saved again with Windows line endings is still not the
/// run's data (exit 4), but the error says it reads to the run's columns
/// and rows and that its lines end in CRLF; other data gets no such note.
#[test]
fn the_runs_file_saved_again_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("iris.csv");
    std::fs::write(&saved, std::fs::read_to_string(root("www/data/iris.csv")).unwrap().replace('\n', "\r\n")).unwrap();
    let o = run(&["replay", root("tests/fixtures/iris.run.json").to_str().unwrap(), saved.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(4), "{}{}", text(&o.stdout), text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("; it reads to the run's 5 columns and 150 rows, so it is most likely the run's file saved again by an editor or a spreadsheet, which can change line endings (its lines end in CRLF, as Windows editors write them)"), "{err}");
    let o = run(&["replay", root("tests/fixtures/iris.run.json").to_str().unwrap(), root("www/data/wine.csv").to_str().unwrap()]);
    assert!(!text(&o.stderr).contains("saved again"), "{}", text(&o.stderr));
}

#[test]
fn profile_json_is_machine_readable() {
    let o = run(&["profile", root("www/data/iris.csv").to_str().unwrap(), "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 150);
    assert_eq!(v["columns"][4]["name"], "species");
    assert_eq!(v["columns"][4]["distinct"], 3);
}

/// One row per hostile input: the bytes, the exit code and a piece of the
/// one-line message. Never 101 (a Rust panic).
#[test]
fn hostile_inputs_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let many_cols = (0..10_001).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n" + &"1,".repeat(10_000) + "1\n";
    let long_header = format!("{},b\n1,2\n", "h".repeat(100_000));
    let thousand_classes: String = std::iter::once("x,y\n".to_string()).chain((0..2000).map(|i| format!("{i},c{}\n", i % 1000))).collect();
    let row_labels: String = std::iter::once("x,y\n".to_string()).chain((0..300).map(|i| format!("{},row{i}\n", i % 7))).collect();
    let extremes: String = std::iter::once("x,z,y\n".to_string()).chain((0..40).map(|i| format!("{},{},{}\n", if i % 2 == 0 { "1e308" } else { "-1e308" }, if i % 3 == 0 { "5e-324" } else { "0" }, if i % 2 == 0 { "1e308" } else { "-1e308" }))).collect();
    type Case<'a> = (&'a str, Vec<u8>, &'a [&'a str], i32, &'a str);
    let cases: Vec<Case> = vec![
        ("empty.csv", vec![], &["profile"], 3, "empty.csv: the file is empty"),
        ("header.csv", b"a,b\n".to_vec(), &["profile"], 3, "header row but no data rows"),
        ("ragged.csv", b"a,b\n1,2\n3\n".to_vec(), &["profile"], 3, "row 2 (line 3) has 1 field but the header has 2"),
        ("quote.csv", b"a,b\n\"x,1\n".to_vec(), &["profile"], 3, "never closed"),
        ("utf16.csv", b"\xff\xfea\x00\n\x00\x00\xd8".to_vec(), &["profile"], 3, "invalid UTF-16 at byte 6"),
        ("latin1.csv", b"a,b\ncaf\xe9,1\n".to_vec(), &["profile"], 3, "line 2: invalid UTF-8 at byte offset 7 of the file"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(), &["profile"], 3, "binary file"),
        ("wide.csv", many_cols.into_bytes(), &["profile"], 3, "over the limit of 10000"),
        ("longhead.csv", long_header.into_bytes(), &["profile"], 3, "over the limit of 1000"),
        ("inf.csv", b"a,b\n1,2\n1e400,3\n".to_vec(), &["profile"], 3, "row 2 (line 3), column \"a\": \"1e400\" is not a finite number; to read such values as missing (and list their rows), add --non-finite-as-missing"),
        // Control characters quoted from the data are shown escaped, not sent to the terminal.
        ("escape.csv", b"a,b\n1,\x1b]0;pwned\x07\n".to_vec(), &["profile", "--type", "b=integer"], 3, "column \"b\": \"\\u{1b}]0;pwned\\u{7}\" is not a valid integer"),
        ("bigint.csv", b"id\n9007199254740992\n9007199254740993\n".to_vec(), &["profile", "--type", "id=integer"], 3, "row 2 (line 3), column \"id\": 9007199254740993 cannot be kept exactly as an integer"),
        ("oneclass.csv", b"a,y\n1,k\n2,k\n3,k\n4,k\n".to_vec(), &["run", "--target", "y"], 3, "only one class"),
        ("notarget.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "nope"], 3, "no column named \"nope\""),
        ("casetarget.csv", b"a,Species\n1,k\n2,j\n".to_vec(), &["run", "--target", "species"], 3, "casetarget.csv: no column named \"species\"; did you mean \"Species\"? The columns are \"a\", \"Species\""),
        ("badtype.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["profile", "--type", "nope=integer"], 3, "badtype.csv: no column named \"nope\"; the columns are \"a\", \"y\""),
        ("onlytarget.csv", b"y\n1.5\n2.5\n3.5\n4.5\n".to_vec(), &["run", "--target", "y"], 3, "no feature columns"),
        ("onerow.csv", b"a,y\n1,2.5\n".to_vec(), &["run", "--target", "y"], 3, "cannot split 1 row with"),
        ("allmissing.csv", b"a,b,y\n,1,0\n,2,1\n,3,0\n,4,1\n".to_vec(), &["run", "--target", "y", "--trees", "5", "--search", "none"], 0, ""),
        ("tiny.csv", b"a,b,y\n,1,0\n,2,1\n,3,0\n,4,1\n".to_vec(), &["run", "--target", "y"], 3, "too few to cross-validate"),
        ("badmodel.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n".to_vec(), &["run", "--target", "y", "--models", "svm"], 2, "unknown model \"svm\"; known models: random_forest"),
        ("wrongmodel.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n".to_vec(), &["run", "--target", "y", "--models", "ridge"], 3, "model ridge cannot be used for classification; the models for classification are random_forest, decision_tree, knn, logistic, gaussian_nb, svc"),
        ("badfolds.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n".to_vec(), &["run", "--target", "y", "--folds", "1"], 2, "invalid value '1' for '--folds <FOLDS>': out of range: allowed 2 to 20"),
        ("textreg.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "y", "--task", "regression"], 3, "cannot be used for regression"),
        ("budget.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n".to_vec(), &["run", "--target", "y", "--max-seconds", "0.000001", "--search", "none"], 3, "training would take about 0.0 s by a rough estimate (100 trees × 2 rows × depth 1 × 1 features per split), over the limit of 0.000001 s; use fewer trees, set a max depth, or sample the rows"),
        ("classes.csv", thousand_classes.into_bytes(), &["run", "--target", "y"], 3, "has 1000 classes, over the limit of 200"),
        ("rowlabels.csv", row_labels.into_bytes(), &["run", "--target", "y"], 3, "a different value in each of its 300 rows"),
        ("extremes.csv", extremes.into_bytes(), &["run", "--target", "y", "--task", "regression"], 3, "target \"y\" has values as large as 1.000e308, too large to score a fit (the squared errors overflow); rescale it, e.g. divide it by 1e302"),
        ("extremes-x.csv", b"x,y\n1e308,1\n-1e308,2\n1e308,3\n-1e308,4\n5,5\n6,6\n7,7\n8,8\n9,9\n10,10\n".to_vec(), &["run", "--target", "y", "--task", "regression", "--models", "knn", "--search", "none"], 3, "knn cannot use values as large as 1e308 (the limit is 1e100)"),
        ("trees.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "y", "--trees", "0", "--search", "none"], 2, "invalid value '0' for '--trees <TREES>': out of range: allowed 1 to 1000"),
        ("treesearch.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "y", "--trees", "5"], 3, "--trees and --max-depth set the one random forest of --search none; a search takes tree sizes from its grid"),
        ("nosearch.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "y", "--search", "none", "--metric", "roc_auc", "--folds", "5"], 3, "--folds and --metric set a search, and --search none fits one model with no search (no folds, no ranking, no budget); leave them out"),
        ("threads.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n".to_vec(), &["run", "--target", "y", "--threads", "0"], 2, "invalid value '0' for '--threads <THREADS>': out of range: allowed 1 to 256"),
        ("metric.csv", b"a,y\n1.5,2.5\n2.5,3.5\n3.5,1.5\n4.5,7.5\n".to_vec(), &["run", "--target", "y", "--metric", "log_loss"], 3, "metric log_loss does not apply to regression; the metrics for regression are r2, rmse"),
        ("halving.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n5,k\n6,j\n7,k\n8,j\n9,k\n10,j\n11,k\n12,j\n".to_vec(), &["run", "--target", "y", "--search", "halving", "--trials", "0"], 2, "invalid value '0' for '--trials <TRIALS>': out of range: allowed 1 to 500"),
        ("budget0.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n5,k\n6,j\n7,k\n8,j\n9,k\n10,j\n11,k\n12,j\n".to_vec(), &["run", "--target", "y", "--time-budget=-1"], 2, "invalid value '-1' for '--time-budget <SECONDS>': \"-1\" is not a number of seconds above 0"),
        ("extremes-svr.csv", b"x,y\n1e308,1\n-1e308,2\n1e308,3\n-1e308,4\n5,5\n6,6\n7,7\n8,8\n9,9\n10,10\n".to_vec(), &["run", "--target", "y", "--task", "regression", "--models", "svr,gbt,extra_trees,elastic_net,linear"], 3, "no candidate model could be fitted in the search; the first failure was svr on fold 1: svr cannot use values as large as 1e308"),
    ];
    for (name, bytes, args, code, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let mut full: Vec<&str> = vec![args[0], path.to_str().unwrap()];
        full.extend_from_slice(&args[1..]);
        let o = run(&full);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{name}: {err}");
        assert!(err.contains(message), "{name}: {err}");
        if code != 0 {
            assert_eq!(err.lines().count(), 1, "{name}: one line expected: {err}");
            assert!(err.starts_with("mlcycle: "), "{name}: {err}");
        }
    }
}

#[test]
fn bad_manifests_are_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let iris = root("www/data/iris.csv");
    for (name, body, message) in [
        ("v2.json", "{\"schema\":\"mlcycle.run/2\"}", "unsupported manifest schema \"mlcycle.run/2\""),
        ("deep.json", &"[".repeat(100_000), "nests deeper"),
        ("junk.json", "hello", "not valid"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let o = run(&["replay", path.to_str().unwrap(), iris.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(3), "{name}");
        assert!(text(&o.stderr).contains(message), "{name}: {}", text(&o.stderr));
    }
}

#[test]
fn missing_file_is_exit_5() {
    let o = run(&["profile", "/nonexistent/data.csv"]);
    assert_eq!(o.status.code(), Some(5));
    assert!(text(&o.stderr).starts_with("mlcycle: /nonexistent/data.csv: cannot read"));
}

#[test]
fn serve_sends_wasm_with_its_type_and_the_security_headers() {
    use std::io::{BufRead, BufReader, Read, Write};
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::create_dir(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/mlcycle_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let mut child = bin()
        .args(["serve", site.path().to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("serving http://").unwrap().to_string();
    let get = |path: &str| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut r = String::new();
        s.read_to_string(&mut r).unwrap();
        r
    };
    let index = get("/");
    let wasm = get("/pkg/mlcycle_bg.wasm");
    let escape = get("/../Cargo.toml");
    child.kill().unwrap();
    child.wait().unwrap();
    for r in [&index, &wasm] {
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
        assert!(r.contains("Content-Security-Policy: default-src 'none'; script-src 'self' 'wasm-unsafe-eval';"));
        assert!(r.contains("connect-src 'self'"));
        assert!(r.contains("X-Content-Type-Options: nosniff"));
        assert!(r.contains("Referrer-Policy: no-referrer"));
    }
    assert!(index.contains("Content-Type: text/html"));
    assert!(wasm.contains("Content-Type: application/wasm"));
    assert!(escape.starts_with("HTTP/1.1 403") || escape.starts_with("HTTP/1.1 404"), "{escape}");
}

#[test]
fn profile_writes_an_escaped_self_contained_html_report() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("evil.csv");
    let mut csv = String::from("<script>alert(1)</script>,y\n");
    for i in 0..50 {
        csv.push_str(&format!("{},{}\n", i % 7, if i % 2 == 0 { "a" } else { "b" }));
    }
    std::fs::write(&data, csv).unwrap();
    let html = dir.path().join("report.html");
    let o = run(&["profile", data.to_str().unwrap(), "--html", html.to_str().unwrap(), "--target", "y"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let report = std::fs::read_to_string(&html).unwrap();
    assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!report.contains("<script"));
    assert!(report.len() <= 50_000 + 5_000 * 2, "{}", report.len());
}

#[test]
fn profile_options_reach_the_parser() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("zip.csv");
    std::fs::write(&data, "zip;v\n02134;1,5\n10001;2,5\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap(), "--json", "--type", "zip=categorical"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["columns"][0]["kind"], "categorical");
    assert_eq!(v["columns"][0]["top"][0]["value"], "02134");
    assert_eq!(v["columns"][1]["mean"], 2.0);
    assert_eq!(v["ingest"]["decimalComma"], true);
    let o = run(&["profile", data.to_str().unwrap(), "--type", "zip=colour"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("the kind \"colour\" must be one of"), "{}", text(&o.stderr));
}

#[test]
fn cluster_finds_groups_and_refuses_hostile_input() {
    let dir = tempfile::tempdir().unwrap();
    let iris = root("www/data/iris.csv");
    for (model, expect) in [("kmeans", "inertia"), ("dbscan", "noise"), ("pca", "projection  150 rows on 2 components (variance explained 0.7296, 0.2285)")] {
        let out = dir.path().join(format!("{model}.json"));
        let o = run(&["cluster", iris.to_str().unwrap(), "--model", model, "--ignore", "species", "--out", out.to_str().unwrap()]);
        assert!(o.status.success(), "{model}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(expect), "{model}: {}", text(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(v["result"]["options"]["model"], model);
    }
    // Without --model: k-means, as the page starts with.
    let o = run(&["cluster", iris.to_str().unwrap(), "--ignore", "species"]);
    assert!(o.status.success() && text(&o.stderr).contains("k-means on 150 rows") && text(&o.stderr).contains("inertia"), "{}", text(&o.stderr));
    let huge = dir.path().join("huge.csv");
    std::fs::write(&huge, "a,b\n1,2\n1e300,3\n4,5\n5,6\n").unwrap();
    let small = dir.path().join("small.csv");
    std::fs::write(&small, "a,b\n1,2\n3,3\n4,5\n5,6\n").unwrap();
    for (data, args, message) in [
        (&huge, vec!["--model", "dbscan"], "column \"a\" has values as large as 1e300, too large to standardise"),
        (&small, vec!["--model", "kmeans", "--k", "9"], "need at least 9 rows, found 4"),
        (&small, vec!["--model", "dbscan", "--min-samples", "10"], "parameter min_samples = 10 is out of range: allowed 1 to the row count (4)"),
        (&small, vec!["--model", "pca", "--components", "3"], "parameter n_components = 3 is out of range: allowed 1 to the prepared column count (2)"),
        (&small, vec!["--model", "pca", "--ignore", "a,b"], "no feature columns"),
        (&small, vec!["--model", "pca", "--ignore", "zz"], "column \"zz\" is not in the data"),
    ] {
        let mut full = vec!["cluster", data.to_str().unwrap()];
        full.extend(args.iter().copied());
        let o = run(&full);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    }
}

/// Reading options given to `run` are recorded in the manifest; `replay`
/// reads the file with them, and a manifest whose options were changed is
/// refused naming both.
/// numpy's test CSVs: comment lines (`--comment '#'`) between the rows;
/// a title above the table is detected, or skipped as asked
/// (`--skip-lines`), and both are recorded in a run's manifest and replayed.
#[test]
fn comments_and_titles_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("umath.csv");
    std::fs::write(&data, "dtype,input,output,ulperrortol\n## +ve denormals ##\nnp.float32,0x004b4716,0x3f800000,2\n## -ve ##\nnp.float32,0x807c99fa,0x3f800000,2\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("row 1 (line 2) has 1 field but the header has 4"), "{}", text(&o.stderr));
    let o = run(&["profile", data.to_str().unwrap(), "--json", "--comment", "#"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["rows"].as_u64(), v["columnCount"].as_u64()), (Some(2), Some(4)));

    let data = dir.path().join("titled.csv");
    let mut csv = String::from("Quarterly sales, all regions\nregion,amount,label\n");
    for i in 0..24 {
        csv.push_str(&format!("r{},{}.5,{}\n", i % 5, i, if i % 3 == 0 { "a" } else { "b" }));
    }
    std::fs::write(&data, &csv).unwrap();
    let o = run(&["profile", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("note: the first line had fewer fields than the table below and was skipped as a title or notes (\"Quarterly sales, all regions\")"), "{}", text(&o.stdout));
    let out = dir.path().join("run.json");
    let o = run(&["run", data.to_str().unwrap(), "--target", "label", "--search", "none", "--skip-lines", "1", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["dataset"]["parse_options"]["skipLines"], 1);
    assert_eq!(m["dataset"]["columns"].as_array().unwrap().len(), 3);
    let o = run(&["replay", out.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    // Read from line 1, the title is the header: the rows are ragged.
    let o = run(&["profile", data.to_str().unwrap(), "--skip-lines", "0"]);
    assert_eq!(o.status.code(), Some(3));
    let o = run(&["profile", data.to_str().unwrap(), "--skip-lines", "5000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("invalid value '5000' for '--skip-lines <N>': out of range: allowed 0 to 1000"), "{}", text(&o.stderr));
}

/// A title with commas in it, a source line and a blank line above the
/// table: the title is as wide as the table, so it is read as the header,
/// and the error names both lines to skip; skipping them reads the table
/// (skipping line 1 alone left the source line as the header, and a
/// second error).
#[test]
fn a_title_with_commas_is_skipped_in_one_round() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("title.csv");
    std::fs::write(&data, "Table 1: Population, by region, 2023\nSource: Office of Statistics\n\nregion,pop,area\nNorth,1000,5.5\nSouth,2000,6.5\nEast,1500,7.5\nWest,1200,8.5\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let err = text(&o.stderr);
    assert!(err.contains("title.csv: row 1 (line 2) has 1 field but the header has 3; if lines 1 and 2 are a title or notes rather than the column names, skip them (--skip-lines 2, "), "{err}");
    let o = run(&["profile", data.to_str().unwrap(), "--json", "--skip-lines", "2"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["rows"].as_u64(), v["columnCount"].as_u64()), (Some(4), Some(3)));
}

/// A one-hot feature whose name a column already has is named apart
/// (`c=x_2`): the manifest records distinct feature names and a replay
/// makes the same ones.
#[test]
fn one_hot_names_apart_from_columns_and_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("clash.csv");
    let mut csv = String::from("c,c=x,y\n");
    for i in 0..40 {
        csv.push_str(&format!("{},{},{}\n", ["x", "z"][i % 2], (i * 7) % 11, (i * 3) % 13 + i % 2 * 5));
    }
    std::fs::write(&data, csv).unwrap();
    let out = dir.path().join("run.json");
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--task", "regression", "--models", "linear", "--search", "none", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["result"]["features"], serde_json::json!(["c=x_2", "c=z", "c=x"]));
    let o = run(&["replay", out.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
}

#[test]
fn reading_options_are_recorded_and_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("semi.csv");
    let mut csv = String::from("x;zip;label\n");
    for i in 0..24 {
        // Codes without leading zeros (those would be read as text anyway).
        csv.push_str(&format!("{},5;{};{}\n", i, 1000 + i % 4, if i % 3 == 0 { "a" } else { "b" }));
    }
    std::fs::write(&data, csv).unwrap();
    let out = dir.path().join("run.json");
    let o = run(&["run", data.to_str().unwrap(), "--target", "label", "--search", "none", "--type", "zip=categorical", "--missing", "NA,unknown", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let parse = &m["dataset"]["parse_options"];
    assert_eq!(parse["columnTypes"]["zip"], "categorical");
    assert_eq!(parse["missingTokens"], serde_json::json!(["", "NA", "unknown"]));
    let zip = m["dataset"]["columns"].as_array().unwrap().iter().find(|c| c["name"] == "zip").unwrap().clone();
    assert_eq!(zip["kind"], "categorical");
    let o = run(&["replay", out.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // A manifest whose options were edited reads the same bytes differently:
    // refused, naming the column.
    let mut changed = m.clone();
    changed["dataset"]["parse_options"]["columnTypes"] = serde_json::json!({});
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&changed).unwrap()).unwrap();
    let o = run(&["replay", edited.to_str().unwrap(), data.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("parses to a different schema (column \"zip\" is integer now, \"zip\" categorical recorded)"), "{err}");

    // Bad reading options are command-line errors naming the flag.
    let o = run(&["run", data.to_str().unwrap(), "--target", "label", "--max-memory", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("invalid value '0' for '--max-memory <MB>': out of range: allowed 1 or more"), "{}", text(&o.stderr));
}

/// The text profile shows a date column's min, max and mean as dates and
/// its spread in days, not as seconds since 1970.
#[test]
fn profile_text_shows_dates_as_dates() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "when,v\n2020-01-01,1\n2020-01-03,2\n2020-01-05,3\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let line = out.lines().find(|l| l.starts_with("when")).unwrap();
    assert!(line.contains("2020-01-01 2020-01-05 2020-01-03"), "{line}");
    assert!(line.contains("2.0 days"), "{line}");
    assert!(!line.contains("1577"), "{line}");
}

/// A column of identifiers is left out of the features by the default
/// recipe, and the command says which and why.
#[test]
fn run_names_the_columns_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("ids.csv");
    let mut csv = String::from("PassengerId,x,name,-y\n");
    for i in 0..80 {
        csv.push_str(&format!("{},{},person {i},{}\n", i + 1, i % 7, if i % 7 < 3 { "a" } else { "b" }));
    }
    std::fs::write(&data, csv).unwrap();
    let o = run(&["run", data.to_str().unwrap(), "--target", "-y", "--search", "none", "--out", dir.path().join("m.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("left out \"name\": each of its 60 training labels is in one row only"), "{}", text(&o.stderr));
    // A row number is left out too; a target named with a leading hyphen
    // is taken as the value of --target.
    assert!(text(&o.stderr).contains("left out \"PassengerId\": it counts the rows (1, 2, … 80 in file order)"), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("on \"-y\""), "{}", text(&o.stderr));
}

/// `--encoding windows-1252` reads Excel's CSV on Windows; without it the
/// error names the option.
#[test]
fn encoding_option_reads_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("excel.csv");
    std::fs::write(&data, b"name,n\ncaf\xe9,1\n\x80,2\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("--encoding windows-1252"), "{}", text(&o.stderr));
    let o = run(&["profile", data.to_str().unwrap(), "--json", "--encoding", "windows-1252"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let top: Vec<&str> = v["columns"][0]["top"].as_array().unwrap().iter().map(|t| t["value"].as_str().unwrap()).collect();
    assert_eq!(top, ["café", "€"]);
    assert_eq!(v["ingest"]["encoding"], "windows-1252");
}

/// A pipe (`/dev/stdin`, size unknown, no seeking) is read through once.
#[cfg(unix)]
#[test]
fn a_pipe_is_read_through() {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = bin().args(["profile", "/dev/stdin", "--json"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"a,b\n1,5\" screen\n2,x\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p["rows"], 2);
    assert_eq!(p["fileName"], "stdin");
}

/// The text profile says what reading repaired (a renamed header cell) and
/// never prints a control character from the data raw to the terminal.
#[test]
fn text_profile_notes_repairs_and_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "a\u{1b}[31m,b,\n1,2,x\n1,3,y\n").unwrap();
    let out = run(&["profile", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("note: column 3 had no name and was named \"column_3\""), "{s}");
    assert!(s.contains("\"a\\u{1b}[31m\" has one value only"), "{s}");
    assert!(!s.contains('\u{1b}'), "{s}");

    // A long name is cut to its column's width, and large values keep
    // their integer digits, so the rows stay aligned and comparable.
    std::fs::write(&path, "a_very_long_column_name_that_goes_on,b\n1000000000,1\n1000000002.5,2\n1000000005,3\n").unwrap();
    let s = text(&run(&["profile", path.to_str().unwrap()]).stdout);
    let row = s.lines().find(|l| l.starts_with("a_very")).unwrap();
    assert!(row.starts_with("a_very_long_column_name… float "), "{row}");
    assert!(row.contains(" 1000000000 1000000005 1000000002.5 "), "{row}");
}

/// Names and values are shown as written: quotes whole, accents made of
/// combining marks (as macOS writes them) as letters, not escapes.
#[test]
fn text_profile_shows_names_and_values_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, "cafe\u{301},say \"hi\",x\nZoe\u{308},\"a \"\"q\"\"\",1\nb,c,2\n").unwrap();
    let s = text(&run(&["profile", path.to_str().unwrap()]).stdout);
    assert!(s.lines().any(|l| l.starts_with("cafe\u{301} ") && l.contains("\"Zoe\u{308}\" (1)")), "{s}");
    assert!(s.lines().any(|l| l.starts_with("say \"hi\" ") && l.contains("\"a \"q\"\" (1)")), "{s}");
    assert!(!s.contains("\\u{301}") && !s.contains("\\\""), "{s}");
}

/// On data wider than the paired columns, a column past them that leaks
/// the target is still found, and the text says which columns were not
/// paired with each other.
#[test]
fn wide_data_still_measures_every_column_against_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.csv");
    let mut csv = (0..60).map(|i| format!("f{i}")).collect::<Vec<_>>().join(",") + "\n";
    for r in 0..300u64 {
        let v: Vec<String> = (0..60u64)
            .map(|i| match i {
                55 => format!("{}", 2 * ((r * 7919 + 50 * 104_729) % 1000)),
                _ => format!("{}", (r * 7919 + i * 104_729) % 1000),
            })
            .collect();
        csv += &(v.join(",") + "\n");
    }
    std::fs::write(&path, csv).unwrap();
    let s = text(&run(&["profile", path.to_str().unwrap(), "--target", "f50"]).stdout);
    assert!(s.contains("critical possible target leakage: \"f55\" alone explains \"f50\" almost exactly"), "{s}");
    assert!(s.contains("note: associations: 19 column(s) from \"f40\" on are not paired: only the first 40 eligible columns are paired with each other; still measured against the target"), "{s}");
}

/// An auto-mpg-like file (UCI .data: aligned columns, a tab before the
/// quoted car name, `?` missing, no header) is read as columns, with a
/// note; `--delimiter whitespace` reads the same and a run records it for
/// replay.
#[test]
fn whitespace_tables_are_read_as_columns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("auto-mpg.data");
    let mut body = String::new();
    for i in 0..30 {
        let hp = if i % 9 == 4 { "?".to_string() } else { format!("{}.0", 90 + i * 3) };
        let name = ["chevrolet chevelle malibu", "buick skylark 320", "plymouth satellite"][i % 3];
        body.push_str(&format!("{:<4.1}   {}   {:<5.1}      {hp:<6}     {}.      {:.1}   {}  {}\t\"{name}\"\n", 15.0 + i as f64 * 0.5, [4, 6, 8][i % 3], 300.0 + i as f64, 3000 + i * 17, 11.0 + i as f64 / 10.0, 70 + i / 10, 1 + i % 3));
    }
    std::fs::write(&data, &body).unwrap();
    let path = data.to_str().unwrap();
    let o = run(&["profile", path, "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 30);
    let columns = v["columns"].as_array().unwrap();
    assert_eq!(columns.len(), 9, "{}", text(&o.stdout));
    assert_eq!(columns[3]["kind"], "float");
    assert_eq!(columns[3]["missing"], 3);
    assert_eq!(columns[8]["top"][0]["value"], "chevrolet chevelle malibu");
    assert_eq!((v["ingest"]["delimiter"].as_str(), v["ingest"]["delimiterSource"].as_str(), v["ingest"]["header"].as_bool()), (Some("whitespace"), Some("detected"), Some(false)));
    let s = text(&run(&["profile", path]).stdout);
    assert!(s.contains("note: no comma, semicolon, tab or pipe reads the file as a table, but runs of spaces do"), "{s}");

    // Asked for: the same columns, no note; recorded in a run and replayed.
    let o = run(&["profile", path, "--json", "--delimiter", "whitespace"]);
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((w["columns"].as_array().unwrap().len(), w["ingest"]["delimiterSource"].as_str()), (9, Some("option")));
    let out = dir.path().join("run.json");
    let o = run(&["run", path, "--target", "column_1", "--search", "none", "--delimiter", "whitespace", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["dataset"]["parse_options"]["delimiter"], "whitespace");
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    let o = run(&["profile", path, "--delimiter", "spaces"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("\"whitespace\" for runs of spaces and tabs"), "{}", text(&o.stderr));
}

/// A row shorter than the header stops with an error naming the row, the
/// line and `--short-rows missing`; with it, the fields are missing and a
/// note says how many rows and which first; a longer row still stops.
#[test]
fn short_rows_error_names_the_option_and_fill_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("short.csv");
    std::fs::write(&data, "a,b,c\n1,x,2\n3\n4,y\n5,z,6\n").unwrap();
    let path = data.to_str().unwrap();
    let o = run(&["profile", path]);
    assert_eq!(o.status.code(), Some(3));
    let err = text(&o.stderr);
    assert!(err.contains("short.csv: row 2 (line 3) has 1 field but the header has 3; ") && err.contains("--short-rows missing"), "{err}");
    let o = run(&["profile", path, "--short-rows", "missing", "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["rows"].as_u64(), v["columns"][2]["missing"].as_u64(), v["columns"][1]["missing"].as_u64()), (Some(4), Some(2), Some(1)));
    let warning = v["ingest"]["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "short_rows_filled").cloned().unwrap();
    assert_eq!(warning["message"], "2 rows had fewer fields than the header's 3 and were filled with missing values at the end, the first at row 2 (line 3, 1 field)");
    let s = text(&run(&["profile", path, "--short-rows", "missing"]).stdout);
    assert!(s.contains("note: 2 rows had fewer fields"), "{s}");
    std::fs::write(&data, "a,b\n1\n2,3,4\n").unwrap();
    let o = run(&["profile", path, "--short-rows", "missing"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("row 2 (line 3) has 3 fields but the header has 2"), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("short-rows"), "{}", text(&o.stderr));
}

/// Quotes escaped with a backslash are detected and read as quotes;
/// `--backslash-escapes false` reads as CSV does, and the row the quote
/// splits names the option; a run records the option and replays with it.
#[test]
fn backslash_escapes_are_detected_and_can_be_set() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("dump.csv");
    let mut body = String::from("id,comment,score\n");
    for i in 0..40 {
        body.push_str(&format!("{},\"row says \\\"{}\\\", ok\",{}\n", i * 7 % 11, ["yes", "no"][i % 2], i % 3));
    }
    std::fs::write(&data, &body).unwrap();
    let path = data.to_str().unwrap();
    let o = run(&["profile", path, "--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["rows"].as_u64(), v["columns"].as_array().unwrap().len()), (Some(40), 3));
    assert_eq!(v["columns"][1]["top"][0]["value"], "row says \"yes\", ok", "{}", v["columns"][1]["top"]);
    // Off: every row splits in four (read as R's row names), and the note
    // names the option.
    let o = run(&["profile", path, "--backslash-escapes", "false"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("note: line 2 has a quote written \\\" inside a value: this file seems to escape quotes with a backslash, which CSV does not (it doubles them: \"\"); such values are read with their quotes misplaced: turn backslash escapes on (--backslash-escapes true"), "{}", text(&o.stdout));
    std::fs::write(&data, body.replacen("0,\"row says", "0,\"row\\\" 0\", says", 1)).unwrap();
    let o = run(&["profile", path, "--backslash-escapes", "false"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("the row has a quote written \\\" inside a value: if the file escapes quotes with a backslash, turn backslash escapes on (--backslash-escapes true"), "{}", text(&o.stderr));
    std::fs::write(&data, &body).unwrap();
    let out = dir.path().join("run.json");
    let o = run(&["run", path, "--target", "score", "--search", "none", "--backslash-escapes", "true", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["dataset"]["parse_options"]["backslashEscapes"], true);
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
}

/// `--step` adds preparation steps to a run, in the short form or as an
/// alert's suggestion in JSON; the manifest records them and replays; a
/// step that is no step is refused with the list of steps.
#[test]
fn run_steps_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("prices.csv");
    let mut body = String::from("price,rate,qty,y\n");
    for i in 0..60 {
        body.push_str(&format!("\"${},{:03}.50\",{}%,{},{}\n", 1 + i / 7, i * 37 % 1000, i * 7 % 90, i % 9, ["yes", "no"][usize::from(i % 3 == 0)]));
    }
    std::fs::write(&data, &body).unwrap();
    let path = data.to_str().unwrap();
    let o = run(&["profile", path, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let suggestion = v["alerts"].as_array().unwrap().iter().find(|a| a["code"] == "numbers_as_text" && a["columns"][0] == "price").unwrap()["suggestion"].to_string();
    let out = dir.path().join("run.json");
    let o = run(&["run", path, "--target", "y", "--search", "none", "--step", &suggestion, "--step", "parse_numbers:rate", "--step", "scale:qty:robust", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let steps: Vec<String> = m["recipe"]["steps"].as_array().unwrap().iter().map(|s| format!("{} {}", s["step"].as_str().unwrap(), s["column"].as_str().unwrap_or(""))).collect();
    assert_eq!(steps, ["parse_numbers price", "impute_median price", "parse_numbers rate", "impute_median rate", "impute_median qty", "scale qty"]);
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    let o = run(&["run", path, "--target", "y", "--step", "scale:qty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("a scale step needs its method after the column: scale:COLUMN:standard"), "{}", text(&o.stderr));
    let o = run(&["run", path, "--target", "y", "--step", "frob:qty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown variant `frob`; the steps are drop_column, impute"), "{}", text(&o.stderr));
}

/// A one-hot step asked for on a column of identifiers (each label in one
/// row, which the default encoding drops) is recorded as the user's and
/// replays bit for bit.
#[test]
fn a_one_hot_step_on_identifiers_replays() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("codes.csv");
    let body: String = std::iter::once("code,x,y\n".to_string()).chain((0..80).map(|i| format!("K{i},{},{}\n", i % 7, (i * 13) % 17))).collect();
    std::fs::write(&data, body).unwrap();
    let (path, out) = (data.to_str().unwrap(), dir.path().join("run.json"));
    let o = run(&["run", path, "--target", "y", "--task", "regression", "--search", "none", "--models", "random_forest", "--step", "one_hot:code", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["recipe"]["steps"][0]["step"], "one_hot");
    assert_eq!(m["recipe"]["steps"][0]["asked"], true);
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
}

/// An ordinal step states its order on the command line; the manifest
/// records it and replays; a training label the order leaves out is named.
#[test]
fn an_ordinal_step_takes_its_order_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sizes.csv");
    let body: String = std::iter::once("size,x,y\n".to_string()).chain((0..60).map(|i| format!("{},{},{}\n", ["low", "medium", "high"][i % 3], i % 7, (i % 3) * 10 + i % 4))).collect();
    std::fs::write(&data, body).unwrap();
    let (path, out) = (data.to_str().unwrap(), dir.path().join("run.json"));
    let o = run(&["run", path, "--target", "y", "--task", "regression", "--search", "none", "--models", "linear", "--step", "ordinal:size:low,medium,high", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["recipe"]["steps"][0], serde_json::json!({"step": "ordinal", "column": "size", "levels": ["low", "medium", "high"], "stated": true}));
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    let o = run(&["run", path, "--target", "y", "--search", "none", "--step", "ordinal:size:low,high"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("recipe step ordinal cannot apply to column \"size\": the training label \"medium\" is not in its stated order"), "{}", text(&o.stderr));
}

/// Rows whose target is missing are left out of training and testing,
/// and the run says how many.
#[test]
fn rows_without_a_target_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("t.csv");
    let body: String = std::iter::once("x,y\n".to_string()).chain((0..100).map(|i| format!("{},{}\n", i % 13, if i % 5 == 0 { "" } else if i % 2 == 1 { "a" } else { "b" }))).collect();
    std::fs::write(&data, body).unwrap();
    let out = dir.path().join("run.json");
    let o = run(&["run", data.to_str().unwrap(), "--target", "y", "--search", "none", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("60 train / 20 test rows") && text(&o.stderr).contains("\n  left out 20 rows whose \"y\" is missing\n"), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["split"]["dropped_missing_target"], 20);
}

/// On small data the default folds shrink to what the rarest class allows
/// (and the manifest records it, so the run replays); folds asked for by
/// name are kept or refused with the allowed range.
#[test]
fn default_folds_shrink_to_the_rarest_class_and_asked_folds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("rare.csv");
    let mut csv = String::from("x,y\n");
    for i in 0..60 {
        csv.push_str(&format!("{},{}\n", i % 7, if i % 20 == 0 { "b" } else { "a" }));
    }
    std::fs::write(&data, csv).unwrap();
    let (path, out) = (data.to_str().unwrap(), dir.path().join("m.json"));
    let o = run(&["run", path, "--target", "y", "--models", "tree", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["config"]["search"]["folds"], 2);
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = run(&["run", path, "--target", "y", "--models", "tree", "--folds", "3"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("folds = 3 is out of range: allowed 2 to 2 here"), "{}", text(&o.stderr));
}

/// On data wider than it has training rows, the default search leaves out
/// the models smartcore cannot fit there (least squares, ridge, lasso, SVR),
/// each with its reason, instead of listing their every candidate as
/// failed; the models that take wide data are searched, and the run replays.
#[test]
fn default_search_leaves_out_models_that_cannot_take_wide_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("wide.csv");
    let width = 120;
    // 40 rows of `width` number columns and a target `y` made by `target`.
    let wide = |target: &dyn Fn(usize) -> String| {
        let mut csv = (0..width).map(|j| format!("g{j}")).collect::<Vec<_>>().join(",") + ",y\n";
        for i in 0..40usize {
            let row: Vec<String> = (0..width).map(|j| format!("{}", ((i * 31 + j * 17) % 23) as f64 / 7.0)).collect();
            csv.push_str(&format!("{},{}\n", row.join(","), target(i)));
        }
        std::fs::write(&data, csv).unwrap();
    };
    wide(&|i| format!("{}", (i * 13 % 11) as f64 / 3.0));
    let (path, out) = (data.to_str().unwrap(), dir.path().join("m.json"));
    let o = run(&["run", path, "--target", "y", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    for model in ["linear", "ridge", "lasso", "svr"] {
        assert!(err.contains(&format!("left out of the search: {model}: it cannot take this data: {width} feature columns but 30 training rows")), "{model}: {err}");
    }
    assert!(!err.contains("failed:"), "{err}");
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let models: Vec<&str> = m["config"]["search"]["models"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(models.contains(&"elastic_net") && !models.contains(&"ridge"), "{models:?}");
    assert_eq!(run(&["replay", out.to_str().unwrap(), path]).status.code(), Some(0));
    // Classification: SVC needs as many rows in its smallest pair of classes.
    wide(&|i| ["a", "b", "c"][i % 3].to_string());
    let o = run(&["run", path, "--target", "y", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains(&format!("left out of the search: svc: it cannot take this data: {width} feature columns but only 20 training rows in the smallest pair of classes")), "{err}");
    assert!(!err.contains("failed:"), "{err}");
}

/// Runs the command with `input` on its standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = bin().args(args).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// `-` reads the data from standard input (`curl … | mlcycle profile -`):
/// profiled, trained on and replayed as the file itself, errors naming
/// `stdin`.
#[test]
fn a_dash_reads_the_data_from_standard_input() {
    let iris = std::fs::read(root("www/data/iris.csv")).unwrap();
    let o = run_with_stdin(&["profile", "-", "--json"], &iris);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 150);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.json");
    let o = run_with_stdin(&["run", "-", "--target", "species", "--models", "tree", "--out", out.to_str().unwrap()], &iris);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(run(&["replay", out.to_str().unwrap(), root("www/data/iris.csv").to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(run_with_stdin(&["replay", out.to_str().unwrap(), "-"], &iris).status.code(), Some(0));
    let o = run_with_stdin(&["profile", "-"], b"a,b\n1\n");
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).starts_with("mlcycle: stdin: row 1 (line 2) has 1 field"), "{}", text(&o.stderr));
}

/// A report or manifest aimed at the data file itself is refused before
/// any work, and the data is left as it was.
#[test]
fn outputs_never_overwrite_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("v.csv");
    let original = std::fs::read(root("www/data/iris.csv")).unwrap();
    std::fs::write(&data, &original).unwrap();
    let d = data.to_str().unwrap();
    // The same file by another spelling of its path.
    let alias = format!("{}/./v.csv", dir.path().display());
    for args in [
        vec!["profile", d, "--html", &alias],
        vec!["run", d, "--target", "species", "--out", d],
        vec!["cluster", d, "--out", &alias],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains("is the data file itself; writing there would overwrite the data, so nothing was written"), "{}", text(&o.stderr));
        assert_eq!(std::fs::read(&data).unwrap(), original, "{args:?} changed the data");
    }
    // The manifest and the split dump at one path (by two spellings): refused before the run.
    let out = dir.path().join("run.json");
    let same = format!("{}/./run.json", dir.path().display());
    let o = run(&["run", d, "--target", "species", "--search", "none", "--out", out.to_str().unwrap(), "--dump-split", &same]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--out and --dump-split are both"), "{}", text(&o.stderr));
    assert!(!out.exists(), "nothing written");
}

/// A file past the memory budget is profiled from a sample: the text
/// profile marks its estimated figures (distinct counts, top counts) with ≈.
#[test]
fn sampled_figures_are_marked_in_the_text_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let csv: String = std::iter::once("a,b\n".to_string()).chain((0..200_000).map(|i| format!("{},{}\n", i % 97, i % 13))).collect();
    std::fs::write(&path, csv).unwrap();
    let o = run(&["profile", path.to_str().unwrap(), "--max-memory", "1"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    let row = s.lines().find(|l| l.starts_with("a ")).unwrap();
    assert!(row.contains(" ≈97 ") && row.contains("(≈"), "{row}");
    // Read whole, nothing is marked.
    let s = text(&run(&["profile", path.to_str().unwrap()]).stdout);
    assert!(!s.contains('≈'), "{s}");
}

/// `--ignore` takes a comma-separated list, and a column whose name has a
/// comma in it whole.
#[test]
fn cluster_ignore_names_columns_with_commas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    std::fs::write(&path, "\"x,y\",b,c\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n").unwrap();
    let p = path.to_str().unwrap();
    for (ignore, columns) in [("x,y", "2 prepared"), ("b,c", "1 prepared"), ("b", "2 prepared")] {
        let o = run(&["cluster", p, "--k", "2", "--ignore", ignore]);
        assert!(o.status.success(), "{ignore}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(&format!("k-means on 4 rows × {columns}")), "{ignore}: {}", text(&o.stderr));
    }
    let o = run(&["cluster", p, "--k", "2", "--ignore", "b", "--ignore", "x,y"]);
    assert!(text(&o.stderr).contains("k-means on 4 rows × 1 prepared"), "{}", text(&o.stderr));
}

/// A target of few whole numbers is read as classes: the command says the
/// task was inferred and how to predict amounts instead; a task given is
/// not remarked on.
#[test]
fn an_inferred_classification_of_numbers_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("counts.csv");
    let csv: String = std::iter::once("x,y\n".to_string()).chain((0..100).map(|i| format!("{},{}\n", i % 7, (i * 3) % 11))).collect();
    std::fs::write(&path, csv).unwrap();
    let p = path.to_str().unwrap();
    let o = run(&["run", p, "--target", "y", "--search", "none"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("the task was inferred: \"y\" holds at most 20 distinct whole numbers, so they were read as classes; --task regression predicts them as amounts"), "{}", text(&o.stderr));
    let o = run(&["run", p, "--target", "y", "--search", "none", "--task", "classification"]);
    assert!(!text(&o.stderr).contains("the task was inferred"), "{}", text(&o.stderr));
}

/// A target whose classes differ only by case is trained as written, and
/// the command says each spelling is a class of its own.
#[test]
fn target_classes_written_several_ways_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pets.csv");
    let csv: String = std::iter::once("x,y\n".to_string()).chain((0..60).map(|i| format!("{i},{}\n", ["cat", "Cat", "dog"][i % 3]))).collect();
    std::fs::write(&path, csv).unwrap();
    let o = run(&["run", path.to_str().unwrap(), "--target", "y", "--search", "none"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("note: the target's classes differ only by case or spaces (\"cat\" / \"Cat\"); each spelling is a class of its own"), "{}", text(&o.stderr));
}

/// Test rows that repeat training rows are counted and said, and the run
/// still replays.
#[test]
fn test_rows_seen_in_training_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dups.csv");
    let out = dir.path().join("m.json");
    let csv: String = std::iter::once("x,y\n".to_string()).chain((0..60).map(|i| format!("{},{}\n", i % 20, if i % 2 == 0 { "a" } else { "b" }))).collect();
    std::fs::write(&path, csv).unwrap();
    let o = run(&["run", path.to_str().unwrap(), "--target", "y", "--search", "none", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    assert!(e.contains("test rows repeat a training row exactly, so the test metrics are optimistic"), "{e}");
    let o = run(&["replay", out.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

/// A list of missing-value tokens that starts with "-" (German exports:
/// "-", ".", "x") is taken as the option's value, not as another option.
#[test]
fn missing_tokens_may_start_with_a_hyphen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("de.csv");
    std::fs::write(&data, "a,b\n1,x\n2,.\n3,4\n4,-\n").unwrap();
    let o = run(&["profile", data.to_str().unwrap(), "--json", "--missing", "-,.,x"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(p["columns"][1]["kind"], "integer");
    assert_eq!(p["columns"][1]["missing"], 3);
}

/// A sensor log writing its missing code as `-999.0`: the alert names it as
/// -999 and says to add it to the missing-value tokens; `--missing
/// 'NaN,-999'` (the code as shown) reads every `-999.0` as missing, and a
/// run made so records the tokens and replays.
#[test]
fn a_number_token_matches_the_code_however_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sensor.csv");
    let mut csv = String::from("ts,sensor,temp,hum,label\n");
    for i in 0..300 {
        let temp = match i % 30 {
            7 => "-999.0".to_string(),
            11 if i < 60 => "NaN".to_string(),
            _ => format!("{:.2}", 18.0 + (i % 41) as f64 * 0.1),
        };
        csv.push_str(&format!("2024-03-10T00:{:02}:{:02},S{},{temp},{:.1},{}\n", i / 60, i % 60, 1 + i % 3, 40.0 + (i % 23) as f64, if i % 4 == 0 { "hot" } else { "ok" }));
    }
    std::fs::write(&data, &csv).unwrap();
    let path = data.to_str().unwrap();
    let temp = |args: &[&str]| {
        let o = run(&[&["profile", path, "--json"], args].concat());
        assert!(o.status.success(), "{}", text(&o.stderr));
        let p: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let sentinel = p["alerts"].as_array().unwrap().iter().find(|a| a["code"] == "sentinel_values" && a["columns"][0] == "temp").cloned();
        (p["columns"][2]["missing"].as_u64(), sentinel)
    };
    let (missing, alert) = temp(&[]);
    assert_eq!(missing, Some(2));
    let alert = alert.expect("a sentinel alert on temp");
    assert!(alert["message"].as_str().unwrap().starts_with("\"temp\" has -999 in 10 rows far outside"), "{alert}");
    assert!(alert["advice"].as_str().unwrap().contains("a number there matches however the file writes it (-999 matches -999.0 too)"), "{alert}");
    for tokens in ["NaN,-999", "NaN,-999.0", "NaN,-999.00"] {
        let (missing, alert) = temp(&["--missing", tokens]);
        assert_eq!((missing, alert), (Some(12), None), "--missing {tokens}");
    }
    // Written otherwise, a number is still not another number.
    assert_eq!(temp(&["--missing", "NaN,-9990"]).0, Some(2));
    let out = dir.path().join("run.json");
    let o = run(&["run", path, "--target", "label", "--search", "none", "--missing", "NaN,-999", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(m["dataset"]["parse_options"]["missingTokens"], serde_json::json!(["", "NaN", "-999"]));
    let o = run(&["replay", out.to_str().unwrap(), path]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
}

/// Runs `cmd` and gives its output, or fails the test if it has not ended
/// within `seconds` (the child is killed: a command that buffers an
/// endless stream would otherwise fill the machine's memory).
fn output_within(mut cmd: Command, seconds: u64) -> Output {
    use std::process::Stdio;
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed().as_secs() >= seconds {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{cmd:?} still running after {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Data and manifests are refused once past their byte limit (1 GiB,
/// 16 MiB, 1 MiB for a search configuration): a regular file by its size
/// before any byte is read, a stream (standard input, a pipe, a device) the
/// moment it passes the limit, said as "at least", never buffered whole.
#[test]
fn inputs_over_the_size_limit_are_refused_without_reading_them_whole() {
    let iris = root("www/data/iris.csv");
    let iris = iris.to_str().unwrap();
    let manifest = root("tests/fixtures/iris.run.json");
    let manifest = manifest.to_str().unwrap();
    let zero = || std::fs::File::open("/dev/zero").unwrap();
    const DATA: &str = "the file is at least 1073741825 bytes (read as a stream), over the limit of 1073741824 bytes";
    let check = |o: Output, code: i32, message: &str| {
        assert_eq!(o.status.code(), Some(code), "{}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(err.starts_with("mlcycle: ") && err.contains(message) && err.lines().count() == 1, "{err}");
    };
    // Standard input and a device named as the file: data …
    let mut cmd = bin();
    cmd.args(["profile", "-"]).stdin(zero());
    check(output_within(cmd, 10), 3, &format!("stdin: {DATA}"));
    for args in [&["run", "/dev/zero", "--target", "a"][..], &["cluster", "/dev/zero"], &["replay", manifest, "/dev/zero"]] {
        let mut cmd = bin();
        cmd.args(args);
        check(output_within(cmd, 10), 3, &format!("zero: {DATA}"));
    }
    // … a manifest and a search configuration.
    let mut cmd = bin();
    cmd.args(["replay", "/dev/zero", iris]);
    check(output_within(cmd, 10), 3, "/dev/zero: the manifest is at least 16777217 bytes, over the limit of 16777216 bytes");
    let mut cmd = bin();
    cmd.args(["run", iris, "--target", "species", "--config", "/dev/zero"]);
    check(output_within(cmd, 10), 3, "/dev/zero: at least 1048577 bytes, over the limit of 1 MiB for a search configuration");

    // A pipe on standard input, its writer stopped by the reader's refusal.
    use std::io::Write;
    let mut cmd = bin();
    cmd.args(["replay", "-", iris]).stdin(std::process::Stdio::piped());
    let mut child = cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        (0..64).take_while(|_| input.write_all(&chunk).is_ok()).count()
    });
    let o = child.wait_with_output().unwrap();
    assert!(writer.join().unwrap() < 64, "the whole stream was read");
    check(o, 3, "stdin: the manifest is at least 16777217 bytes, over the limit of 16777216 bytes");

    // A named pipe given as the data file.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.csv");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let chunk = vec![b'\n'; 1 << 20];
        (0..1100).take_while(|_| f.write_all(&chunk).is_ok()).count()
    });
    let mut cmd = bin();
    cmd.args(["run", fifo.to_str().unwrap(), "--target", "a"]);
    let o = output_within(cmd, 10);
    assert!(writer.join().unwrap() < 1100, "the whole stream was read");
    check(o, 3, &format!("fifo.csv: {DATA}"));

    // Regular files past the limit: refused by their size, unread (sparse
    // files: no byte of them is on disk).
    let big = dir.path().join("big.csv");
    std::fs::File::create(&big).unwrap().set_len((1 << 30) + 1).unwrap();
    let big_manifest = dir.path().join("big.json");
    std::fs::File::create(&big_manifest).unwrap().set_len(50 << 20).unwrap();
    for args in [&["run", big.to_str().unwrap(), "--target", "a"][..], &["cluster", big.to_str().unwrap()], &["profile", big.to_str().unwrap()], &["replay", manifest, big.to_str().unwrap()]] {
        let mut cmd = bin();
        cmd.args(args);
        check(output_within(cmd, 5), 3, "big.csv: the file is 1073741825 bytes, over the limit of 1073741824 bytes");
    }
    let mut cmd = bin();
    cmd.args(["replay", big_manifest.to_str().unwrap(), iris]);
    check(output_within(cmd, 5), 3, "big.json: the manifest is 52428800 bytes, over the limit of 16777216 bytes");
}

/// `run` and `cluster` say what reading did, as `profile` does (a repeated
/// header row skipped, a file over the memory budget sampled), and that
/// they used only the sampled rows.
#[test]
fn run_and_cluster_say_the_reading_notes_and_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("big.csv");
    let mut csv = String::from("x,y,cat\n");
    for i in 0..60_000u64 {
        let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
        csv.push_str(&format!("{},{},{}\n", h % 1000, (h >> 10) % 997, if h % 3 == 0 { "a" } else { "b" }));
        if i == 100 {
            csv.push_str("x,y,cat\n");
        }
    }
    std::fs::write(&data, csv).unwrap();
    let data = data.to_str().unwrap();
    let o = run(&["profile", data, "--max-memory", "1"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let profile = text(&o.stdout);
    let notes: Vec<&str> = profile.lines().filter(|l| l.starts_with("note: ")).collect();
    assert_eq!(notes.len(), 2, "{profile}");
    assert!(notes[0].contains("repeating the column names was skipped") && notes[1].contains("memory budget"), "{profile}");
    for (args, doing) in [(&["run", data, "--target", "cat", "--search", "none", "--models", "tree", "--max-memory", "1"][..], "trained and tested on"), (&["cluster", data, "--max-memory", "1"], "clustered")] {
        let o = run(args);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let err = text(&o.stderr);
        for note in &notes {
            assert!(err.lines().any(|l| l == *note), "{note} not in {err}");
        }
        let kept: String = notes[1].split(" was kept (").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
        assert!(err.contains(&format!("note: {doing} the {kept} sampled rows only, not all 60000 (the memory budget is 1 MB): raise --max-memory")), "{err}");
    }
}

/// A flag's value out of its range is a bad command line (exit 2), named
/// with the range, before the data is read; the same value in a --config
/// file is a bad option (exit 3).
#[test]
fn out_of_range_flags_are_a_bad_command_line() {
    let iris = root("www/data/iris.csv");
    let iris = iris.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["run", iris, "--target", "species", "--folds", "1"], "invalid value '1' for '--folds <FOLDS>': out of range: allowed 2 to 20"),
        (&["run", iris, "--target", "species", "--folds", "21"], "invalid value '21' for '--folds <FOLDS>': out of range: allowed 2 to 20"),
        (&["run", iris, "--target", "species", "--threads", "0"], "invalid value '0' for '--threads <THREADS>': out of range: allowed 1 to 256"),
        (&["run", iris, "--target", "species", "--trials", "0"], "invalid value '0' for '--trials <TRIALS>': out of range: allowed 1 to 500"),
        (&["run", iris, "--target", "species", "--test-fraction", "2"], "invalid value '2' for '--test-fraction <TEST_FRACTION>': out of range: allowed a number between 0 and 1, exclusive"),
        (&["run", iris, "--target", "species", "--test-fraction", "0"], "invalid value '0' for '--test-fraction <TEST_FRACTION>': out of range: allowed a number between 0 and 1, exclusive"),
        (&["run", iris, "--target", "species", "--max-memory", "0"], "invalid value '0' for '--max-memory <MB>': out of range: allowed 1 or more"),
        (&["profile", iris, "--max-memory", "0"], "invalid value '0' for '--max-memory <MB>': out of range: allowed 1 or more"),
        (&["run", iris, "--target", "species", "--max-seconds", "0"], "invalid value '0' for '--max-seconds <MAX_SECONDS>': \"0\" is not a number of seconds above 0"),
        (&["run", iris, "--target", "species", "--time-budget=-1"], "invalid value '-1' for '--time-budget <SECONDS>': \"-1\" is not a number of seconds above 0"),
        (&["run", iris, "--target", "species", "--search", "none", "--trees", "1001"], "invalid value '1001' for '--trees <TREES>': out of range: allowed 1 to 1000"),
        (&["run", iris, "--target", "species", "--search", "none", "--max-depth", "0"], "invalid value '0' for '--max-depth <MAX_DEPTH>': out of range: allowed 1 to 64"),
        (&["run", iris, "--target", "species", "--folds", "x"], "invalid value 'x' for '--folds <FOLDS>': not a whole number: allowed 2 to 20"),
        (&["cluster", iris, "--k", "1"], "invalid value '1' for '--k <K>': out of range: allowed 2 to 100"),
        (&["cluster", iris, "--max-iter", "0"], "invalid value '0' for '--max-iter <MAX_ITER>': out of range: allowed 1 to 1000"),
        (&["cluster", iris, "--n-init", "101"], "invalid value '101' for '--n-init <N_INIT>': out of range: allowed 1 to 100"),
        (&["cluster", iris, "--model", "dbscan", "--eps=-1"], "invalid value '-1' for '--eps <EPS>': out of range: allowed a number above 0 and at most 1e6"),
        (&["cluster", iris, "--model", "dbscan", "--min-samples", "0"], "invalid value '0' for '--min-samples <MIN_SAMPLES>': out of range: allowed 1 to 1000"),
    ];
    for (args, message) in cases {
        let o = run(args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("mlcycle: ") && err.contains(message) && err.lines().count() == 1, "{args:?}: {err}");
    }
    // The same values in a --config file are bad options, exit 3.
    let dir = tempfile::tempdir().unwrap();
    for (config, message) in [(r#"{"folds": 1}"#, "folds = 1 is out of range"), (r#"{"trials": 0}"#, "a budget of 0 trials is out of range")] {
        let path = dir.path().join("search.json");
        std::fs::write(&path, config).unwrap();
        let o = run(&["run", iris, "--target", "species", "--config", path.to_str().unwrap()]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{config}: {err}");
        assert!(err.contains(message), "{config}: {err}");
    }
}

/// A manifest made by another mlcycle or smartcore version replays with
/// the same verdict and exit code, and a note naming both versions.
#[test]
fn replay_notes_a_manifest_from_other_versions() {
    let dir = tempfile::tempdir().unwrap();
    let iris = root("www/data/iris.csv");
    let fixture = root("tests/fixtures/iris.run.json");
    let o = run(&["replay", fixture.to_str().unwrap(), iris.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("note:"), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&fixture).unwrap()).unwrap();
    let (mlcycle, smartcore) = (m["tool"]["mlcycle"].as_str().unwrap().to_string(), m["tool"]["smartcore"].as_str().unwrap().to_string());
    for (tool, made) in [("mlcycle", "0.1.9"), ("smartcore", "0.6.1")] {
        let mut other = m.clone();
        other["tool"][tool] = made.into();
        let path = dir.path().join(format!("{tool}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(&other).unwrap()).unwrap();
        let o = run(&["replay", path.to_str().unwrap(), iris.to_str().unwrap()]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(text(&o.stdout).starts_with("reproduced: "), "{}", text(&o.stdout));
        let (old_m, old_s) = if tool == "mlcycle" { (made, smartcore.as_str()) } else { (mlcycle.as_str(), made) };
        let note = format!("note: the run was made by mlcycle {old_m} with smartcore {old_s}; this is mlcycle {mlcycle} with smartcore {smartcore}");
        assert_eq!(err.trim_end(), note, "{err}");
    }
}

/// An output that cannot be written (its directory missing or a file, the
/// path itself a directory) is refused before any work, with exit 5, and
/// no file is left behind.
#[test]
fn unwritable_outputs_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let iris = root("www/data/iris.csv");
    let iris = iris.to_str().unwrap();
    let a_file = dir.path().join("a_file");
    std::fs::write(&a_file, "x").unwrap();
    let good = dir.path().join("good.json");
    let good = good.to_str().unwrap();
    let missing = "/nonexistent/dir/x.json";
    let under_file = format!("{}/x.json", a_file.display());
    let here = dir.path().to_str().unwrap();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (vec!["run", iris, "--target", "species", "--out", missing], format!("--out {missing}: the directory /nonexistent/dir does not exist; nothing was done")),
        (vec!["run", iris, "--target", "species", "--out", here], format!("--out {here}: is a directory; give a file name; nothing was done")),
        (vec!["run", iris, "--target", "species", "--out", &under_file], format!("--out {under_file}: {} is not a directory; nothing was done", a_file.display())),
        (vec!["run", iris, "--target", "species", "--out", good, "--dump-split", missing], format!("--dump-split {missing}: the directory /nonexistent/dir does not exist")),
        (vec!["profile", iris, "--html", missing], format!("--html {missing}: the directory /nonexistent/dir does not exist")),
        (vec!["profile", iris, "--html", here], format!("--html {here}: is a directory")),
        (vec!["cluster", iris, "--out", missing], format!("--out {missing}: the directory /nonexistent/dir does not exist")),
        (vec!["cluster", iris, "--out", &under_file], format!("--out {under_file}: {} is not a directory", a_file.display())),
    ];
    for (args, message) in cases {
        let started = std::time::Instant::now();
        let o = run(&args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(5), "{args:?}: {err}");
        assert!(err.starts_with(&format!("mlcycle: {message}")) && err.trim_end().ends_with("; nothing was done") && err.lines().count() == 1, "{args:?}: {err}");
        // Refused before the data is read or a model trained.
        assert!(o.stdout.is_empty() && started.elapsed().as_secs() < 5, "{args:?}: {err}");
        assert!(!Path::new(good).exists(), "{args:?}: a file was left behind");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "only a_file");
    // A writable place still works, the file written once, in full.
    let o = run(&["cluster", iris, "--out", good]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(serde_json::from_slice::<serde_json::Value>(&std::fs::read(good).unwrap()).is_ok());
}

/// A column that is not there: every column named (up to 40, then the
/// count), names close to the one asked (case aside, or containing it)
/// offered first.
#[test]
fn an_unknown_column_lists_the_columns_and_close_names() {
    let diabetes = root("www/data/diabetes.csv");
    let o = run(&["run", diabetes.to_str().unwrap(), "--target", "target"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        text(&o.stderr).trim_end(),
        "mlcycle: diabetes.csv: no column named \"target\"; the columns are \"age\", \"sex\", \"bmi\", \"bp\", \"s1\", \"s2\", \"s3\", \"s4\", \"s5\", \"s6\", \"progression\""
    );
    let dir = tempfile::tempdir().unwrap();
    let wide = dir.path().join("wide.csv");
    let mut names: Vec<String> = (0..48).map(|i| format!("c{i}")).collect();
    names.extend(["unit_price".to_string(), "Price_EUR".to_string()]);
    std::fs::write(&wide, format!("{}\n{}\n", names.join(","), vec!["1"; names.len()].join(","))).unwrap();
    let first40: Vec<String> = names.iter().take(40).map(|n| format!("\"{n}\"")).collect();
    let o = run(&["run", wide.to_str().unwrap(), "--target", "PRICE"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        text(&o.stderr).trim_end(),
        format!("mlcycle: wide.csv: no column named \"PRICE\"; did you mean \"unit_price\" or \"Price_EUR\"? The columns are {}, … (50 in all)", first40.join(", "))
    );
    let o = run(&["profile", wide.to_str().unwrap(), "--target", "C45"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stderr).contains("no column named \"C45\"; did you mean \"c45\"? The columns are \"c0\", "), "{}", text(&o.stderr));
}

/// smartcore panics in its line search when unregularised logistic
/// regression meets classes two columns separate (`separable.csv`: a
/// refund flag and an after-the-fact score leak the target). The
/// candidate is recorded as failed with smartcore's message and the
/// search goes on (it stopped the command with exit 70); the run replays.
#[test]
fn a_solver_panic_fails_its_candidate_not_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let data = root("tests/fixtures/separable.csv");
    let config = dir.path().join("c.json");
    std::fs::write(&config, r#"{"spaces": [{"model": "logistic", "alpha": [0, 1]}]}"#).unwrap();
    let out = dir.path().join("run.json");
    let o = run(&["run", data.to_str().unwrap(), "--target", "churned", "--config", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("internal error"), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let trials = m["search"]["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 2);
    assert_eq!(trials[0]["error"], "logistic on fold 1: the model's solver failed (Linesearch failed to converge, reached maximum iterations.); if the classes are separated exactly, a column may leak the target, or a regularised setting (alpha above 0) may fit");
    assert_eq!(trials[0]["fold_scores"].as_array().unwrap().len(), 0);
    assert!(trials[1]["error"].is_null() && trials[1]["mean"].as_f64().is_some(), "{}", trials[1]);
    let o = run(&["replay", out.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    // The only candidate failing: no model, said with its reason.
    std::fs::write(&config, r#"{"spaces": [{"model": "logistic", "alpha": [0]}]}"#).unwrap();
    let o = run(&["run", data.to_str().unwrap(), "--target", "churned", "--config", config.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("no candidate model could be fitted in the search; the first failure was logistic on fold 1: the model's solver failed (Linesearch failed"), "{}", text(&o.stderr));
}
