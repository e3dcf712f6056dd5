//! Every input the fuzzers found (fuzz/regressions/<target>/) and every
//! seed (fuzz/seeds/<target>/) through the same checks as the fuzz targets
//! (fuzz/checks/<target>.rs), natively on every `cargo test`: a finding,
//! once fixed, stays fixed.

mod csv_ingest {
    include!("../fuzz/checks/csv_ingest.rs");
}
mod profile {
    include!("../fuzz/checks/profile.rs");
}
mod train {
    include!("../fuzz/checks/train.rs");
}
mod manifest_import {
    include!("../fuzz/checks/manifest_import.rs");
}

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
        files.sort();
        for p in files {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn replay_all(target: &str, check: fn(&[u8])) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no inputs kept for {target}");
    for (name, bytes) in all {
        if let Err(e) = std::panic::catch_unwind(|| check(&bytes)) {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            panic!("{name}: {msg}");
        }
    }
}

#[test]
fn csv_ingest_inputs() {
    replay_all("csv_ingest", csv_ingest::check_input);
}

#[test]
fn profile_inputs() {
    replay_all("profile", profile::check_input);
}

#[test]
fn train_inputs() {
    replay_all("train", train::check_input);
}

#[test]
fn manifest_import_inputs() {
    replay_all("manifest_import", manifest_import::check_input);
}
