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

#[test]
fn committed_manifests_reproduce() {
    for (m, d) in [("tests/fixtures/iris.run.json", "www/data/iris.csv"), ("tests/fixtures/diabetes.run.json", "www/data/diabetes.csv")] {
        let o = run(&["replay", root(m).to_str().unwrap(), root(d).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{m}: {}{}", text(&o.stdout), text(&o.stderr));
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
    let cases: Vec<(&str, Vec<u8>, &[&str], i32, &str)> = vec![
        ("empty.csv", vec![], &["profile"], 3, "empty.csv: the file is empty"),
        ("header.csv", b"a,b\n".to_vec(), &["profile"], 3, "header row but no data rows"),
        ("ragged.csv", b"a,b\n1,2\n3\n".to_vec(), &["profile"], 3, "row 2 (line 3) has 1 fields but the header has 2"),
        ("quote.csv", b"a,b\n\"x,1\n".to_vec(), &["profile"], 3, "never closed"),
        ("utf16.csv", b"\xff\xfea\x00\n\x00".to_vec(), &["profile"], 3, "UTF-16"),
        ("latin1.csv", b"a,b\ncaf\xe9,1\n".to_vec(), &["profile"], 3, "line 2: invalid UTF-8 at byte 7"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(), &["profile"], 3, "binary file"),
        ("dup.csv", b"a,a\n1,2\n".to_vec(), &["profile"], 3, "appears twice"),
        ("wide.csv", many_cols.into_bytes(), &["profile"], 3, "over the limit of 10000"),
        ("longhead.csv", long_header.into_bytes(), &["profile"], 3, "over the limit of 1000"),
        ("inf.csv", b"a,b\n1,2\n1e400,3\n".to_vec(), &["profile"], 3, "row 2 (line 3), column \"a\": \"1e400\" is not a finite number"),
        ("oneclass.csv", b"a,y\n1,k\n2,k\n3,k\n4,k\n".to_vec(), &["run", "--target", "y"], 3, "only one class"),
        ("notarget.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "nope"], 3, "no column named \"nope\""),
        ("onlytarget.csv", b"y\n1.5\n2.5\n3.5\n4.5\n".to_vec(), &["run", "--target", "y"], 3, "no feature columns"),
        ("onerow.csv", b"a,y\n1,2.5\n".to_vec(), &["run", "--target", "y"], 3, "cannot split 1 rows"),
        ("allmissing.csv", b"a,b,y\n,1,0\n,2,1\n,3,0\n,4,1\n".to_vec(), &["run", "--target", "y", "--trees", "5"], 0, ""),
        ("textreg.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "y", "--task", "regression"], 3, "cannot be used for regression"),
        ("budget.csv", b"a,y\n1,k\n2,j\n3,k\n4,j\n".to_vec(), &["run", "--target", "y", "--search", "none", "--max-seconds", "0"], 3, "training would take about 0.0 s by a rough estimate (100 trees × 2 rows × depth 1 × 1 features per split), over the limit of 0 s"),
        ("trees.csv", b"a,y\n1,k\n2,j\n".to_vec(), &["run", "--target", "y", "--trees", "0"], 3, "n_trees = 0 is out of range"),
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

/// The manifest without what legitimately varies: durations and fit times.
fn stable(manifest: &str) -> String {
    manifest.lines().filter(|l| !l.contains("\"fit_ms\"")).collect::<Vec<_>>().join("\n").split("\"durations_ms\"").next().unwrap().to_string()
}

#[test]
fn search_threads_give_the_same_leaderboard_and_replay_finds_a_changed_trial() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/iris.csv");
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("t{threads}.json"));
        let o = run(&["run", data, "--target", "species", "--models", "knn,logistic,gaussian_nb", "--search", "halving", "--trials", "9", "--folds", "3", "--threads", threads, "--out", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        outs.push(std::fs::read_to_string(&out).unwrap());
    }
    assert_eq!(stable(&outs[0]), stable(&outs[1]));
    assert!(outs[0].contains("\"strategy\": \"halving\""));

    // Change one fold score: replay names that trial and fold.
    let mut m: serde_json::Value = serde_json::from_str(&outs[0]).unwrap();
    let s = &mut m["search"]["trials"][2]["fold_scores"][1];
    *s = serde_json::json!(s.as_f64().unwrap() - 0.125);
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    let o = run(&["replay", tampered.to_str().unwrap(), data]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("search.trials[2].fold_scores[1]"), "{}", text(&o.stdout));
}

#[test]
fn bad_search_flags_are_exit_3_with_the_reason() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/www/data/iris.csv");
    let cases: [(&[&str], &str); 4] = [
        (&["--models", "knn,nope"], "unknown model \"nope\""),
        (&["--metric", "r2"], "metric r2 cannot be used here"),
        (&["--metric", "speed"], "unknown metric \"speed\""),
        (&["--models", "forest", "--metric", "log_loss"], "no class probabilities"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["run", data, "--target", "species"];
        args.extend_from_slice(flags);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(3), "{flags:?}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(message), "{flags:?}: {}", text(&o.stderr));
    }
}
